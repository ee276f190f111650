package dev.conductor.bootstrap;

/**
 * A task class that carries the trace context handed from its enqueue to its start in fields of its
 * own, which the weaver added to it as it loaded (see the instrumentation's {@code ContextFields}),
 * instead of in a {@link ContextHandoff} table.
 *
 * <p>Why: the table's slot for a task is chosen by the task's identity hash, so an enqueue computes
 * that hash (a call into the JVM that writes the header of a task object made for the enqueue) and
 * the task's start reads a slot that the enqueuing thread, on another core, wrote last: one round
 * trip between cores on each side, about half of what the hooks cost a saturated host's threads.
 * Fields of the task object travel with the object's own lines, which the worker reads anyway.
 *
 * <p>Only classes loaded after the agent, and named by a point as the declared type of its task
 * argument, get the fields; other task objects keep to the table. The methods' names start with
 * {@code conductor$}, which no Java source can clash with by accident.
 */
public interface ContextCarrier {
  /** Leaves a context for the task's start; all zero takes it back. */
  void conductor$handOver(long traceHigh, long traceLow, long parentSpan, long enqueuedAt);

  /** The high half of the trace id left; 0, with the low half 0, when none is left. */
  long conductor$traceHigh();

  /** The low half of the trace id left. */
  long conductor$traceLow();

  /** The span of the call that left the context: the parent of the task's span. */
  long conductor$parentSpan();

  /** When the task was enqueued ({@link System#nanoTime()}). */
  long conductor$enqueuedAt();
}
