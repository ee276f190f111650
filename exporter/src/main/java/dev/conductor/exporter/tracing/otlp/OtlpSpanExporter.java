package dev.conductor.exporter.tracing.otlp;

import dev.conductor.exporter.tracing.Span;
import dev.conductor.exporter.tracing.SpanSink;
import dev.conductor.exporter.tracing.TracingSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends finished spans to an OpenTelemetry collector over OTLP/HTTP (protobuf), from a thread of
 * its own, {@code conductor-otlp}.
 *
 * <p>{@link #accept} is called on the agent's exporter thread and only puts the span in a bounded
 * queue ({@code tracing.otlp.max_queue_size}): no lock, no I/O, no allocation; when the queue is
 * full the span is dropped and counted. A slow or unreachable collector therefore costs the host
 * and the exporter thread nothing but the spans it cannot take.
 */
public final class OtlpSpanExporter implements SpanSink, AutoCloseable {
  private final SpscSpanQueue queue;
  private final ExportCounters counters;
  private final ExportWorker worker;
  private final Thread thread;
  private final int batchSize;
  private final long closeTimeoutMillis;

  private OtlpSpanExporter(Builder builder, URL url) {
    TracingSettings settings = builder.settings;
    this.queue = new SpscSpanQueue(settings.otlpMaxQueueSize());
    this.counters = new ExportCounters();
    // A batch never waits for more spans than the queue can hold.
    this.batchSize = Math.min(settings.otlpBatchSize(), settings.otlpMaxQueueSize());
    this.closeTimeoutMillis = settings.otlpTimeoutMillis();
    String endpoint = settings.otlpEndpoint();
    this.worker =
        new ExportWorker(
            queue,
            new TraceRequestEncoder(
                resource(settings.serviceName(), builder.agentVersion),
                "dev.conductor.agent",
                builder.agentVersion),
            new OtlpHttpSender(
                url, settings.otlpHeaders(), "conductor-agent/" + builder.agentVersion),
            builder.retry,
            counters,
            new ExportStateLog(endpoint, builder.log, counters::dropped),
            batchSize,
            settings.otlpExportIntervalMillis(),
            (int) Math.min(Integer.MAX_VALUE, settings.otlpTimeoutMillis()));
    this.thread = new Thread(worker, "conductor-otlp");
    thread.setDaemon(true);
    if (builder.registry != null) {
      counters.register(builder.registry);
    }
  }

  /**
   * Starts the export that {@code settings} describe.
   *
   * @param registry receives the agent's export counters
   * @param log receives one line each time the export starts failing or recovers
   * @throws IllegalArgumentException when the endpoint is not an http or https URL
   */
  public static OtlpSpanExporter start(
      TracingSettings settings, PrometheusRegistry registry, Consumer<String> log) {
    return builder(settings).registry(registry).log(log).start();
  }

  public static Builder builder(TracingSettings settings) {
    return new Builder(settings);
  }

  /**
   * Exporter thread only. Never blocks: queues the span, or drops and counts it when the queue is
   * full.
   */
  @Override
  public void accept(Span span) {
    if (!queue.offer(span)) {
      counters.queueFull.incrementAndGet();
      return;
    }
    // One signal as the queue reaches a full batch; the worker sees the rest when it wakes.
    if (queue.size() == batchSize) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Sends what is queued, waiting at most {@code tracing.otlp.timeout_ms}; what is still queued
   * then is dropped and counted. Call it once nothing calls {@link #accept} any more.
   */
  @Override
  public void close() {
    worker.requestClose(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMillis));
    LockSupport.unpark(thread);
    try {
      thread.join(closeTimeoutMillis + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Spans the collector accepted so far. */
  public long exported() {
    return counters.exported.get();
  }

  /** Spans dropped so far, for any reason. */
  public long dropped() {
    return counters.dropped();
  }

  int queued() {
    return queue.size();
  }

  long droppedQueueFull() {
    return counters.queueFull.get();
  }

  long droppedExportFailed() {
    return counters.exportFailed.get();
  }

  long droppedRejected() {
    return counters.rejected.get();
  }

  private static Map<String, Object> resource(String serviceName, String agentVersion) {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("service.name", serviceName);
    resource.put("telemetry.sdk.name", "conductor-agent");
    resource.put("telemetry.sdk.language", "java");
    resource.put("telemetry.sdk.version", agentVersion);
    resource.put("process.pid", ProcessHandle.current().pid());
    resource.put("process.runtime.name", System.getProperty("java.runtime.name", "unknown"));
    resource.put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
    return resource;
  }

  /** Options beyond the settings. */
  public static final class Builder {
    private final TracingSettings settings;
    private PrometheusRegistry registry;
    private Consumer<String> log = line -> {};
    private String agentVersion = "unknown";
    private RetryPolicy retry = RetryPolicy.DEFAULT;

    private Builder(TracingSettings settings) {
      this.settings = settings;
    }

    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder log(Consumer<String> log) {
      this.log = log;
      return this;
    }

    /** {@code telemetry.sdk.version} and the scope version of exported spans. */
    public Builder agentVersion(String agentVersion) {
      this.agentVersion = agentVersion;
      return this;
    }

    Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public OtlpSpanExporter start() {
      OtlpSpanExporter exporter = new OtlpSpanExporter(this, url(settings.otlpEndpoint()));
      exporter.thread.start();
      return exporter;
    }

    private static URL url(String endpoint) {
      try {
        URI uri = URI.create(endpoint);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "tracing.otlp.endpoint must be an http or https URL, not " + endpoint);
        }
        return uri.toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("tracing.otlp.endpoint: " + e.getMessage(), e);
      }
    }
  }
}
