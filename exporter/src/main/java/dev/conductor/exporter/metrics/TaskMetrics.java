package dev.conductor.exporter.metrics;

import dev.conductor.bootstrap.Event;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
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
  private final SeriesLimiter<DistributionDataPoint> durations;

  public TaskMetrics(
      PrometheusRegistry registry,
      ErrorMetrics errors,
      LabelValues labels,
      List<String> pointNames,
      double[] durationBuckets,
      int maxSeries) {
    this.errors = errors;
    this.labels = labels;
    this.pointNames = List.copyOf(pointNames);
    // No exemplars, here and in every metric recorded on the exporter thread: an exemplar is taken
    // from the recording thread's current trace span, and the exporter thread never has one. With
    // exemplars on, each series would still try every 90 ms, allocating a scheduled task each time.
    Counter tasksTotal =
        Counter.builder()
            .name("conductor_tasks_total")
            .help("Task executions finished, by task type, final status and agent")
            .labelNames("task_type", "status", "agent_id")
            .withoutExemplars()
            .register(registry);
    Histogram duration =
        Histogram.builder()
            .name("conductor_task_duration_seconds")
            .help("Run time of task executions, from the start of the call to its end")
            .labelNames("task_type", "agent_id")
            .withoutExemplars()
            .classicOnly()
            .classicUpperBounds(durationBuckets)
            .register(registry);
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
    durations.get(taskType, agentId).observe(event.durationNanos / NANOS_PER_SECOND);
    if (threw) {
      String component = event.agentId != null ? agentId : pointName(event.point);
      errors.record(event.thrown.getClass().getSimpleName(), component, ErrorMetrics.ERROR);
    }
  }

  private String pointName(int point) {
    return point >= 0 && point < pointNames.size() ? pointNames.get(point) : LabelValues.UNKNOWN;
  }

  public List<SeriesLimiter<?>> limiters() {
    return List.of(tasks, durations);
  }
}
