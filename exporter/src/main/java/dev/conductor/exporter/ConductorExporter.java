package dev.conductor.exporter;

import dev.conductor.bootstrap.AgentPorts;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.exporter.agents.AgentTracker;
import dev.conductor.exporter.api.ApiMetrics;
import dev.conductor.exporter.drain.EventRouter;
import dev.conductor.exporter.drain.ExporterLoop;
import dev.conductor.exporter.executors.ExecutorTracker;
import dev.conductor.exporter.http.HealthEndpoint;
import dev.conductor.exporter.http.HttpServer;
import dev.conductor.exporter.http.MetricsEndpoint;
import dev.conductor.exporter.http.NettyLog;
import dev.conductor.exporter.metrics.ErrorMetrics;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.SelfMetrics;
import dev.conductor.exporter.metrics.SeriesLimiter;
import dev.conductor.exporter.metrics.TaskMetrics;
import dev.conductor.exporter.queue.QueueTracker;
import dev.conductor.exporter.tracing.SpanAssembler;
import dev.conductor.exporter.tracing.SpanSink;
import dev.conductor.exporter.tracing.TraceRecorder;
import dev.conductor.exporter.tracing.TraceStore;
import dev.conductor.exporter.tracing.TracesEndpoint;
import dev.conductor.exporter.tracing.TracingSettings;
import dev.conductor.exporter.tracing.otlp.OtlpSpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Everything of the agent that runs off the host's threads, wired together: the exporter loop
 * feeding the task metrics, the agent's own metrics, and the HTTP servers.
 *
 * <p>Started on a background thread after {@code premain} returned. A port that cannot be bound is
 * reported and that server is skipped; the rest keeps working.
 */
public final class ConductorExporter implements AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExporterSettings settings;
  private final EventBuffer buffer;
  private final Consumer<String> log;
  private final ExporterLoop loop;
  private final ApiMetrics api;

  /** The servers listening; one the host took its port back from is no longer among them. */
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** The config key of each server's port, for messages. */
  private final Map<HttpServer, String> keys = new ConcurrentHashMap<>();

  /** The API's server, null when it could not bind; gone from {@link #servers} once given back. */
  private volatile HttpServer apiServer;

  private final TraceRecorder traces;
  private final OtlpSpanExporter otlp;

  private ConductorExporter(ExporterSettings settings, EventBuffer buffer, Consumer<String> log) {
    this.settings = settings;
    this.buffer = buffer;
    this.log = log;
    LabelValues labels = new LabelValues(settings.labelMaxLength());
    ErrorMetrics errors = new ErrorMetrics(registry, labels, settings.maxSeriesPerMetric());
    TracingSettings tracing = settings.tracing();
    this.otlp = tracing.exportsOtlp() ? startOtlp(tracing) : null;
    this.traces =
        tracing.enabled()
            ? new TraceRecorder(
                new SpanAssembler(
                    labels, settings.pointNames(), settings.enqueuePointNames(), Clock.systemUTC()),
                new TraceStore(tracing, otlp != null ? otlp : SpanSink.NONE))
            : null;
    TaskMetrics tasks =
        new TaskMetrics(
            registry,
            errors,
            labels,
            settings.pointNames(),
            settings.taskDurationBuckets(),
            settings.maxSeriesPerMetric(),
            traces == null ? null : traces.store());
    QueueTracker queue = new QueueTracker(registry, labels, settings.queue(), log);
    ExecutorTracker executors =
        new ExecutorTracker(
            registry,
            labels,
            errors,
            settings.queue().queueTimeBuckets(),
            settings.taskDurationBuckets(),
            settings.queue().maxPending(),
            settings.maxSeriesPerMetric(),
            settings.executorNames());
    this.api =
        new ApiMetrics(
            registry, labels, settings.apiRequestBuckets(), settings.maxSeriesPerMetric());
    AgentTracker agents =
        new AgentTracker(
            registry, labels, settings.agentRetentionSeconds(), settings.maxSeriesPerMetric());
    this.loop =
        new ExporterLoop(
            buffer,
            new EventRouter(tasks, queue, agents, api, executors, settings.startsTracked(), traces),
            settings.drainIntervalMillis(),
            e -> log.accept("exporter: could not record an event: " + e));
    List<SeriesLimiter<?>> limiters = new ArrayList<>(tasks.limiters());
    limiters.add(errors.limiter());
    limiters.add(queue.limiter());
    limiters.add(api.limiter());
    limiters.add(executors.limiter());
    SelfMetrics.register(
        registry, buffer, loop, limiters, settings.version(), System.currentTimeMillis());
    if (traces != null) {
      SelfMetrics.registerTracing(registry, traces.store());
    }
  }

  /** Kept spans also go to the OTLP collector; none when the endpoint is not a URL. */
  private OtlpSpanExporter startOtlp(TracingSettings tracing) {
    try {
      return OtlpSpanExporter.builder(tracing)
          .registry(registry)
          .log(log)
          .agentVersion(settings.version())
          .start();
    } catch (IllegalArgumentException e) {
      log.accept(e.getMessage() + "; spans are not exported");
      return null;
    }
  }

  /**
   * Starts the exporter loop and the HTTP servers.
   *
   * @param log receives one line per problem (a port in use, a failed event)
   */
  public static ConductorExporter start(
      ExporterSettings settings, EventBuffer buffer, Consumer<String> log) {
    NettyLog.install(log);
    ConductorExporter exporter = new ConductorExporter(settings, buffer, log);
    exporter.loop.start();
    exporter.startServers();
    if (exporter.otlp != null) {
      exporter.flushAtExit();
    }
    return exporter;
  }

  private void startServers() {
    if (settings.apiEnabled()) {
      HttpServer.Builder api =
          HttpServer.builder()
              .threadName("conductor-http")
              .observer(this.api::record)
              .route("/metrics", new MetricsEndpoint(registry))
              .route("/health", new HealthEndpoint(loop, buffer, this::serversUp));
      if (traces != null) {
        TracesEndpoint endpoint = new TracesEndpoint(traces.store());
        api.route(TracesEndpoint.LIST, endpoint.list())
            .routePrefix(TracesEndpoint.ONE, endpoint.one());
      }
      apiServer = bind(api, settings.apiPort(), "metrics.api_port");
    }
    if (settings.prometheusEnabled()
        && !(settings.apiEnabled() && settings.prometheusPort() == settings.apiPort())) {
      bind(
          HttpServer.builder()
              .threadName("conductor-prometheus")
              .observer(this.api::record) // its scrapes are the agent's own API traffic too
              .route("/metrics", new MetricsEndpoint(registry)),
          settings.prometheusPort(),
          "metrics.prometheus_port");
    }
    giveBackPortsToTheHost();
  }

  /**
   * Lets the host take back a port the agent listens on (see {@link AgentPorts}): the server there
   * closes, with one warning, and the rest of the agent goes on.
   */
  private void giveBackPortsToTheHost() {
    List<HttpServer> bound = List.copyOf(servers);
    InetAddress[] addresses = new InetAddress[bound.size()];
    int[] ports = new int[bound.size()];
    for (int i = 0; i < ports.length; i++) {
      addresses[i] = bound.get(i).address();
      ports[i] = bound.get(i).port();
    }
    AgentPorts.hold(addresses, ports, this::giveBack);
  }

  private void giveBack(int port) {
    for (HttpServer server : servers) {
      if (server.port() == port) {
        servers.remove(server);
        log.accept(
            "the application binds port "
                + port
                + ", where the agent's "
                + keys.get(server)
                + " server listened: the agent stops serving there (set "
                + keys.get(server)
                + " to a free port to keep it)");
        server.closeNow(RELEASE_WAIT_MILLIS);
        return;
      }
    }
  }

  /** What a host's bind may wait for the agent's server on that port to close. */
  private static final long RELEASE_WAIT_MILLIS = 2000;

  private HttpServer bind(HttpServer.Builder builder, int port, String key) {
    try {
      HttpServer server = builder.start(settings.apiHost(), port);
      servers.add(server);
      keys.put(server, key);
      return server;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (RuntimeException e) {
      log.accept(
          "cannot listen on "
              + settings.apiHost()
              + ":"
              + port
              + " ("
              + key
              + "): "
              + e.getMessage()
              + "; that endpoint is off, the application and the rest of the agent keep running");
      return null;
    }
  }

  private boolean serversUp() {
    boolean apiOk = !settings.apiEnabled() || servers.contains(apiServer);
    return apiOk && servers.stream().allMatch(HttpServer::isOpen);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public ExporterLoop loop() {
    return loop;
  }

  /** Ports actually bound, in start order; for tests that bind port 0. */
  public List<Integer> boundPorts() {
    return servers.stream().map(HttpServer::port).toList();
  }

  /** What the JVM's exit may wait for the last spans: a collector that is down costs no more. */
  private static final long EXIT_WAIT_MILLIS = 1000;

  /**
   * With OTLP export, the spans of the last moments before the JVM exits are drained and sent,
   * within {@link #EXIT_WAIT_MILLIS} each, from a shutdown hook.
   */
  private void flushAtExit() {
    Thread hook =
        new Thread(
            () -> {
              loop.stopAndWait(EXIT_WAIT_MILLIS);
              otlp.close(EXIT_WAIT_MILLIS);
            },
            "conductor-agent-exit");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException | SecurityException alreadyExiting) {
      // nothing to flush into then
    }
  }

  @Override
  public void close() {
    loop.stopAndWait(EXIT_WAIT_MILLIS);
    if (otlp != null) {
      otlp.close(); // after the loop: nothing offers spans any more
    }
    servers.forEach(HttpServer::close);
  }
}
