package dev.conductor.exporter.drain;

import dev.conductor.exporter.agents.AgentTracker;
import dev.conductor.exporter.api.ApiMetrics;
import dev.conductor.exporter.executors.ExecutorTracker;
import dev.conductor.exporter.metrics.ErrorMetrics;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.TaskMetrics;
import dev.conductor.exporter.queue.QueueSettings;
import dev.conductor.exporter.queue.QueueTracker;
import dev.conductor.exporter.tracing.SpanAssembler;
import dev.conductor.exporter.tracing.TraceRecorder;
import dev.conductor.exporter.tracing.TraceStore;
import dev.conductor.exporter.tracing.TracingSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The aggregates wired as {@code ConductorExporter} wires them, without threads or servers.
 *
 * @param traces the trace store; null without tracing
 */
record WiredRouter(EventRouter router, PrometheusRegistry registry, TraceStore traces) {
  static final double[] BUCKETS = {0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};

  /** Tracing settings that keep every trace. */
  static final TracingSettings KEEP_ALL_TRACES =
      new TracingSettings(
          true, 1.0, Long.MAX_VALUE, 1000, 256, "test", "", Map.of(), 1000, 512, 4096, 1000);

  /**
   * @param tracing null for tracing off
   */
  static WiredRouter wire(boolean startsTracked, TracingSettings tracing) {
    PrometheusRegistry registry = new PrometheusRegistry();
    LabelValues labels = new LabelValues(128);
    int maxSeries = 100;
    ErrorMetrics errors = new ErrorMetrics(registry, labels, maxSeries);
    TraceRecorder traces =
        tracing == null
            ? null
            : new TraceRecorder(
                new SpanAssembler(
                    labels, List.of("Agent.execute"), List.of("submit"), Clock.systemUTC()),
                new TraceStore(tracing, span -> {}));
    TaskMetrics tasks =
        new TaskMetrics(
            registry,
            errors,
            labels,
            List.of("Agent.execute"),
            BUCKETS,
            maxSeries,
            traces == null ? null : traces.store());
    QueueTracker queue =
        new QueueTracker(
            registry,
            labels,
            new QueueSettings(5, 10_000, 10_000, 60, BUCKETS, maxSeries),
            s -> {});
    AgentTracker agents = new AgentTracker(registry, labels, 600, maxSeries);
    ApiMetrics api = new ApiMetrics(registry, labels, BUCKETS, maxSeries);
    ExecutorTracker executors =
        new ExecutorTracker(
            registry, labels, errors, BUCKETS, BUCKETS, 10_000, maxSeries, Map.of());
    EventRouter router =
        new EventRouter(tasks, queue, agents, api, executors, startsTracked, traces);
    return new WiredRouter(router, registry, traces == null ? null : traces.store());
  }
}
