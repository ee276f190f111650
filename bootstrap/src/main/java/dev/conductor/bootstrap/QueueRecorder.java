package dev.conductor.bootstrap;

import jdk.internal.vm.annotation.ForceInline;

/**
 * Entry points of the enqueue advice: called from host threads around every instrumented enqueue
 * method. Same contract as {@link TaskRecorder}: no allocation, no lock, nothing thrown.
 */
public final class QueueRecorder {
  private QueueRecorder() {}

  /**
   * Counts the call on this thread and, outside another enqueue call, notes its time. With tracing,
   * opens the enqueue's span and leaves its context for the task before the task can reach a
   * worker.
   *
   * @return the thread's state, to be passed back to {@link #exit}
   */
  @ForceInline
  public static Object enter(
      int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    CallDepth depth = CallDepth.current();
    if (depth.enqueues++ == 0) {
      start(depth, point, self, arg0, arg1, arg2, arg3);
    }
    return depth;
  }

  @ForceInline
  private static void start(
      CallDepth depth, int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    depth.enqueueStart = TaskRecorder.NESTED; // until the span is open, as for a task's start
    try {
      long start = System.nanoTime();
      boolean tracing = Tracing.enabled();
      if (tracing) {
        Tracing.openSpan(depth, null);
      }
      depth.enqueueStart = start; // the span, if any, is open: the exit closes it
      if (tracing) {
        Tracing.leaveForTask(
            depth,
            Tracing.taskObject(Tracing.enqueueObjectArguments, point, self, arg0, arg1, arg2, arg3),
            start);
      }
    } catch (Throwable e) {
      // the count stays: the exit unwinds it
    }
  }

  /**
   * Publishes the enqueue once the outermost call returned normally: a call that threw did not put
   * the task in the queue. The time recorded is when the call began, because a worker may start the
   * task before the call returns.
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
      long start = depth.enqueueStart;
      if (depth.enqueues != 1 || start == TaskRecorder.NESTED) {
        return;
      }
      boolean tracing = Tracing.enabled();
      Object taskAtEntry =
          tracing
              ? Tracing.taskObject(
                  Tracing.enqueueObjectArguments, point, self, arg0, arg1, arg2, arg3)
              : null;
      if (thrown != null) {
        if (tracing) {
          Tracing.withdrawFromTask(taskAtEntry);
          Tracing.closeSpan(depth, null);
        }
        return;
      }
      long end = System.nanoTime();
      Event event = Recorders.claim(depth, Event.ENQUEUE, point, start);
      if (event != null) {
        event.durationNanos = end - start;
        Recorders.capture(Recorders.enqueueCaptures, event, self, arg0, arg1, arg2, arg3, returned);
        if (tracing && taskAtEntry == null) {
          // A task read through steps is only known now; a worker that already took it misses it.
          Tracing.leaveForTask(depth, event.task, start);
        }
      }
      if (tracing) {
        Tracing.closeSpan(depth, event);
      }
      if (event != null) {
        Recorders.publish(depth, event);
      }
    } finally {
      depth.enqueues--;
    }
  }
}
