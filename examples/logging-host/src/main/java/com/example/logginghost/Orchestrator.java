package com.example.logginghost;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Jobs are submitted to a queue on the caller's thread and run by one worker thread that takes them
 * from it. Logs on both sides, and outside any job, with a key of its own in the MDC.
 */
public final class Orchestrator {
  private static final Job STOP = new Job("stop", "stop");

  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final HostLog log;
  private final Worker worker;

  Orchestrator(HostLog log) {
    this.log = log;
    this.worker = new Worker(log);
  }

  public void submit(Job job) {
    log.info("enqueued " + job.id());
    queue.add(job);
  }

  /** Runs {@code jobs} jobs through the queue and returns once the worker has run them all. */
  void runJobs(int jobs) throws InterruptedException {
    log.putContext("tenant", "acme");
    log.info("outside before");
    Thread thread =
        new Thread(
            () -> {
              log.putContext("tenant", "acme-worker");
              try {
                for (Job job = queue.take(); job != STOP; job = queue.take()) {
                  log.info("picked up " + job.id());
                  worker.run(job);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "job-worker");
    thread.start();
    for (int i = 0; i < jobs; i++) {
      submit(new Job("job-" + i, "report"));
    }
    queue.add(STOP);
    thread.join();
    log.info("outside after");
  }
}
