package com.example.benchapp;

/**
 * The benchmark's stand-in for an application's unit of work, shaped like the demo's {@code Task}
 * (type, id, priority behind getters). Lives outside {@code dev.conductor.*} on purpose: the agent
 * never instruments its own packages.
 */
public final class Task {
  private final String id;
  private final String type;
  private final int priority;

  public Task(String id, String type, int priority) {
    this.id = id;
    this.type = type;
    this.priority = priority;
  }

  public String getId() {
    return id;
  }

  public String getType() {
    return type;
  }

  public int getPriority() {
    return priority;
  }
}
