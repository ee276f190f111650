package dev.conductor.exporter.api;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.SeriesLimiter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * {@code conductor_api_requests_total} and {@code conductor_api_request_duration_seconds} with
 * {@code method}, {@code endpoint} and {@code status_code}: for the host's HTTP servers (from
 * events, on the exporter thread) and for the agent's own (on its HTTP threads). Hence the lock:
 * both are off the host's threads.
 */
public final class ApiMetrics {
  private static final double NANOS_PER_SECOND = 1e9;

  private final SeriesLimiter<Series> series;
  private final LabelValues labels;

  /** The two metrics always record together, so a series holds both data points. */
  private record Series(CounterDataPoint requests, DistributionDataPoint duration) {}

  public ApiMetrics(
      PrometheusRegistry registry, LabelValues labels, double[] buckets, int maxSeries) {
    this.labels = labels;
    Counter requests =
        Counter.builder()
            .name("conductor_api_requests_total")
            .help("HTTP requests handled, by method, endpoint (IDs folded) and status code")
            .labelNames("method", "endpoint", "status_code")
            .register(registry);
    Histogram duration =
        Histogram.builder()
            .name("conductor_api_request_duration_seconds")
            .help("Time to handle an HTTP request")
            .labelNames("method", "endpoint", "status_code")
            .classicOnly()
            .classicUpperBounds(buckets)
            .register(registry);
    // The method is bounded by its normalisation; the status code is a number under 1000.
    this.series =
        new SeriesLimiter<>(
            "conductor_api_requests_total",
            maxSeries,
            values -> new Series(requests.labelValues(values), duration.labelValues(values)),
            true,
            false,
            true);
  }

  /** A request handled by the host's server. Exporter thread. */
  public void record(Event event) {
    record(
        String.valueOf(event.taskType),
        EndpointNames.of(event.taskId),
        statusCode(event),
        event.durationNanos);
  }

  /** The status code of a request event: 500 when the handler threw, "unknown" when not read. */
  public static String statusCode(Event event) {
    if (event.thrown != null) {
      return "500";
    }
    if (event.status instanceof Number code && code.intValue() > 0) {
      return Integer.toString(code.intValue());
    }
    return "unknown";
  }

  /**
   * @param endpoint a route template or an already folded path, never a raw path
   */
  public synchronized void record(String method, String endpoint, String status, long nanos) {
    Series request = series.get(method(method), labels.of(endpoint), status);
    request.requests().inc();
    request.duration().observe(nanos / NANOS_PER_SECOND);
  }

  /** Standard methods as they are; anything else (a client can send any token) is "other". */
  public static String method(String method) {
    String upper = method == null ? "" : method.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "GET":
      case "HEAD":
      case "POST":
      case "PUT":
      case "DELETE":
      case "PATCH":
      case "OPTIONS":
      case "TRACE":
      case "CONNECT":
        return upper;
      default:
        return "other";
    }
  }

  public SeriesLimiter<?> limiter() {
    return series;
  }
}
