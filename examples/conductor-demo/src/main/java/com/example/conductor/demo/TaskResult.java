package com.example.conductor.demo;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of one {@link Agent#execute(Task)} call.
 *
 * <p>The monitoring agent reads {@code status} via {@link #getStatus()} by name.
 */
public final class TaskResult {

  public static final String SUCCESS = "success";
  public static final String FAILED = "failed";
  public static final String TIMEOUT = "timeout";
  public static final String PARTIAL = "partial";

  /** Every status a result can carry, in reporting order. */
  public static final List<String> STATUSES = List.of(SUCCESS, FAILED, TIMEOUT, PARTIAL);

  private final String status;
  private final String message;

  public TaskResult(String status, String message) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("unknown status: " + status);
    }
    this.status = status;
    this.message = Objects.requireNonNullElse(message, "");
  }

  public static TaskResult success(String message) {
    return new TaskResult(SUCCESS, message);
  }

  public static TaskResult failed(String message) {
    return new TaskResult(FAILED, message);
  }

  public static TaskResult timeout(String message) {
    return new TaskResult(TIMEOUT, message);
  }

  public static TaskResult partial(String message) {
    return new TaskResult(PARTIAL, message);
  }

  public String getStatus() {
    return status;
  }

  /** Human-readable output of the task (or why it did not succeed). */
  public String getMessage() {
    return message;
  }

  @Override
  public String toString() {
    return "TaskResult[" + status + ", " + message + "]";
  }
}
