package com.example.conductor.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Random;

/**
 * The kinds of work the demo knows, each with its own cost and failure profile so that the
 * monitoring agent sees clearly different latency, CPU, allocation and error patterns per type.
 */
public enum TaskType {
  //            wire name          latency ms  hash    payload   weight  p(throw) p(failed)
  // p(timeout) p(partial)
  CODE_REVIEW("code_review", 20, 80, 200, 64 * 1024, 30, 0.03, 0.05, 0.03, 0.07),
  REFACTOR("refactor", 40, 100, 400, 256 * 1024, 15, 0.05, 0.08, 0.05, 0.10),
  TEST_GENERATION("test_generation", 15, 60, 300, 128 * 1024, 20, 0.04, 0.10, 0.02, 0.15),
  ANALYSIS("analysis", 5, 30, 600, 512 * 1024, 20, 0.02, 0.03, 0.06, 0.04),
  DOCUMENTATION("documentation", 2, 15, 50, 16 * 1024, 15, 0.01, 0.02, 0.01, 0.05);

  /** What a single execution of a task will do; drawn up front from the task's seed. */
  enum Outcome {
    SUCCESS,
    FAILED,
    TIMEOUT,
    PARTIAL,
    THROW
  }

  private final String wireName;
  private final int minLatencyMs;
  private final int maxLatencyMs;
  private final int hashRounds;
  private final int payloadBytes;
  private final int weight;
  private final double pThrow;
  private final double pFailed;
  private final double pTimeout;
  private final double pPartial;

  TaskType(
      String wireName,
      int minLatencyMs,
      int maxLatencyMs,
      int hashRounds,
      int payloadBytes,
      int weight,
      double pThrow,
      double pFailed,
      double pTimeout,
      double pPartial) {
    this.wireName = wireName;
    this.minLatencyMs = minLatencyMs;
    this.maxLatencyMs = maxLatencyMs;
    this.hashRounds = hashRounds;
    this.payloadBytes = payloadBytes;
    this.weight = weight;
    this.pThrow = pThrow;
    this.pFailed = pFailed;
    this.pTimeout = pTimeout;
    this.pPartial = pPartial;
  }

  /** The name used in {@link Task#getType()}, the HTTP API and the summary JSON. */
  public String wireName() {
    return wireName;
  }

  public static Optional<TaskType> fromName(String name) {
    for (TaskType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Picks a type according to the relative weights (the demo's workload mix). */
  public static TaskType random(Random random) {
    int total = 0;
    for (TaskType type : values()) {
      total += type.weight;
    }
    int roll = random.nextInt(total);
    for (TaskType type : values()) {
      roll -= type.weight;
      if (roll < 0) {
        return type;
      }
    }
    throw new AssertionError("weights exhausted");
  }

  /** Payload size for a new task: the type's nominal size +/- 50%. */
  int drawPayloadSize(Random random) {
    return (int) (payloadBytes * (0.5 + random.nextDouble()));
  }

  int drawLatencyMs(Random random) {
    return minLatencyMs + random.nextInt(maxLatencyMs - minLatencyMs + 1);
  }

  /** A task running past this is reported as "timeout". */
  int deadlineMs() {
    return maxLatencyMs;
  }

  int hashRounds() {
    return hashRounds;
  }

  Outcome drawOutcome(Random random) {
    double roll = random.nextDouble();
    if ((roll -= pThrow) < 0) {
      return Outcome.THROW;
    }
    if ((roll -= pFailed) < 0) {
      return Outcome.FAILED;
    }
    if ((roll -= pTimeout) < 0) {
      return Outcome.TIMEOUT;
    }
    if ((roll -= pPartial) < 0) {
      return Outcome.PARTIAL;
    }
    return Outcome.SUCCESS;
  }

  /** The exception a crashing task of this type throws; the kinds differ on purpose. */
  RuntimeException crash(String taskId, Random random) {
    switch (this) {
      case CODE_REVIEW:
        return new TaskExecutionException("review tool crashed on " + taskId);
      case REFACTOR:
        return new IllegalStateException("workspace left inconsistent by " + taskId);
      case TEST_GENERATION:
        return new TaskExecutionException("generated tests for " + taskId + " do not compile");
      case ANALYSIS:
        return random.nextBoolean()
            ? new IllegalStateException("analysis index corrupted while running " + taskId)
            : new UncheckedIOException(new IOException("analysis cache unreadable for " + taskId));
      case DOCUMENTATION:
        return new UncheckedIOException(new IOException("docs output not writable for " + taskId));
      default:
        throw new AssertionError(this);
    }
  }

  @Override
  public String toString() {
    return wireName;
  }
}
