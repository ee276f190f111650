package dev.conductor.exporter.metrics;

import dev.conductor.bootstrap.Event;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The task metrics of the seed: {@code conductor_tasks_total}, {@code
 * conductor_task_duration_seconds} and the task part of {@code conductor_errors_total}.
 *
 * <p>{@link #record} runs on the exporter thread only; the collectors themselves are read by
 * scrapes on the HTTP threads, which the Prometheus client makes safe.
 */
public final class TaskMetrics {
  private static final double NANOS_PER_SECOND = 1e9;

  private final Counter tasks;
  private final Histogram duration;
  private final ErrorMetrics errors;
  private final LabelValues labels;
  private final List<String> pointNames;
  private final SeriesLimiter tasksLimiter;
  private final SeriesLimiter durationLimiter;

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
    this.tasks =
        Counter.builder()
            .name("conductor_tasks_total")
            .help("Task executions finished, by task type, final status and agent")
            .labelNames("task_type", "status", "agent_id")
            .register(registry);
    this.duration =
        Histogram.builder()
            .name("conductor_task_duration_seconds")
            .help("Run time of task executions, from the start of the call to its end")
            .labelNames("task_type", "agent_id")
            .classicOnly()
            .classicUpperBounds(durationBuckets)
            .register(registry);
    this.tasksLimiter = new SeriesLimiter("conductor_tasks_total", maxSeries, false, true, false);
    this.durationLimiter =
        new SeriesLimiter("conductor_task_duration_seconds", maxSeries, false, false);
  }

  /** Counts one finished execution. Exporter thread only. */
  public void record(Event event) {
    String taskType = labels.of(event.taskType);
    String agentId = labels.of(event.agentId);
    boolean threw = event.thrown != null;
    String status = TaskStatus.of(event.status, threw, labels);

    tasks.labelValues(tasksLimiter.limit(taskType, status, agentId)).inc();
    duration
        .labelValues(durationLimiter.limit(taskType, agentId))
        .observe(event.durationNanos / NANOS_PER_SECOND);
    if (threw) {
      String component = event.agentId != null ? agentId : pointName(event.point);
      errors.record(event.thrown.getClass().getSimpleName(), component, ErrorMetrics.ERROR);
    }
  }

  private String pointName(int point) {
    return point >= 0 && point < pointNames.size() ? pointNames.get(point) : LabelValues.UNKNOWN;
  }

  public List<SeriesLimiter> limiters() {
    return List.of(tasksLimiter, durationLimiter);
  }
}
