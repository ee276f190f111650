package dev.conductor.bootstrap;

/**
 * Entry points of the advice of configured {@code operations}: each call is a span, a child of
 * whatever span is open on the thread (nested operations form a tree). Nothing is recorded while
 * tracing is off.
 */
public final class OperationRecorder {
  private OperationRecorder() {}

  /** Opens the span; returns the start time, or {@link TaskRecorder#NESTED} with tracing off. */
  public static long enter() {
    if (!Tracing.enabled()) {
      return TaskRecorder.NESTED;
    }
    long start = System.nanoTime();
    Tracing.openSpan(CallDepth.current(), null);
    return start;
  }

  public static void exit(int point, long start, Throwable thrown) {
    if (start == TaskRecorder.NESTED) {
      return;
    }
    long end = System.nanoTime();
    CallDepth depth = CallDepth.current();
    Event event = Recorders.claim(depth, Event.SPAN, point, start);
    Tracing.closeSpan(depth, event);
    if (event != null) {
      event.durationNanos = end - start;
      event.thrown = thrown;
      Recorders.publish(depth, event);
    }
  }
}
