package dev.conductor.exporter.tracing.otlp;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of every span handed to the export. Each counter has one writing thread (the exporter
 * thread for {@code queueFull}, {@code conductor-otlp} for the rest); scrapes read them. Every span
 * accepted is, in the end, counted exactly once: exported or dropped for one reason.
 */
final class ExportCounters {
  final AtomicLong exported = new AtomicLong();
  final AtomicLong queueFull = new AtomicLong();
  final AtomicLong exportFailed = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();

  long dropped() {
    return queueFull.get() + exportFailed.get() + rejected.get();
  }

  void register(PrometheusRegistry registry) {
    CounterWithCallback.builder()
        .name("conductor_agent_spans_exported_total")
        .help("Spans the OTLP collector accepted")
        .callback(callback -> callback.call(exported.get()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_spans_dropped_total")
        .help(
            "Spans not exported: queue_full (the export queue was full), export_failed (the"
                + " collector could not be reached or refused the request, after retries),"
                + " rejected (the collector refused them in a partial success)")
        .labelNames("reason")
        .callback(
            callback -> {
              callback.call(queueFull.get(), "queue_full");
              callback.call(exportFailed.get(), "export_failed");
              callback.call(rejected.get(), "rejected");
            })
        .register(registry);
  }
}
