package dev.conductor.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The protocol between {@link ExecutorBenchmark}'s thread and the single worker of its pool: task
 * {@code n} runs until the benchmark thread has submitted task {@code n + 1}, so the worker is
 * never idle when a task is handed over, and never more than one task waits in the queue.
 *
 * <p>Sequence of one operation, the worker being inside task {@code n}:
 *
 * <ol>
 *   <li>benchmark thread: {@link #awaitStarted awaitStarted(n)} (untimed; normally returns at
 *       once);
 *   <li>benchmark thread: the timed {@code pool.execute(task n + 1)}. The worker is running task
 *       {@code n} and the queue is empty, so {@code execute} only puts the task in the queue: no
 *       thread to start, no parked worker to wake;
 *   <li>benchmark thread: {@link #release release(n)};
 *   <li>worker: task {@code n} returns; the pool runs {@code afterExecute}, takes task {@code n +
 *       1} from the queue without waiting, runs {@code beforeExecute} and task {@code n + 1}, whose
 *       first act is to read the clock. The time from the end of task {@code n} to the start of
 *       task {@code n + 1} is the worker's per-task overhead, recorded in {@link #gaps}.
 * </ol>
 *
 * <p>A task waits for its release spinning ({@link Thread#onSpinWait}), not parked: a parked task
 * would make the release a system call and the worker's wake-up a scheduler round trip, tens of
 * microseconds of noise that would drown the effect. This keeps one core busy for the whole fork.
 *
 * <p>Threads: {@link #release}, {@link #awaitStarted} and {@link #stop} from the benchmark thread;
 * {@link Task#run} from the worker. {@link #gaps} is written by the worker and may be read by the
 * benchmark thread once {@link #awaitStarted} returned for the last task submitted.
 */
final class SingleWorkerHandOff {
  /**
   * The worker's gaps by the mode of the two tasks around them (only gaps between two tasks of the
   * same mode are recorded). Worker only, then published by the volatile write of {@link #started}.
   */
  final NanosHistogram[] gaps;

  /**
   * One counter, alone on its cache line (the middle of a 192-byte array), that the worker
   * increments as each task starts, so that the benchmark thread's {@link #crossCoreIncrement}
   * finds the line in the worker's core: the cost of moving one line between the two cores, which
   * the host's placement of the two virtual CPUs sets and which every hand-over pays several times.
   */
  private final AtomicLongArray crossCore = new AtomicLongArray(24);

  private static final int CROSS_CORE = 12;

  /** Worker only: when the last task ended, 0 before the first, and its mode. */
  private long lastEnd;

  private int lastMode;

  /** Tasks the worker has started; written by the worker only (and by {@link #reset}). */
  private volatile long started;

  /** Highest task allowed to end; written by the benchmark thread only. */
  private volatile long released;

  private volatile boolean running = true;

  /**
   * @param modes how many kinds of task the benchmark tells apart ({@link Task#mode}); 1 if it
   *     needs none
   */
  SingleWorkerHandOff(int modes) {
    gaps = new NanosHistogram[modes];
    for (int i = 0; i < modes; i++) {
      gaps[i] = new NanosHistogram();
    }
  }

  /**
   * A task of the protocol. Holds only its mode, which the benchmark's pool may read in its hooks;
   * otherwise distinct instances only so that each has an identity.
   */
  final class Task implements Runnable {
    final int mode;

    Task(int mode) {
      this.mode = mode;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      if (lastEnd != 0 && lastMode == mode) {
        gaps[mode].record(start - lastEnd);
      }
      lastMode = mode;
      crossCore.incrementAndGet(CROSS_CORE);
      long n = started + 1;
      started = n;
      while (released < n && running) {
        Thread.onSpinWait();
      }
      lastEnd = System.nanoTime();
    }
  }

  /**
   * Increments the counter the worker incremented when it started the running task: one cache line
   * taken from the worker's core. Benchmark thread, after {@link #awaitStarted}.
   */
  long crossCoreIncrement() {
    return crossCore.incrementAndGet(CROSS_CORE);
  }

  /** Lets task {@code n} end. */
  void release(long n) {
    released = n;
  }

  /** Waits until the worker has started task {@code n}; fails after 10 s. */
  void awaitStarted(long n) {
    if (started >= n) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (started < n) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "the pool's worker did not start task " + n + " in 10 s (started " + started + ")");
      }
      Thread.onSpinWait();
    }
  }

  /** Lets every task end at once, for the pool's shutdown. */
  void stop() {
    running = false;
  }

  /**
   * Starts the protocol afresh after a task was run outside it (with {@link #stop} in force), once
   * that task has ended. Benchmark thread only, with the worker idle.
   */
  void reset() {
    started = 0;
    released = 0;
    lastEnd = 0;
    running = true;
  }
}
