package dev.conductor.exporter;

import dev.conductor.exporter.queue.QueueSettings;
import dev.conductor.exporter.tracing.TracingSettings;
import java.util.List;
import java.util.Map;

/**
 * What the exporter needs from the configuration, already validated by the agent.
 *
 * @param apiEnabled serve /metrics, /health and the API on {@code apiHost:apiPort}
 * @param prometheusEnabled also serve /metrics alone on {@code apiHost:prometheusPort}
 * @param pointNames the task points by index, for messages and the fallback error component
 * @param enqueuePointNames the enqueue points by index, for span names
 * @param operationNames the operation points by index: their span names
 * @param startsTracked whether task points publish start events (enqueue or agent points exist)
 * @param taskDurationBuckets upper bounds of the task duration histogram, in seconds
 * @param apiRequestBuckets upper bounds of the HTTP request duration histogram, in seconds
 * @param labelMaxLength label values from application data are cut to this many characters
 * @param maxSeriesPerMetric new label combinations past this many per metric become "other"
 * @param drainIntervalMillis how often the exporter thread empties the event buffer
 * @param agentRetentionSeconds how long a stopped agent stays in the exposition
 * @param executorNames pool names to report under another name (by creating class, its simple name,
 *     or the name derived from the worker threads)
 * @param tracing spans, sampling, the trace store and OTLP export
 */
public record ExporterSettings(
    boolean apiEnabled,
    String apiHost,
    int apiPort,
    boolean prometheusEnabled,
    int prometheusPort,
    List<String> pointNames,
    List<String> enqueuePointNames,
    List<String> operationNames,
    boolean startsTracked,
    double[] taskDurationBuckets,
    double[] apiRequestBuckets,
    int labelMaxLength,
    int maxSeriesPerMetric,
    long drainIntervalMillis,
    QueueSettings queue,
    long agentRetentionSeconds,
    Map<String, String> executorNames,
    TracingSettings tracing,
    String version) {

  public ExporterSettings {
    pointNames = List.copyOf(pointNames);
    enqueuePointNames = List.copyOf(enqueuePointNames);
    operationNames = List.copyOf(operationNames);
    executorNames = Map.copyOf(executorNames);
    taskDurationBuckets = taskDurationBuckets.clone();
    apiRequestBuckets = apiRequestBuckets.clone();
  }

  @Override
  public double[] apiRequestBuckets() {
    return apiRequestBuckets.clone();
  }

  @Override
  public double[] taskDurationBuckets() {
    return taskDurationBuckets.clone();
  }
}
