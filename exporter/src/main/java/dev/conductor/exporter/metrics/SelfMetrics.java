package dev.conductor.exporter.metrics;

import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.exporter.drain.ExporterLoop;
import dev.conductor.exporter.tracing.TraceStore;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The agent's own health and identity: dropped events, buffer fill, exporter lag, label problems,
 * uptime and build info. All read at scrape time from the live objects, so they cost nothing on the
 * recording path.
 */
public final class SelfMetrics {
  private SelfMetrics() {}

  public static void register(
      PrometheusRegistry registry,
      EventBuffer buffer,
      ExporterLoop loop,
      List<SeriesLimiter<?>> limiters,
      String version,
      long startMillis) {
    CounterWithCallback.builder()
        .name("conductor_agent_events_dropped_total")
        .help("Events the agent dropped because its buffer was full")
        .callback(callback -> callback.call(buffer.dropped()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_events_overflowed_total")
        .help(
            "Events that went through the shared buffer because their thread's own ring was full"
                + " (a thread recording faster than the exporter drains; each costs it more)")
        .callback(callback -> callback.call(buffer.ringFullClaims()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_events_processed_total")
        .help("Events the exporter thread took from the buffer and recorded")
        .callback(callback -> callback.call(loop.drainedTotal()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_agent_buffer_fill_ratio")
        .help("Share of the event buffer waiting for the exporter, 0 to 1")
        .callback(callback -> callback.call((double) buffer.pending() / buffer.slots()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_agent_exporter_lag_seconds")
        .help("Time since the exporter thread last emptied the event buffer")
        .callback(callback -> callback.call(loop.secondsSinceLastDrain()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_label_errors_total")
        .help("Label expressions that failed while reading a task")
        .callback(callback -> callback.call(Recorders.labelErrors()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_label_overflow_total")
        .help("Observations recorded under the 'other' series because a metric hit its series cap")
        .labelNames("metric")
        .callback(
            callback -> {
              for (SeriesLimiter<?> limiter : limiters) {
                callback.call(limiter.overflowed(), limiter.metric());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_uptime_seconds")
        .help("Time since the agent started in this JVM")
        .callback(callback -> callback.call((System.currentTimeMillis() - startMillis) / 1000.0))
        .register(registry);
    Info buildInfo =
        Info.builder()
            .name("conductor_build_info")
            .help("Version of the Conductor agent and of the Java runtime it runs in")
            .labelNames("version", "java_version")
            .register(registry);
    buildInfo.setLabelValues(version, System.getProperty("java.version", "unknown"));
  }

  /** The trace store's own health: how full it is, what it could not keep. */
  public static void registerTracing(PrometheusRegistry registry, TraceStore store) {
    GaugeWithCallback.builder()
        .name("conductor_agent_traces_stored")
        .help(
            "Traces kept in memory for the API: at most tracing.max_traces, and as many set aside for exemplars")
        .callback(callback -> callback.call(store.size()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_trace_spans_discarded_total")
        .help("Spans not kept because their trace already had tracing.max_spans_per_trace spans")
        .callback(callback -> callback.call(store.spansDiscarded()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_trace_handoffs_lost_total")
        .help(
            "Trace contexts of enqueued or submitted tasks overwritten before the task started"
                + " (the task then starts a trace of its own)")
        .callback(callback -> callback.call(Tracing.handoffsOverwritten()))
        .register(registry);
  }
}
