package dev.conductor.exporter.tracing;

/** Receives every finished span that sampling keeps. Called on the exporter thread only. */
@FunctionalInterface
public interface SpanSink {
  /**
   * No sink: spans are kept for the API only, and a task's span is then built only if the API reads
   * it.
   */
  SpanSink NONE = span -> {};

  /**
   * Must not block: a sink that sends spans elsewhere queues them, bounded, and drops past that.
   */
  void accept(Span span);
}
