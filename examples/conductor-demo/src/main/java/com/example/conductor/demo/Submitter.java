package com.example.conductor.demo;

import java.util.concurrent.TimeUnit;

/**
 * Feeds the orchestrator a paced stream of random tasks: {@code limit} of them, or endlessly if 0.
 */
final class Submitter implements Runnable {

  private static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long BACKLOG_WAIT_MILLIS = 50;

  private final Orchestrator orchestrator;
  private final TaskFactory factory;
  private final long limit;
  private final long intervalNanos;
  private volatile boolean stopped;

  Submitter(Orchestrator orchestrator, TaskFactory factory, long limit, double tasksPerSecond) {
    if (limit < 0 || !(tasksPerSecond > 0)) {
      throw new IllegalArgumentException("limit must be >= 0 and rate > 0");
    }
    this.orchestrator = orchestrator;
    this.factory = factory;
    this.limit = limit;
    this.intervalNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / tasksPerSecond));
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    try {
      for (long count = 0; !stopped && (limit == 0 || count < limit); count++) {
        // Back-pressure: an overloaded orchestrator should not grow its queue without bound.
        while (!stopped && orchestrator.queueLength() >= Orchestrator.MAX_BACKLOG) {
          Thread.sleep(BACKLOG_WAIT_MILLIS);
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        } else if (-wait > MAX_LAG_NANOS) {
          // After a long stall, resume the pace instead of bursting to catch up.
          next = System.nanoTime();
        }
        if (stopped) {
          break;
        }
        orchestrator.submit(factory.createRandom());
        next += intervalNanos;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // The orchestrator was stopped under us (shutdown): nothing left to do.
    }
  }
}
