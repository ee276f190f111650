package com.example.logginghost;

/** Runs one job: the task the agent is configured to see. */
public final class Worker {
  private final HostLog log;

  Worker(HostLog log) {
    this.log = log;
  }

  public void run(Job job) {
    log.info("running " + job.id());
    log.info("context of " + job.id() + " " + new java.util.TreeSet<>(log.contextKeys()));
  }
}
