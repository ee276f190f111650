package com.example.benchapp;

/** Outcome of {@link Agent#execute(Task)}; the agent reads {@code status}. */
public final class TaskResult {
  public static final TaskResult SUCCESS = new TaskResult("success");
  public static final TaskResult PARTIAL = new TaskResult("partial");

  private final String status;

  private TaskResult(String status) {
    this.status = status;
  }

  public String getStatus() {
    return status;
  }
}
