package dev.conductor.exporter.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** {@code conductor_errors_total{error_type, component, severity}}. Exporter thread only. */
public final class ErrorMetrics {
  public static final String ERROR = "error";

  private final Counter errors;
  private final LabelValues labels;
  private final SeriesLimiter limiter;

  public ErrorMetrics(PrometheusRegistry registry, LabelValues labels, int maxSeries) {
    this.labels = labels;
    this.errors =
        Counter.builder()
            .name("conductor_errors_total")
            .help("Errors seen in the host: exceptions thrown by tasks and failed operations")
            .labelNames("error_type", "component", "severity")
            .register(registry);
    this.limiter = new SeriesLimiter("conductor_errors_total", maxSeries, false, false, true);
  }

  public void record(String errorType, String component, String severity) {
    errors.labelValues(limiter.limit(labels.of(errorType), labels.of(component), severity)).inc();
  }

  public SeriesLimiter limiter() {
    return limiter;
  }
}
