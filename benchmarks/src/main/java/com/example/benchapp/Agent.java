package com.example.benchapp;

/**
 * A worker shaped like the demo's {@code Agent}: a String id, {@code execute(Task)} returning a
 * result with a status, and the lifecycle methods the demo config hooks. The work is deliberately
 * trivial and allocation-free (the results are constants), so that whatever a benchmark adds around
 * the call is what it measures.
 */
public class Agent {
  private final String id;
  private volatile boolean running;

  public Agent(String id) {
    this.id = id;
  }

  public String getId() {
    return id;
  }

  public void start() {
    running = true;
  }

  public void stop() {
    running = false;
  }

  public boolean healthCheck() {
    return running;
  }

  public TaskResult execute(Task task) {
    return task.getPriority() < 5 ? TaskResult.SUCCESS : TaskResult.PARTIAL;
  }
}
