package dev.conductor.bootstrap;

/**
 * Entry points of the task advice: called from host threads around every instrumented task method.
 *
 * <p>Hot-path contract: no allocation in steady state, no lock, no exception escapes. The cost is
 * two {@link System#nanoTime()} reads, one thread-local lookup on each side, the label reads, two
 * queue operations per published event, and with tracing a span opened and closed on the thread's
 * {@link SpanStack} (plus a hand-over table lookup for a task that was enqueued).
 */
public final class TaskRecorder {
  /** Returned by {@link #enter} for a call nested in another instrumented call. */
  public static final long NESTED = Long.MIN_VALUE;

  private TaskRecorder() {}

  /**
   * Starts timing a call; returns {@link #NESTED} when an outer instrumented call is open. Points
   * whose starts are tracked publish a {@link Event#TASK_START} with the labels read now.
   */
  public static long enter(
      int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    CallDepth depth = CallDepth.current();
    if (depth.tasks++ > 0) {
      return NESTED;
    }
    long start = System.nanoTime();
    if (Tracing.enabled()) {
      Tracing.openSpan(
          depth,
          Tracing.taskObject(Tracing.taskObjectArguments, point, self, arg0, arg1, arg2, arg3));
    }
    boolean[] tracked = Recorders.taskStartsTracked;
    if (point >= 0 && point < tracked.length && tracked[point]) {
      Event event = Recorders.claim(depth, Event.TASK_START, point, start);
      if (event != null) {
        Recorders.capture(Recorders.taskCaptures, event, self, arg0, arg1, arg2, arg3, null);
        Recorders.publish(event);
      }
    }
    return start;
  }

  /** Ends a call begun by {@link #enter}; records it when it was the outermost one. */
  public static void exit(
      int point,
      long start,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned,
      Throwable thrown) {
    CallDepth depth = CallDepth.current();
    try {
      if (start != NESTED) {
        long end = System.nanoTime();
        Event event = Recorders.claim(depth, Event.TASK_END, point, start);
        if (Tracing.enabled()) {
          Tracing.closeSpan(depth, event);
        }
        if (event != null) {
          event.durationNanos = end - start;
          event.thrown = thrown;
          Recorders.capture(
              Recorders.taskCaptures,
              event,
              self,
              arg0,
              arg1,
              arg2,
              arg3,
              thrown == null ? returned : null);
          Recorders.publish(event);
        }
      }
    } finally {
      // Labels are read before the depth drops, so a getter that is itself instrumented
      // counts as nested and not as a second task.
      depth.tasks--;
    }
  }
}
