package dev.conductor.exporter.tracing;

import java.util.Map;

/**
 * The {@code tracing} section of the configuration, already validated by the agent.
 *
 * @param enabled whether spans are recorded at all
 * @param sampleRatio share of ordinary traces kept, 0 to 1, decided from the trace id
 * @param slowThresholdNanos a span at least this long makes its trace slow, always kept
 * @param maxTraces traces kept in memory for the API
 * @param maxSpansPerTrace spans kept per trace
 * @param serviceName {@code service.name} of exported spans
 * @param otlpEndpoint OTLP/HTTP traces URL; empty for no export
 * @param otlpHeaders extra headers of every export request
 * @param otlpTimeoutMillis timeout of one export request
 * @param otlpBatchSize spans per export request at most
 * @param otlpMaxQueueSize spans waiting for export at most; further ones are dropped and counted
 * @param otlpExportIntervalMillis how often a partial batch is sent
 */
public record TracingSettings(
    boolean enabled,
    double sampleRatio,
    long slowThresholdNanos,
    int maxTraces,
    int maxSpansPerTrace,
    String serviceName,
    String otlpEndpoint,
    Map<String, String> otlpHeaders,
    long otlpTimeoutMillis,
    int otlpBatchSize,
    int otlpMaxQueueSize,
    long otlpExportIntervalMillis) {

  public TracingSettings {
    otlpHeaders = Map.copyOf(otlpHeaders);
  }

  /** Tracing off: no spans, no store, no export. */
  public static final TracingSettings DISABLED =
      new TracingSettings(
          false, 0, Long.MAX_VALUE, 10, 2, "", "", Map.of(), 10_000, 512, 4096, 1000);

  public boolean exportsOtlp() {
    return enabled && !otlpEndpoint.isBlank();
  }
}
