package dev.conductor.exporter.tracing.otlp;

/**
 * What one export request came to.
 *
 * @param result whether the batch arrived, may be sent again, or is lost
 * @param rejectedSpans spans of an accepted request that the collector refused (OTLP partial
 *     success)
 * @param problem one line for the log when the request failed, else null
 * @param retryAfterNanos the delay the collector asked for ({@code Retry-After}), or 0
 */
record ExportOutcome(Result result, long rejectedSpans, String problem, long retryAfterNanos) {
  enum Result {
    ACCEPTED,
    /** Nothing reached the collector, or it said to come back later: send the batch again. */
    RETRYABLE,
    /**
     * The collector refused the request, or it was sent but never answered: not sent again, since
     * the collector may hold it already and a retry could duplicate every span of the batch.
     */
    FAILED
  }

  static ExportOutcome accepted(long rejectedSpans) {
    return new ExportOutcome(Result.ACCEPTED, rejectedSpans, null, 0);
  }

  static ExportOutcome retryable(String problem, long retryAfterNanos) {
    return new ExportOutcome(Result.RETRYABLE, 0, problem, retryAfterNanos);
  }

  static ExportOutcome failed(String problem) {
    return new ExportOutcome(Result.FAILED, 0, problem, 0);
  }
}
