package com.example.conductor.demo;

/** Thrown by an {@link Agent} when a task crashes instead of producing a {@link TaskResult}. */
public class TaskExecutionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TaskExecutionException(String message) {
    super(message);
  }

  public TaskExecutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
