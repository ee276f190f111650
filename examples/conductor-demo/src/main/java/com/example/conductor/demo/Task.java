package com.example.conductor.demo;

import java.util.Objects;

/**
 * An immutable unit of work.
 *
 * <p>The monitoring agent reads {@code id}, {@code type} and {@code priority} through the getters
 * below by name, so these names are a contract and must not change.
 */
public final class Task {

  /** Most urgent priority. */
  public static final int MIN_PRIORITY = 0;

  /** Least urgent priority. */
  public static final int MAX_PRIORITY = 9;

  private final String id;
  private final String type;
  private final int priority;
  private final long createdAtMillis;
  private final int payloadSize;
  // Drives this task's simulated behaviour, so a task behaves the same whichever worker runs it.
  private final long seed;

  public Task(
      String id, String type, int priority, long createdAtMillis, int payloadSize, long seed) {
    this.id = requireNonBlank(id, "id");
    this.type = requireNonBlank(type, "type");
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be in " + MIN_PRIORITY + ".." + MAX_PRIORITY + ": " + priority);
    }
    if (payloadSize < 0) {
      throw new IllegalArgumentException("payloadSize must be >= 0: " + payloadSize);
    }
    this.priority = priority;
    this.createdAtMillis = createdAtMillis;
    this.payloadSize = payloadSize;
    this.seed = seed;
  }

  private static String requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
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

  public long getCreatedAtMillis() {
    return createdAtMillis;
  }

  /** Bytes the agent allocates as the task's working set. */
  public int getPayloadSize() {
    return payloadSize;
  }

  public long getSeed() {
    return seed;
  }

  @Override
  public String toString() {
    return "Task[" + id + ", " + type + ", p" + priority + "]";
  }
}
