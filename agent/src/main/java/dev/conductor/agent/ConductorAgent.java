package dev.conductor.agent;

import dev.conductor.agent.config.AgentArguments;
import dev.conductor.agent.config.AgentConfig;
import dev.conductor.agent.config.ConfigException;
import dev.conductor.agent.config.ConfigLoader;
import dev.conductor.agent.config.ConfigProblem;
import dev.conductor.agent.config.InstrumentationConfig;
import dev.conductor.agent.config.InstrumentationConfig.HookPoint;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.exporter.ConductorExporter;
import dev.conductor.exporter.ExporterSettings;
import dev.conductor.exporter.queue.QueueSettings;
import dev.conductor.exporter.tracing.TracingSettings;
import dev.conductor.instrumentation.AgentPoint;
import dev.conductor.instrumentation.ApiPoint;
import dev.conductor.instrumentation.EnqueuePoint;
import dev.conductor.instrumentation.Instrumenter;
import dev.conductor.instrumentation.OperationPoint;
import dev.conductor.instrumentation.PointVerifier;
import dev.conductor.instrumentation.TaskPoint;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Starts the agent, reached from {@code Premain} through the agent's own class loader.
 *
 * <p>On the host's startup path it only reads the config and installs the transformer, so that no
 * task is missed; the exporter and the HTTP servers start on a background thread. A config that
 * cannot be read is reported once and the agent then does nothing at all.
 */
public final class ConductorAgent {
  /**
   * Events of the pool made on the host's startup path: enough for what most hosts record before
   * the exporter thread, started moments later, makes the rest; a host thread that finds them used
   * up before then makes the event it needs (see {@code EventBuffer.claim}).
   */
  private static final int EVENTS_MADE_IN_PREMAIN = 1024;

  private ConductorAgent() {}

  /**
   * @param hostRunning attached to a running JVM ({@code agentmain}), not before its {@code main}
   */
  public static void start(
      String arguments, Instrumentation instrumentation, File agentJar, boolean hostRunning) {
    quietLibraries();
    AgentConfig config;
    // Read once, for the check of the points and for the task classes' context fields.
    PointVerifier classFiles = new PointVerifier(ClassLoader.getSystemClassLoader());
    try {
      config = ConfigLoader.fromProcess().load(AgentArguments.parse(arguments));
      verifyPoints(config, classFiles);
    } catch (ConfigException e) {
      AgentLog.error(
          e.getMessage()
              + "\nThe agent is not monitoring this JVM; the application runs normally.");
      return;
    }
    List<TaskPoint> points = config.instrumentation().tasks();
    List<EnqueuePoint> enqueues = config.instrumentation().enqueuePoints();
    List<AgentPoint> agents = config.instrumentation().agentPoints();
    // The exporter thread makes the rest of the pool when it starts.
    EventBuffer buffer =
        new EventBuffer(config.integer("agent.buffer_size"), EVENTS_MADE_IN_PREMAIN);
    List<ApiPoint> apis =
        config.flag("instrumentation.http_servers") ? ApiPoint.builtIn() : List.of();
    List<OperationPoint> operations = config.instrumentation().operationPoints();
    new Instrumenter(AgentLog.WARNINGS)
        .install(
            instrumentation,
            hostRunning,
            points,
            enqueues,
            agents,
            apis,
            operations,
            config.flag("instrumentation.executors"),
            config.flag("instrumentation.http_clients"),
            config.flag("tracing.enabled") ? handoffSlots(config) : 0,
            config.flag("tracing.log_correlation"),
            config.flag("tracing.task_fields"),
            classFiles,
            buffer);

    boolean startsTracked = !enqueues.isEmpty() || !agents.isEmpty();
    // Not a lambda, like AgentLog.WARNINGS: a first lambda shape in premain costs the host's
    // startup.
    Thread starter =
        new Thread(
            new Runnable() {
              @Override
              public void run() {
                startExporter(config, points, startsTracked, buffer);
              }
            },
            "conductor-agent-start");
    starter.setDaemon(true);
    starter.start();
  }

  /**
   * Trace contexts that may wait for their task at once: as many as tasks may wait for their start
   * (a share of the pending-task bound), within reason for memory: about 40 bytes a slot, two
   * hand-overs (enqueues and pools), 1.4 MB with the defaults (each also has a small table of 1,024
   * slots that stays in cache; see ContextHandoff).
   */
  private static int handoffSlots(AgentConfig config) {
    return Math.max(1024, Math.min(1 << 14, config.integer("agent.max_pending_tasks") / 8));
  }

  /**
   * Settings of the bundled Netty. Netty is relocated inside the agent and the shading relocates
   * these property names with it, so they reach only the agent's copy, never the host's own.
   *
   * <ul>
   *   <li>Off {@code sun.misc.Unsafe}, which JDK 24+ warns about on stderr.
   *   <li>Unpooled buffers: Netty 4.2's default, adaptive pooling allocator builds per-core
   *       magazines of queues when its first buffer is made, which was half of what the exporter's
   *       start thread ran while competing with the host's startup (sampled), and then holds memory
   *       that the agent's few HTTP requests never need.
   * </ul>
   */
  private static void quietLibraries() {
    System.setProperty("io.netty.noUnsafe", "true");
    System.setProperty("io.netty.allocator.type", "unpooled");
  }

  private static void verifyPoints(AgentConfig config, PointVerifier verifier)
      throws ConfigException {
    InstrumentationConfig points = config.instrumentation();
    if (!config.flag("instrumentation.verify_classes")
        || points.tasks().isEmpty() && points.hooks().isEmpty()) {
      return; // nothing to check
    }
    List<ConfigProblem> problems = new ArrayList<>();
    List<TaskPoint> tasks = points.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      String path = "instrumentation.tasks[" + i + "]";
      verify(
          verifier,
          points,
          path,
          tasks.get(i).type(),
          methodKeys(tasks.get(i).methods()),
          problems);
    }
    for (String list : List.of("enqueue", "agents", "operations")) {
      for (HookPoint hook : points.hooks().getOrDefault(list, List.of())) {
        String path = "instrumentation." + list + "[" + hook.index() + "]";
        Map<String, String> methods = new LinkedHashMap<>();
        for (String key : List.of("method", "start", "stop", "health_check")) {
          String named = hook.values().get(key);
          if (named != null) {
            for (String method : named.split(",")) {
              methods.put(method.trim(), key);
            }
          }
        }
        verify(verifier, points, path, hook.values().get("type"), methods, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(config.file(), problems);
    }
  }

  private static Map<String, String> methodKeys(List<String> methods) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String method : methods) {
      keys.put(method, "method");
    }
    return keys;
  }

  /**
   * A finding that can never match is a problem; one that may still match is a warning.
   *
   * @param methods the point's methods, each with the key that names it
   */
  private static void verify(
      PointVerifier verifier,
      InstrumentationConfig points,
      String path,
      String type,
      Map<String, String> methods,
      List<ConfigProblem> problems) {
    Optional<PointVerifier.Finding> finding =
        verifier.check(type, new ArrayList<>(methods.keySet()));
    if (finding.isEmpty()) {
      return;
    }
    String method = finding.get().method();
    String key = path + "." + (method == null ? "type" : methods.get(method));
    if (!finding.get().fatal()) {
      AgentLog.warn(new ConfigProblem(key, points.lineOf(key), finding.get().message()).toString());
      return;
    }
    problems.add(
        new ConfigProblem(
            key,
            points.lineOf(key),
            finding.get().message()
                + " (set instrumentation.verify_classes: false if the class is loaded by a"
                + " custom class loader)"));
  }

  /** On the agent's own thread: nothing of this is needed before the host's main runs. */
  private static void startExporter(
      AgentConfig config, List<TaskPoint> taskPoints, boolean startsTracked, EventBuffer buffer) {
    int points = taskPoints.size();
    try {
      ExporterSettings settings = settings(config, taskPoints, startsTracked);
      ConductorExporter exporter = ConductorExporter.start(settings, buffer, AgentLog.WARNINGS);
      AgentLog.info(
          "Conductor Agent "
              + settings.version()
              + " started: "
              + points
              + (points == 1 ? " task point" : " task points")
              + describe(settings, exporter.boundPorts()));
    } catch (Throwable e) {
      AgentLog.error("the exporter could not start, no metrics are served: " + e);
    }
  }

  private static String describe(ExporterSettings settings, List<Integer> ports) {
    if (ports.isEmpty()) {
      return ", no HTTP endpoint";
    }
    StringBuilder text = new StringBuilder(", serving");
    for (int port : ports) {
      text.append(" http://").append(settings.apiHost()).append(':').append(port);
    }
    return text.toString();
  }

  static ExporterSettings settings(
      AgentConfig config, List<TaskPoint> points, boolean startsTracked) {
    int maxSeries = config.integer("agent.max_series_per_metric");
    return new ExporterSettings(
        config.flag("metrics.api_enabled"),
        config.text("metrics.api_host"),
        config.integer("metrics.api_port"),
        config.flag("metrics.prometheus_enabled"),
        config.integer("metrics.prometheus_port"),
        points.stream().map(TaskPoint::name).toList(),
        config.instrumentation().enqueuePoints().stream().map(EnqueuePoint::name).toList(),
        startsTracked,
        config.buckets("histograms.task_duration_seconds"),
        config.buckets("histograms.api_request_duration_seconds"),
        config.integer("agent.label_max_length"),
        maxSeries,
        config.integer("agent.drain_interval_ms"),
        new QueueSettings(
            config.integer("task_queue.priority_levels"),
            config.integer("task_queue.max_size"),
            config.integer("agent.max_pending_tasks"),
            config.integer("task_queue.throughput_window_seconds"),
            config.buckets("histograms.task_queue_time_seconds"),
            maxSeries),
        config.integer("monitoring.agent_retention_seconds"),
        config.instrumentation().executorNames(),
        tracing(config),
        version());
  }

  static TracingSettings tracing(AgentConfig config) {
    return new TracingSettings(
        config.flag("tracing.enabled"),
        config.number("tracing.sample_ratio"),
        config.integer("tracing.slow_threshold_ms") * 1_000_000L,
        config.integer("tracing.max_traces"),
        config.integer("tracing.max_spans_per_trace"),
        serviceName(config.text("tracing.service_name")),
        config.text("tracing.otlp.endpoint").strip(),
        headers(config.text("tracing.otlp.headers")),
        config.integer("tracing.otlp.timeout_ms"),
        config.integer("tracing.otlp.batch_size"),
        config.integer("tracing.otlp.max_queue_size"),
        config.integer("tracing.otlp.export_interval_ms"));
  }

  /** The configured name, else the main class or jar the JVM was started with. */
  private static String serviceName(String configured) {
    if (!configured.isBlank()) {
      return configured.strip();
    }
    String command = System.getProperty("sun.java.command", "").strip();
    int space = command.indexOf(' ');
    String main = space < 0 ? command : command.substring(0, space);
    int slash = Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\'));
    main = main.substring(slash + 1);
    return main.isEmpty() ? "unknown_service:java" : main;
  }

  /** {@code name=value} pairs separated by commas, as OTEL_EXPORTER_OTLP_HEADERS writes them. */
  static Map<String, String> headers(String text) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        headers.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
    }
    return headers;
  }

  static String version() {
    Properties properties = new Properties();
    try (InputStream in = ConductorAgent.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return properties.getProperty("version", "unknown");
  }
}
