package dev.conductor.exporter.tracing.otlp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how late a batch is sent again after a retryable failure: exponential backoff with
 * jitter, bounded in attempts and in delay, so that a collector that is down costs each batch a
 * known, short time before it is dropped.
 *
 * @param maxAttempts attempts per batch, the first one included
 * @param initialBackoffNanos the delay before the second attempt, before jitter
 * @param maxBackoffNanos no delay is longer, a collector's {@code Retry-After} included
 * @param multiplier growth of the delay from one attempt to the next
 */
record RetryPolicy(
    int maxAttempts, long initialBackoffNanos, long maxBackoffNanos, double multiplier) {

  /** The OpenTelemetry SDK's OTLP defaults: 5 attempts, 1 s, x1.5, at most 5 s. */
  static final RetryPolicy DEFAULT = new RetryPolicy(5, 1_000_000_000L, 5_000_000_000L, 1.5);

  RetryPolicy {
    if (maxAttempts < 1 || initialBackoffNanos < 0 || maxBackoffNanos < initialBackoffNanos) {
      throw new IllegalArgumentException("invalid retry policy");
    }
  }

  /**
   * The delay before attempt {@code attempt + 1}, after {@code attempt} failed (1-based): uniform
   * in [half, full] of the exponential delay ("equal jitter"), so that agents that lost one
   * collector together do not all come back in the same instant, and none waits less than half.
   *
   * @param retryAfterNanos what the collector asked for, or 0
   */
  long backoffNanos(int attempt, long retryAfterNanos) {
    double exponential = initialBackoffNanos * Math.pow(multiplier, attempt - 1);
    long full = (long) Math.min(exponential, maxBackoffNanos);
    long jittered = full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
    return Math.min(Math.max(jittered, retryAfterNanos), maxBackoffNanos);
  }
}
