package dev.conductor.instrumentation.weave;

/**
 * One argument that woven code passes to a {@code Woven} hook. Everything but the constants, the
 * state and the exception is passed as {@code Object}, primitives boxed.
 */
enum Source {
  /** The point's index in its list, a constant. */
  POINT("I"),
  /** The hook's constant kind (agent start, stop or health check). */
  KIND("I"),
  /** What the enter hook returned, kept in a local variable of the woven method. */
  STATE(null),
  /** {@code this}, or null in a static method. */
  THIS("Ljava/lang/Object;"),
  ARG0("Ljava/lang/Object;"),
  ARG1("Ljava/lang/Object;"),
  ARG2("Ljava/lang/Object;"),
  ARG3("Ljava/lang/Object;"),
  /** The value being returned; null on an exception or from a void method. */
  RETURNED("Ljava/lang/Object;"),
  /** The exception leaving the method; null on a normal return. */
  THROWN("Ljava/lang/Throwable;"),
  /** The field {@code executor} of {@code this}: the pool of a thread-per-task runnable. */
  EXECUTOR_FIELD("Ljava/lang/Object;"),
  /** The first parameter declared as a {@code ForkJoinTask}, or null. */
  FORK_JOIN_TASK("Ljava/lang/Object;");

  static final String FORK_JOIN_TASK_DESCRIPTOR = "Ljava/util/concurrent/ForkJoinTask;";

  /** The parameter's descriptor in the hook, null when it depends on the hook. */
  final String descriptor;

  Source(String descriptor) {
    this.descriptor = descriptor;
  }

  int argumentIndex() {
    return ordinal() - ARG0.ordinal();
  }

  boolean isArgument() {
    return this == ARG0 || this == ARG1 || this == ARG2 || this == ARG3;
  }
}
