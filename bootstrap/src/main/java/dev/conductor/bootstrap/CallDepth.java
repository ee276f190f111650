package dev.conductor.bootstrap;

/**
 * How many instrumented task calls are open on the current thread.
 *
 * <p>Only the outermost call records a task, so an override that calls {@code super.execute(..)} or
 * an instrumented method that calls another is one execution, not two. One small mutable object per
 * thread, created on first use and collected with the thread.
 */
final class CallDepth {
  private static final ThreadLocal<CallDepth> CURRENT = ThreadLocal.withInitial(CallDepth::new);

  int depth;

  static CallDepth current() {
    return CURRENT.get();
  }
}
