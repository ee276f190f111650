package com.example.benchapp;

/**
 * A worker shaped like the demo's {@code Agent}: a String id and an {@code execute(Task)} method
 * returning a result with a status. The work is deliberately trivial and allocation-free (the
 * results are constants), so that whatever a benchmark adds around the call is what it measures.
 */
public class Agent {
  private final String id;

  public Agent(String id) {
    this.id = id;
  }

  public String getId() {
    return id;
  }

  public TaskResult execute(Task task) {
    return task.getPriority() < 5 ? TaskResult.SUCCESS : TaskResult.PARTIAL;
  }
}
