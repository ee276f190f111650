package dev.conductor.exporter.tracing;

import java.util.Map;

/**
 * A finished span, as the trace store, the API and the OTLP export see it. Built on the exporter
 * thread from an event; immutable.
 *
 * @param traceIdHigh the upper 64 bits of the W3C trace id
 * @param traceIdLow the lower 64 bits of the W3C trace id
 * @param spanId never 0
 * @param parentSpanId 0 for the root span of a trace
 * @param name what ran, e.g. {@code task code_review} or {@code Orchestrator.submit}
 * @param startEpochNanos wall-clock start, nanoseconds since the epoch
 * @param endEpochNanos wall-clock end, nanoseconds since the epoch
 * @param errorType simple class name of what the call threw, or null
 * @param errorMessage its message, or null
 * @param attributes ordered; values are {@code String}, {@code Long}, {@code Double} or {@code
 *     Boolean}; not copied, so the caller must not change them afterwards
 * @param threadName the thread the span ran on
 */
public record Span(
    long traceIdHigh,
    long traceIdLow,
    long spanId,
    long parentSpanId,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    boolean failed,
    String errorType,
    String errorMessage,
    Map<String, Object> attributes,
    String threadName)
    implements StoredSpan {

  /** Takes {@code attributes} over as they are (the assembler builds a fresh map per span). */
  public Span {
    if (!(attributes instanceof SpanAttributes)) { // read-only already
      attributes = java.util.Collections.unmodifiableMap(attributes);
    }
  }

  /** Itself: a span built at once is stored as it is. */
  @Override
  public Span span() {
    return this;
  }

  @Override
  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  public boolean isRoot() {
    return parentSpanId == 0;
  }

  public String traceId() {
    return TraceIds.traceId(traceIdHigh, traceIdLow);
  }

  public String spanIdText() {
    return TraceIds.spanId(spanId);
  }
}
