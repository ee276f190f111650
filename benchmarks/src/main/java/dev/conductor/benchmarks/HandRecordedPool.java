package dev.conductor.benchmarks;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.Woven;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A single-worker pool that records its tasks by hand the way the agent's {@code ExecutorRecorder}
 * does (a clock read, then claim, fill and publish an event of an {@link EventBuffer}), for {@link
 * ExecutorBenchmark#executeRecordedByHand} in a fork without the agent. Left out: the agent's
 * thread-local call depth (a few nanoseconds a hook, on the thread's own cache lines) and its
 * try/catch wrappers.
 *
 * <p>Which buffer a task's events go to is chosen per task by its {@link
 * SingleWorkerHandOff.Task#mode}: none, one buffer for both threads (as the agent has), or a buffer
 * of each thread's own. The submit side is {@link #submitted}, called by the benchmark thread after
 * {@code execute}; the worker side is {@link #beforeExecute} and {@link #afterExecute}. No
 * allocation here. The tasks of modes {@link #WOVEN} and {@link #WOVEN_METHODS} are recorded by the
 * agent's own hooks instead.
 */
final class HandRecordedPool extends ThreadPoolExecutor {
  private final EventBuffer[] workerBuffers;

  /** Worker only: its recorder state, for the tasks of mode {@link #WOVEN}. */
  private Object workerState;

  /** Worker only: when the running task started. */
  private long taskStart;

  /**
   * @param workerBuffers by task mode, where the worker publishes start and end; null for none
   */
  HandRecordedPool(EventBuffer[] workerBuffers, ThreadFactory threads) {
    super(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), threads, new AbortPolicy());
    this.workerBuffers = workerBuffers.clone();
  }

  /** As {@code ExecutorRecorder.submitted}: {@code start} is when {@code execute} was called. */
  static void submitted(EventBuffer buffer, Object pool, Object task, long start) {
    publish(buffer, Event.EXECUTOR_SUBMIT, pool, task, start, 0, null);
  }

  /**
   * The mode whose tasks go through the agent's own pool hooks ({@code Woven}, as the weaving of
   * {@code ThreadPoolExecutor.runWorker} calls them), into the buffer the recorders were installed
   * with.
   */
  static final int WOVEN = 3;

  /**
   * The same with the hooks an agent attached to a running JVM weaves into {@code beforeExecute}
   * and {@code afterExecute} themselves, which look the thread's state up in each.
   */
  static final int WOVEN_METHODS = 4;

  @Override
  protected void beforeExecute(Thread worker, Runnable task) {
    int mode = ((SingleWorkerHandOff.Task) task).mode;
    if (mode == WOVEN) {
      if (workerState == null) {
        workerState = Woven.workerLoopEnter(); // the loop's entry: once per worker
      }
      Woven.workerTaskStarts(workerState, this, worker, task);
      return;
    }
    if (mode == WOVEN_METHODS) {
      Woven.beforeExecuteExit(Woven.beforeExecuteEnter(), this, worker, task);
      return;
    }
    EventBuffer buffer = workerBuffers[mode];
    if (buffer != null) {
      long now = System.nanoTime();
      taskStart = now;
      publish(buffer, Event.EXECUTOR_START, this, task, now, 0, worker.getName());
    }
  }

  @Override
  protected void afterExecute(Runnable task, Throwable failure) {
    int mode = ((SingleWorkerHandOff.Task) task).mode;
    if (mode == WOVEN) {
      Woven.workerTaskEnded(workerState, this, task, failure);
      return;
    }
    if (mode == WOVEN_METHODS) {
      Woven.afterExecuteExit(Woven.afterExecuteEnter(this, task, failure));
      return;
    }
    EventBuffer buffer = workerBuffers[mode];
    if (buffer != null) {
      long start = taskStart;
      publish(buffer, Event.EXECUTOR_DONE, this, task, start, System.nanoTime() - start, null);
    }
  }

  private static void publish(
      EventBuffer buffer,
      int kind,
      Object pool,
      Object task,
      long start,
      long duration,
      String name) {
    Event event = buffer.claim();
    if (event == null) {
      return;
    }
    event.kind = kind;
    event.point = 0;
    event.startNanos = start;
    event.executor = pool;
    event.task = task;
    event.durationNanos = duration;
    event.executorName = name;
    event.thrown = null;
    buffer.publish(event);
  }
}
