package dev.conductor.exporter.metrics;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.tracing.TraceIds;
import dev.conductor.exporter.tracing.TraceStore;
import io.prometheus.metrics.config.ExemplarsProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task metrics of the seed: {@code conductor_tasks_total}, {@code
 * conductor_task_duration_seconds} and the task part of {@code conductor_errors_total}.
 *
 * <p>{@link #record} runs on the exporter thread only and allocates nothing once a series is known;
 * the collectors themselves are read by scrapes on the HTTP threads, which the Prometheus client
 * makes safe.
 */
public final class TaskMetrics {
  private static final double NANOS_PER_SECOND = 1e9;

  private final ErrorMetrics errors;
  private final LabelValues labels;
  private final List<String> pointNames;
  private final SeriesLimiter<CounterDataPoint> tasks;
  private final SeriesLimiter<DistributionDataPoint> durations;
  private final TraceStore traces;
  private final Map<DistributionDataPoint, long[]> lastExemplar = new IdentityHashMap<>();

  /** Without exemplars. */
  public TaskMetrics(
      PrometheusRegistry registry,
      ErrorMetrics errors,
      LabelValues labels,
      List<String> pointNames,
      double[] durationBuckets,
      int maxSeries) {
    this(registry, errors, labels, pointNames, durationBuckets, maxSeries, null);
  }

  /**
   * @param traces with tracing on, the store whose traces the duration histogram's exemplars point
   *     at; null for no exemplars
   */
  public TaskMetrics(
      PrometheusRegistry registry,
      ErrorMetrics errors,
      LabelValues labels,
      List<String> pointNames,
      double[] durationBuckets,
      int maxSeries,
      TraceStore traces) {
    this.traces = traces;
    this.errors = errors;
    this.labels = labels;
    this.pointNames = List.copyOf(pointNames);
    // No automatic exemplars, here and in every metric recorded on the exporter thread: the client
    // takes them from the recording thread's current span, and the exporter thread never has one.
    // With them on, each series would still try every 90 ms, allocating a scheduled task each
    // time. The duration histogram gets its exemplars explicitly, from the task's own span, at
    // most one a second per series.
    Counter tasksTotal =
        Counter.builder()
            .name("conductor_tasks_total")
            .help("Task executions finished, by task type, final status and agent")
            .labelNames("task_type", "status", "agent_id")
            .withoutExemplars()
            .register(registry);
    Histogram.Builder durationBuilder =
        traces == null ? Histogram.builder() : Histogram.builder(EXEMPLAR_PROPERTIES);
    durationBuilder
        .name("conductor_task_duration_seconds")
        .help("Run time of task executions, from the start of the call to its end")
        .labelNames("task_type", "agent_id");
    if (traces == null) {
      durationBuilder.withoutExemplars();
    } else {
      durationBuilder.withExemplars();
    }
    Histogram duration =
        durationBuilder.classicOnly().classicUpperBounds(durationBuckets).register(registry);
    this.tasks =
        new SeriesLimiter<>(
            "conductor_tasks_total", maxSeries, tasksTotal::labelValues, false, true, false);
    this.durations =
        new SeriesLimiter<>(
            "conductor_task_duration_seconds", maxSeries, duration::labelValues, false, false);
  }

  /** Counts one finished execution. Exporter thread only. */
  public void record(Event event) {
    String taskType = labels.of(event.taskType);
    String agentId = labels.of(event.agentId);
    boolean threw = event.thrown != null;
    String status = TaskStatus.of(event.status, threw, labels);

    tasks.get(taskType, status, agentId).inc();
    DistributionDataPoint duration = durations.get(taskType, agentId);
    double seconds = event.durationNanos / NANOS_PER_SECOND;
    if (exemplarDue(event, duration)) {
      duration.observeWithExemplar(
          seconds,
          Labels.of(
              "trace_id",
              TraceIds.traceId(event.traceIdHigh, event.traceIdLow),
              "span_id",
              TraceIds.spanId(event.spanId)));
    } else {
      duration.observe(seconds);
    }
    if (threw) {
      String component = event.agentId != null ? agentId : pointName(event.point);
      errors.record(event.thrown.getClass().getSimpleName(), component, ErrorMetrics.ERROR);
    }
  }

  /**
   * Whether this observation should carry its span as an exemplar: its trace is stored (so the
   * exemplar leads somewhere), and its series had none in the last second (the client keeps one per
   * bucket anyway; this keeps the id text from being built for every task).
   */
  private boolean exemplarDue(Event event, DistributionDataPoint series) {
    if (traces == null || event.spanId == 0) {
      return false;
    }
    long now = System.nanoTime();
    long[] last = lastExemplar.get(series);
    if (last != null && now - last[0] < EXEMPLAR_INTERVAL_NANOS) {
      return false;
    }
    if (!traces.isKept(event.traceIdHigh, event.traceIdLow)) {
      return false;
    }
    if (last == null) {
      lastExemplar.put(series, new long[] {now});
    } else {
      last[0] = now;
    }
    return true;
  }

  private static final long EXEMPLAR_INTERVAL_NANOS = 1_000_000_000L;

  /** The client's exemplar sampler rate-limited to the same once a second. */
  private static final PrometheusProperties EXEMPLAR_PROPERTIES =
      PrometheusProperties.builder()
          .exemplarProperties(
              ExemplarsProperties.builder().sampleIntervalMilliseconds(1000).build())
          .build();

  private String pointName(int point) {
    return point >= 0 && point < pointNames.size() ? pointNames.get(point) : LabelValues.UNKNOWN;
  }

  public List<SeriesLimiter<?>> limiters() {
    return List.of(tasks, durations);
  }
}
