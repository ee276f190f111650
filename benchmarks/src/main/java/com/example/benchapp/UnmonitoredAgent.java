package com.example.benchapp;

/**
 * The same worker as {@link Agent}, but no config names it (and it is no subtype of {@link Agent}),
 * so the agent never instruments it: the control of the paired measurements.
 */
public class UnmonitoredAgent {
  private final String id;

  public UnmonitoredAgent(String id) {
    this.id = id;
  }

  public String getId() {
    return id;
  }

  public TaskResult execute(Task task) {
    return task.getPriority() < 5 ? TaskResult.SUCCESS : TaskResult.PARTIAL;
  }
}
