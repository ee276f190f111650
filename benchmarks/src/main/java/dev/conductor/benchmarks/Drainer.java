package dev.conductor.benchmarks;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Empties one or more {@link EventBuffer}s on a thread of its own into a sink that does nothing:
 * the consumer side of the in-process benchmarks.
 *
 * <p>The same loop as the agent's {@code ExporterLoop} (drain; park for the interval unless the
 * drain found the pool at least half full), with a 0.5 ms interval instead of the agent's 100 ms
 * default (10 ms minimum): back-to-back calls fill the 16384-event pool in about a millisecond, and
 * the benchmarks want every call to take the full path (claim, labels, publish), not the drop path.
 * Events are still drained in batches, as the agent drains them, rather than one by one by a
 * spinning thread, which would bounce the queues' cache lines between the cores on every call. The
 * benchmarks print the drops per iteration.
 */
final class Drainer implements Runnable {
  private static final Consumer<Event> NOTHING = event -> {};

  /**
   * How long the drainer parks after a drain that found no buffer half full: 500 us unless the
   * fork's {@value #INTERVAL_PROPERTY} system property says otherwise. The shorter it is, the more
   * often the recording threads' ring lines are taken to the drainer's core and back: {@link
   * ExecutorBenchmark#executeRecordedByHand} shows what that costs a pool's worker.
   */
  static final String INTERVAL_PROPERTY = "conductor.bench.drainer_interval_us";

  private static final long INTERVAL_NANOS =
      TimeUnit.MICROSECONDS.toNanos(Long.getLong(INTERVAL_PROPERTY, 500));

  private final EventBuffer[] buffers;
  private final Thread thread;
  private volatile boolean running = true;

  /** Events drained from each buffer so far; written by the drainer thread only. */
  private final long[] drained;

  /** Drains {@code buffers} one after the other, parking when none was at least half full. */
  Drainer(EventBuffer... buffers) {
    this.buffers = buffers.clone();
    this.drained = new long[buffers.length];
    this.thread = new Thread(this, "bench-drainer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (running) {
      boolean busy = false;
      for (int i = 0; i < buffers.length; i++) {
        int count = buffers[i].drain(NOTHING);
        drained[i] += count;
        busy |= count >= buffers[i].capacity() / 2;
      }
      if (!busy) {
        LockSupport.parkNanos(INTERVAL_NANOS);
      }
    }
  }

  /** Events drained from {@code buffer}, one of this drainer's, so far (read racily: a figure). */
  long drained(EventBuffer buffer) {
    for (int i = 0; i < buffers.length; i++) {
      if (buffers[i] == buffer) {
        return drained[i];
      }
    }
    throw new IllegalArgumentException("not drained here: " + buffer);
  }

  void stop() throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    thread.join();
  }
}
