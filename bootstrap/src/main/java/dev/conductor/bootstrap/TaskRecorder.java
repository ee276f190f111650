package dev.conductor.bootstrap;

import jdk.internal.vm.annotation.ForceInline;

/**
 * Entry points of the task advice: called from host threads around every instrumented task method.
 *
 * <p>Hot-path contract: no allocation in steady state, no lock, no exception escapes. The cost is
 * two {@link System#nanoTime()} reads, one thread-local lookup (on entry: the exit is handed the
 * thread's {@link CallDepth} by the woven code), the label reads, one event claimed and published
 * on the thread's own ring, and with tracing a span opened and closed on the thread's {@link
 * SpanStack} (plus a hand-over table lookup for a task that was enqueued).
 */
public final class TaskRecorder {
  /** A start time that means "not timed": the call's start failed, it is unwound only. */
  public static final long NESTED = Long.MIN_VALUE;

  private TaskRecorder() {}

  /**
   * Counts the call on this thread and, when no outer instrumented call is open, starts timing it.
   * Points whose starts are tracked publish a {@link Event#TASK_START} with the labels read now.
   *
   * @return the thread's state, to be passed back to {@link #exit}
   */
  @ForceInline
  public static Object enter(
      int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    CallDepth depth = CallDepth.current();
    if (depth.tasks++ == 0) {
      start(depth, point, self, arg0, arg1, arg2, arg3);
    }
    return depth;
  }

  @ForceInline
  private static void start(
      CallDepth depth, int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    depth.taskStart = NESTED; // until the span is open: a failure before is unwound, not recorded
    try {
      long start = System.nanoTime();
      if (Tracing.enabled()) {
        Tracing.openTaskSpan(depth, point, self, arg0, arg1, arg2, arg3);
      }
      depth.taskStart = start;
      boolean[] tracked = Recorders.taskStartsTracked;
      if (point >= 0 && point < tracked.length && tracked[point]) {
        trackStart(depth, point, start, self, arg0, arg1, arg2, arg3);
      }
    } catch (Throwable e) {
      // the count stays: the exit unwinds it
    }
  }

  /**
   * Leaves the call's start, with its labels, in the thread's ring ({@link
   * ThreadEvents#callStarted}); a thread without a ring publishes a {@link Event#TASK_START}.
   */
  @ForceInline
  private static void trackStart(
      CallDepth depth,
      int point,
      long start,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3) {
    ThreadEvents ring = depth.events(Recorders.buffer);
    if (ring != null) {
      depth.taskCall =
          ring.callStarted(point, start, Recorders.taskCaptures, self, arg0, arg1, arg2, arg3);
      return;
    }
    Event event = Recorders.claim(depth, Event.TASK_START, point, start);
    if (event != null) {
      Recorders.capture(Recorders.taskCaptures, event, self, arg0, arg1, arg2, arg3, null);
      Recorders.publish(depth, event);
    }
  }

  /**
   * Ends a call begun by {@link #enter}; records it when it was the outermost one.
   *
   * @param state what {@link #enter} returned; null (its lookup failed) ends nothing
   */
  @ForceInline
  public static void exit(
      int point,
      Object state,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned,
      Throwable thrown) {
    if (!(state instanceof CallDepth)) {
      return;
    }
    CallDepth depth = (CallDepth) state;
    try {
      long start = depth.taskStart;
      if (depth.tasks == 1 && start != NESTED) {
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
          long call = depth.taskCall;
          if (call != 0) {
            event.run = call; // its start is in the ring: see ThreadEvents.callStarted
          }
          Recorders.publish(depth, event);
        }
      }
    } finally {
      if (depth.tasks == 1) {
        endTrackedStart(depth);
      }
      // Labels are read before the depth drops, so a getter that is itself instrumented
      // counts as nested and not as a second task.
      depth.tasks--;
    }
  }

  /** The call whose start is in the thread's ring has ended, its end published or dropped. */
  @ForceInline
  private static void endTrackedStart(CallDepth depth) {
    long call = depth.taskCall;
    if (call != 0) {
      depth.taskCall = 0;
      ThreadEvents ring = depth.ring();
      if (ring != null) {
        ring.callEnded(call);
      }
    }
  }
}
