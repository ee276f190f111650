package dev.conductor.exporter.tracing;

/**
 * A finished span as the {@link TraceStore} keeps it: its trace id and what sampling asks, with the
 * whole {@link Span} given on demand.
 *
 * <p>Why not always a {@link Span}: at 15,000 tasks a second the store keeps a trace some 70 ms
 * before newer ones push it out, and almost none is ever read. Building each span's name,
 * attributes and wall-clock times on the exporter thread was a fifth of that thread's time per task
 * (PERFORMANCE.md, fourteenth session); a task's or an enqueue's span is now built when the API or
 * the OTLP export first reads it ({@link EventSpan}).
 */
public interface StoredSpan {
  long traceIdHigh();

  long traceIdLow();

  /** Never negative. */
  long durationNanos();

  /** Whether the span is an error; may build the span. */
  boolean failed();

  /** The whole span, built on the first call. Under the trace store's lock. */
  Span span();
}
