package dev.conductor.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every scalar key of the configuration, with its default. {@code config/monitoring.yaml} documents
 * the same keys and defaults, and a test holds the two together.
 *
 * <p>The sections {@code metrics}, {@code monitoring}, {@code task_queue} and {@code alerting} are
 * the seed's; {@code agent}, {@code histograms}, {@code instrumentation} and {@code tracing} are
 * the agent's own.
 */
final class Schema {
  static final List<Double> TASK_DURATION_BUCKETS =
      List.of(
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0);
  static final List<Double> QUEUE_TIME_BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);
  static final List<Double> API_BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  /** Keys of the {@code instrumentation} section that hold lists of hook points. */
  static final Set<String> POINT_LISTS = Set.of("tasks", "enqueue", "agents", "operations");

  /** The {@code instrumentation} key that maps pool names to the names to report instead. */
  static final String EXECUTOR_NAMES = "executor_names";

  private static final int MAX_PORT = 65535;

  static final Map<String, ScalarKey> SCALARS = scalars();

  private Schema() {}

  private static Map<String, ScalarKey> scalars() {
    Map<String, ScalarKey> keys = new LinkedHashMap<>();
    for (ScalarKey key :
        List.of(
            ScalarKey.bool("metrics.prometheus_enabled", true),
            ScalarKey.integer("metrics.prometheus_port", 8000, 0, MAX_PORT),
            ScalarKey.bool("metrics.api_enabled", true),
            ScalarKey.string("metrics.api_host", "127.0.0.1"),
            ScalarKey.integer("metrics.api_port", 8080, 0, MAX_PORT),
            ScalarKey.bool("metrics.api_authentication", false),
            ScalarKey.string("metrics.api_key", ""),
            ScalarKey.string("metrics.push_gateway", ""),
            ScalarKey.integer("monitoring.update_interval", 30, 1, 86_400),
            ScalarKey.integer("monitoring.snapshot_interval", 60, 1, 86_400),
            ScalarKey.integer("monitoring.cleanup_interval", 3600, 1, 604_800),
            ScalarKey.integer("monitoring.max_metrics_age_hours", 24, 1, 8760),
            ScalarKey.integer("monitoring.agent_retention_seconds", 600, 0, 604_800),
            ScalarKey.integer("task_queue.max_size", 1000, 1, 100_000_000),
            ScalarKey.integer("task_queue.priority_levels", 10, 1, 1000),
            ScalarKey.integer("task_queue.throughput_window_seconds", 60, 1, 3600),
            ScalarKey.bool("alerting.enabled", true),
            ScalarKey.number("alerting.cpu_usage_threshold", 80.0, 0, 100),
            ScalarKey.number("alerting.memory_usage_threshold", 85.0, 0, 100),
            ScalarKey.number("alerting.error_rate_threshold", 10.0, 0, 100),
            ScalarKey.number("alerting.response_time_threshold", 5000.0, 0, 86_400_000),
            ScalarKey.integer("alerting.queue_backlog_threshold", 100, 0, 100_000_000),
            ScalarKey.integer("agent.buffer_size", 16_384, 64, 1 << 22),
            ScalarKey.integer("agent.drain_interval_ms", 100, 10, 10_000),
            ScalarKey.integer("agent.label_max_length", 128, 8, 4096),
            ScalarKey.integer("agent.max_series_per_metric", 2000, 10, 1_000_000),
            ScalarKey.integer("agent.max_pending_tasks", 100_000, 100, 10_000_000),
            ScalarKey.buckets("histograms.task_duration_seconds", TASK_DURATION_BUCKETS),
            ScalarKey.buckets("histograms.task_queue_time_seconds", QUEUE_TIME_BUCKETS),
            ScalarKey.buckets("histograms.api_request_duration_seconds", API_BUCKETS),
            ScalarKey.bool("instrumentation.executors", true),
            ScalarKey.bool("instrumentation.http_servers", true),
            ScalarKey.bool("instrumentation.http_clients", true),
            ScalarKey.bool("instrumentation.verify_classes", true),
            ScalarKey.bool("tracing.enabled", true),
            ScalarKey.number("tracing.sample_ratio", 1.0, 0, 1),
            ScalarKey.integer("tracing.slow_threshold_ms", 5000, 0, 86_400_000),
            ScalarKey.integer("tracing.max_traces", 1000, 10, 1_000_000),
            ScalarKey.integer("tracing.max_spans_per_trace", 256, 2, 100_000),
            ScalarKey.string("tracing.service_name", ""),
            ScalarKey.bool("tracing.log_correlation", true),
            ScalarKey.bool("tracing.task_fields", true),
            ScalarKey.string("tracing.otlp.endpoint", ""),
            ScalarKey.string("tracing.otlp.headers", ""),
            ScalarKey.integer("tracing.otlp.timeout_ms", 10_000, 100, 600_000),
            ScalarKey.integer("tracing.otlp.batch_size", 512, 1, 100_000),
            ScalarKey.integer("tracing.otlp.max_queue_size", 4096, 1, 10_000_000),
            ScalarKey.integer("tracing.otlp.export_interval_ms", 1000, 10, 600_000))) {
      keys.put(key.path(), key);
    }
    return keys;
  }

  /** Section names, in documentation order. */
  static List<String> sections() {
    return List.of(
        "metrics",
        "monitoring",
        "task_queue",
        "alerting",
        "agent",
        "histograms",
        "instrumentation",
        "tracing");
  }
}
