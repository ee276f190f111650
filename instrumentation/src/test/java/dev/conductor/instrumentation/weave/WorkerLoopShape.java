package dev.conductor.instrumentation.weave;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of {@code ThreadPoolExecutor.runWorker} for the worker-loop rule: each task between a
 * call of {@code beforeExecute} and one of {@code afterExecute}, the latter with the task's
 * exception when it threw. Unlike a pool's worker, which dies with a failed task, this loop goes on
 * to the next one.
 */
public class WorkerLoopShape {
  /** What the loop's own hooks saw, in order. */
  public final List<String> calls = new ArrayList<>();

  public void runWorker(Runnable[] tasks) {
    Thread worker = Thread.currentThread();
    for (Runnable task : tasks) {
      beforeExecute(worker, task);
      try {
        task.run();
        afterExecute(task, null);
      } catch (Throwable e) {
        afterExecute(task, e);
      }
    }
  }

  protected void beforeExecute(Thread worker, Runnable task) {
    calls.add("before " + task);
  }

  protected void afterExecute(Runnable task, Throwable failure) {
    calls.add("after " + task + (failure == null ? "" : " " + failure.getMessage()));
  }
}
