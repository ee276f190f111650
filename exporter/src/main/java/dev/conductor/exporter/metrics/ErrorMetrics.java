package dev.conductor.exporter.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** {@code conductor_errors_total{error_type, component, severity}}. Exporter thread only. */
public final class ErrorMetrics {
  public static final String ERROR = "error";

  private final LabelValues labels;
  private final SeriesLimiter<CounterDataPoint> errors;

  public ErrorMetrics(PrometheusRegistry registry, LabelValues labels, int maxSeries) {
    this.labels = labels;
    Counter errorsTotal =
        Counter.builder()
            .name("conductor_errors_total")
            .help("Errors seen in the host: exceptions thrown by tasks and failed operations")
            .labelNames("error_type", "component", "severity")
            .withoutExemplars() // no trace span on the exporter thread: see TaskMetrics
            .register(registry);
    this.errors =
        new SeriesLimiter<>(
            "conductor_errors_total", maxSeries, errorsTotal::labelValues, false, false, true);
  }

  public void record(String errorType, String component, String severity) {
    errors.get(labels.of(errorType), labels.of(component), severity).inc();
  }

  public SeriesLimiter<?> limiter() {
    return errors;
  }
}
