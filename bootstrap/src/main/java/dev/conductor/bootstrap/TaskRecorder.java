package dev.conductor.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * Entry points of the task advice: called from host threads around every instrumented task method.
 *
 * <p>Hot-path contract: no allocation in steady state, no lock, no exception escapes. The cost is
 * two {@link System#nanoTime()} reads, one thread-local lookup on each side, the label reads and
 * two queue operations.
 */
public final class TaskRecorder {
  /** Returned by {@link #enter()} for a call nested in another instrumented call. */
  public static final long NESTED = Long.MIN_VALUE;

  private static volatile EventBuffer buffer = new EventBuffer(2);
  private static volatile LabelCapture[] captures = new LabelCapture[0];
  private static final LongAdder labelErrors = new LongAdder();

  private TaskRecorder() {}

  /**
   * Installs the buffer and the label captures, indexed by point id. Called once by the agent
   * before any advice is woven.
   */
  public static void install(EventBuffer eventBuffer, LabelCapture[] pointCaptures) {
    buffer = eventBuffer;
    captures = pointCaptures.clone();
  }

  public static EventBuffer buffer() {
    return buffer;
  }

  /** Label expressions that threw on a host thread, since start. */
  public static long labelErrors() {
    return labelErrors.sum();
  }

  /** Starts timing a call; returns {@link #NESTED} when an outer instrumented call is open. */
  public static long enter() {
    CallDepth depth = CallDepth.current();
    if (depth.depth++ > 0) {
      return NESTED;
    }
    return System.nanoTime();
  }

  /** Ends a call begun by {@link #enter()}; records it when it was the outermost one. */
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
        record(point, start, System.nanoTime(), self, arg0, arg1, arg2, arg3, returned, thrown);
      }
    } finally {
      // Labels are read before the depth drops, so a getter that is itself instrumented
      // counts as nested and not as a second task.
      depth.depth--;
    }
  }

  private static void record(
      int point,
      long start,
      long end,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned,
      Throwable thrown) {
    EventBuffer target = buffer;
    TaskEvent event = target.claim();
    if (event == null) {
      return;
    }
    event.point = point;
    event.startNanos = start;
    event.durationNanos = end - start;
    event.thrown = thrown;
    LabelCapture[] all = captures;
    if (point >= 0 && point < all.length) {
      try {
        all[point].capture(event, self, arg0, arg1, arg2, arg3, thrown == null ? returned : null);
      } catch (Throwable e) {
        event.labelError = true;
        labelErrors.increment();
      }
    }
    target.publish(event);
  }
}
