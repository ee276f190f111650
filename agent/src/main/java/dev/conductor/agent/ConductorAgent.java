package dev.conductor.agent;

import dev.conductor.agent.config.AgentArguments;
import dev.conductor.agent.config.AgentConfig;
import dev.conductor.agent.config.ConfigException;
import dev.conductor.agent.config.ConfigLoader;
import dev.conductor.agent.config.ConfigProblem;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.exporter.ConductorExporter;
import dev.conductor.exporter.ExporterSettings;
import dev.conductor.instrumentation.Instrumenter;
import dev.conductor.instrumentation.PointVerifier;
import dev.conductor.instrumentation.TaskPoint;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
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
  private ConductorAgent() {}

  public static void start(String arguments, Instrumentation instrumentation, File agentJar) {
    quietLibraries();
    AgentConfig config;
    try {
      config = ConfigLoader.fromProcess().load(AgentArguments.parse(arguments));
      verifyPoints(config);
    } catch (ConfigException e) {
      AgentLog.error(
          e.getMessage()
              + "\nThe agent is not monitoring this JVM; the application runs normally.");
      return;
    }
    List<TaskPoint> points = config.instrumentation().tasks();
    EventBuffer buffer = new EventBuffer(config.integer("agent.buffer_size"));
    new Instrumenter(AgentLog::warn).install(instrumentation, points, buffer);

    ExporterSettings settings = settings(config, points);
    Thread starter =
        new Thread(() -> startExporter(settings, buffer, points.size()), "conductor-agent-start");
    starter.setDaemon(true);
    starter.start();
  }

  /**
   * Keeps the bundled libraries off {@code sun.misc.Unsafe}, which JDK 24+ warns about on stderr.
   * Byte Buddy and Netty are relocated inside the agent and the shading relocates these property
   * names with them, so the settings reach only the agent's copies, never the host's own.
   */
  private static void quietLibraries() {
    System.setProperty("net.bytebuddy.nexus.disabled", "true");
    System.setProperty("net.bytebuddy.safe", "true");
    System.setProperty("io.netty.noUnsafe", "true");
  }

  private static void verifyPoints(AgentConfig config) throws ConfigException {
    if (!config.flag("instrumentation.verify_classes")) {
      return;
    }
    PointVerifier verifier = new PointVerifier(ClassLoader.getSystemClassLoader());
    List<ConfigProblem> problems = new ArrayList<>();
    List<TaskPoint> tasks = config.instrumentation().tasks();
    for (int i = 0; i < tasks.size(); i++) {
      TaskPoint point = tasks.get(i);
      Optional<String> problem = verifier.problem(point.type(), point.methods());
      if (problem.isPresent()) {
        problems.add(
            new ConfigProblem(
                "instrumentation.tasks[" + i + "]",
                null,
                problem.get()
                    + " (set instrumentation.verify_classes: false if the class is loaded by a"
                    + " custom class loader)"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(config.file(), problems);
    }
  }

  private static void startExporter(ExporterSettings settings, EventBuffer buffer, int points) {
    try {
      ConductorExporter exporter = ConductorExporter.start(settings, buffer, AgentLog::warn);
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

  static ExporterSettings settings(AgentConfig config, List<TaskPoint> points) {
    return new ExporterSettings(
        config.flag("metrics.api_enabled"),
        config.text("metrics.api_host"),
        config.integer("metrics.api_port"),
        config.flag("metrics.prometheus_enabled"),
        config.integer("metrics.prometheus_port"),
        points.stream().map(TaskPoint::name).toList(),
        config.buckets("histograms.task_duration_seconds"),
        config.integer("agent.label_max_length"),
        config.integer("agent.max_series_per_metric"),
        config.integer("agent.drain_interval_ms"),
        version());
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
