package dev.conductor.exporter.tracing;

/** Receives every finished span that sampling keeps. Called on the exporter thread only. */
@FunctionalInterface
public interface SpanSink {
  /**
   * Must not block: a sink that sends spans elsewhere queues them, bounded, and drops past that.
   */
  void accept(Span span);
}
