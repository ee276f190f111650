package dev.conductor.benchmarks;

import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.TaskEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A stand-in for the agent's exporter thread in the in-process benchmarks: the same loop as {@code
 * ExporterLoop} (drain; park for the interval unless the drain found the buffer at least half full)
 * with a sink that does nothing, so that only the queue traffic between the two threads is left.
 */
final class Drainer implements Runnable {
  private static final Consumer<TaskEvent> NOTHING = event -> {};

  private final EventBuffer buffer;
  private final long intervalNanos;
  private final Thread thread;
  private volatile boolean running = true;

  Drainer(EventBuffer buffer, long intervalMillis) {
    this.buffer = buffer;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.thread = new Thread(this, "bench-drainer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (running) {
      if (buffer.drain(NOTHING) < buffer.capacity() / 2) {
        LockSupport.parkNanos(intervalNanos);
      }
    }
  }

  void stop() throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    thread.join();
  }
}
