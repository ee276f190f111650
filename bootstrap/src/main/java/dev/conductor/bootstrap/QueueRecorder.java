package dev.conductor.bootstrap;

/**
 * Entry points of the enqueue advice: called from host threads around every instrumented enqueue
 * method. Same contract as {@link TaskRecorder}: no allocation, no lock, nothing thrown.
 */
public final class QueueRecorder {
  private QueueRecorder() {}

  /** Returns the enqueue time, or {@link TaskRecorder#NESTED} inside another enqueue call. */
  public static long enter() {
    CallDepth depth = CallDepth.current();
    if (depth.enqueues++ > 0) {
      return TaskRecorder.NESTED;
    }
    return System.nanoTime();
  }

  /**
   * Publishes the enqueue once the outermost call returned normally: a call that threw did not put
   * the task in the queue. The time recorded is when the call began, because a worker may start the
   * task before the call returns.
   */
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
      if (start != TaskRecorder.NESTED && thrown == null) {
        Event event = Recorders.claim(Event.ENQUEUE, point, start);
        if (event != null) {
          Recorders.capture(
              Recorders.enqueueCaptures, event, self, arg0, arg1, arg2, arg3, returned);
          Recorders.publish(event);
        }
      }
    } finally {
      depth.enqueues--;
    }
  }
}
