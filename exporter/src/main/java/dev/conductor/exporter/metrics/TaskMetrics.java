package dev.conductor.exporter.metrics;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.tracing.TraceStore;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

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
  private final SeriesLimiter<DurationSeries> durations;
  private final TraceStore traces;

  private static final String[] DURATION_LABELS = {"task_type", "agent_id"};

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
    // time. The duration histogram's exemplars are the tasks' own spans, at most one a second per
    // series, kept by DurationExemplars.
    Counter tasksTotal =
        Counter.builder()
            .name("conductor_tasks_total")
            .help("Task executions finished, by task type, final status and agent")
            .labelNames("task_type", "status", "agent_id")
            .withoutExemplars()
            .register(registry);
    ExporterHistogram duration =
        new ExporterHistogram(
            "conductor_task_duration_seconds",
            "Run time of task executions, from the start of the call to its end",
            durationBuckets,
            DURATION_LABELS);
    DurationExemplars exemplars = traces == null ? null : new DurationExemplars(duration, traces);
    registry.register(exemplars == null ? duration : exemplars);
    this.tasks =
        new SeriesLimiter<>(
            "conductor_tasks_total", maxSeries, tasksTotal::labelValues, false, true, false);
    this.durations =
        new SeriesLimiter<>(
            "conductor_task_duration_seconds",
            maxSeries,
            values ->
                new DurationSeries(
                    duration.labelValues(values),
                    exemplars == null ? null : exemplars.newSeries(DURATION_LABELS, values)),
            false,
            false);
  }

  /** Counts one finished execution. Exporter thread only. */
  public void record(Event event) {
    String taskType = labels.of(event.taskType);
    String agentId = labels.of(event.agentId);
    boolean threw = event.thrown != null;
    String status = TaskStatus.of(event.status, threw, labels);

    tasks.get(taskType, status, agentId).inc();
    DurationSeries duration = durations.get(taskType, agentId);
    double seconds = event.durationNanos / NANOS_PER_SECOND;
    duration.point.observe(seconds);
    if (exemplarDue(event, duration)) {
      duration.exemplars.keep(
          seconds, event.traceIdHigh, event.traceIdLow, event.spanId, System.currentTimeMillis());
    }
    if (threw) {
      String component = event.agentId != null ? agentId : pointName(event.point);
      errors.record(event.thrown.getClass().getSimpleName(), component, ErrorMetrics.ERROR);
    }
  }

  /**
   * Whether this observation's span should be kept as its series' exemplar: its trace is stored (so
   * the exemplar leads somewhere), and the series took none in the last second.
   */
  private boolean exemplarDue(Event event, DurationSeries series) {
    if (series.exemplars == null || event.spanId == 0) {
      return false;
    }
    long now = System.nanoTime();
    if (series.exemplarTaken && now - series.lastExemplarNanos < EXEMPLAR_INTERVAL_NANOS) {
      return false;
    }
    if (!traces.isKept(event.traceIdHigh, event.traceIdLow)) {
      return false;
    }
    series.exemplarTaken = true;
    series.lastExemplarNanos = now;
    return true;
  }

  private static final long EXEMPLAR_INTERVAL_NANOS = 1_000_000_000L;

  /** A duration series: its data point and, with tracing, its exemplars. */
  private static final class DurationSeries {
    final ExporterHistogram.Series point;
    final DurationExemplars.Series exemplars;
    boolean exemplarTaken; // exporter thread only, as is the time below
    long lastExemplarNanos;

    DurationSeries(ExporterHistogram.Series point, DurationExemplars.Series exemplars) {
      this.point = point;
      this.exemplars = exemplars;
    }
  }

  private String pointName(int point) {
    return point >= 0 && point < pointNames.size() ? pointNames.get(point) : LabelValues.UNKNOWN;
  }

  public List<SeriesLimiter<?>> limiters() {
    return List.of(tasks, durations);
  }
}
