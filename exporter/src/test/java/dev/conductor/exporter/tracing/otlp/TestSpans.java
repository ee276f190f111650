package dev.conductor.exporter.tracing.otlp;

import dev.conductor.exporter.tracing.Span;
import dev.conductor.exporter.tracing.SpanKind;
import dev.conductor.exporter.tracing.TracingSettings;
import java.util.Map;

/** Spans and settings for the tests. */
final class TestSpans {
  static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

  private TestSpans() {}

  /** A root task span numbered {@code n}: trace id and span id derive from it. */
  static Span numbered(long n) {
    return new Span(
        0x1234_5678_9abc_def0L,
        n + 1,
        n + 1,
        0,
        "task " + n,
        SpanKind.CONSUMER,
        START + n,
        START + n + 1_000,
        false,
        null,
        null,
        Map.of("task.number", n),
        "worker-1");
  }

  static TracingSettings settings(String endpoint, int batchSize, int maxQueue, long intervalMs) {
    return new TracingSettings(
        true,
        1.0,
        Long.MAX_VALUE,
        10,
        2,
        "checkout",
        endpoint,
        Map.of("x-tenant", "t1", "authorization", "Bearer abc"),
        2_000,
        batchSize,
        maxQueue,
        intervalMs);
  }
}
