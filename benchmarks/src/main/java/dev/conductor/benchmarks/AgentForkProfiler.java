package dev.conductor.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.ExternalProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;

/**
 * Puts {@code -javaagent:<agent jar>=config=<yaml>} on the command line of the forks that ask for
 * the agent, and of no other fork.
 *
 * <p>Why a profiler: JMH's {@code @Fork(jvmArgsAppend = ...)} only takes compile-time constants, so
 * it cannot carry an absolute path chosen when the benchmarks are run. A benchmark that needs the
 * agent therefore appends the marker {@link #MARKER} with {@code @Fork(jvmArgsAppend)}, and this
 * class, which JMH runs in the host VM before each fork, turns the marker into the real {@code
 * -javaagent} option. Enable it with {@code -prof dev.conductor.benchmarks.AgentForkProfiler}. A
 * marked fork started without it fails in its {@code @Setup} (see {@link AgentCheck}) instead of
 * measuring a JVM without the agent.
 *
 * <p>The agent jar is {@code -Dconductor.agent.jar=...} given to the JMH host VM, by default {@code
 * ../agent/target/conductor-agent.jar} relative to the working directory (that is, run from {@code
 * benchmarks/}). The config is the yaml the marker names ({@code conductor-bench.yaml} and its
 * siblings in this jar), copied to a temp file.
 */
public final class AgentForkProfiler implements ExternalProfiler {
  /**
   * Appended by {@code @Fork(jvmArgsAppend)} of a benchmark that must run with the agent and {@code
   * conductor-bench.yaml}: one task point.
   */
  public static final String MARKER = "-D" + AgentCheck.MARKER_PROPERTY + "=conductor-bench";

  /** As {@link #MARKER}, with {@code conductor-bench-demo.yaml}: the demo config's points. */
  public static final String DEMO_MARKER =
      "-D" + AgentCheck.MARKER_PROPERTY + "=conductor-bench-demo";

  /**
   * As {@link #MARKER}, with {@code conductor-bench-enqueue.yaml}: one enqueue point on the
   * stand-in orchestrator.
   */
  public static final String ENQUEUE_MARKER =
      "-D" + AgentCheck.MARKER_PROPERTY + "=conductor-bench-enqueue";

  /**
   * As {@link #ENQUEUE_MARKER}, with {@code conductor-bench-enqueue-run.yaml}: the enqueue point
   * and a task point, so that a submitted task can be started.
   */
  public static final String ENQUEUE_RUN_MARKER =
      "-D" + AgentCheck.MARKER_PROPERTY + "=conductor-bench-enqueue-run";

  /**
   * As {@link #MARKER}, with {@code conductor-bench-executors.yaml}: no point, so only what the
   * agent weaves with no config (thread pools).
   */
  public static final String EXECUTORS_MARKER =
      "-D" + AgentCheck.MARKER_PROPERTY + "=conductor-bench-executors";

  private static final String MARKER_PREFIX = "-D" + AgentCheck.MARKER_PROPERTY + "=";

  static final String JAR_PROPERTY = "conductor.agent.jar";
  static final String DEFAULT_JAR = "../agent/target/conductor-agent.jar";
  private static final Map<String, Path> CONFIGS = new HashMap<>();

  public AgentForkProfiler() {}

  @Override
  public Collection<String> addJVMInvokeOptions(BenchmarkParams params) {
    return List.of();
  }

  @Override
  public Collection<String> addJVMOptions(BenchmarkParams params) {
    for (String option : params.getJvmArgs()) {
      if (option.startsWith(MARKER_PREFIX)) {
        String config = option.substring(MARKER_PREFIX.length());
        return List.of("-javaagent:" + agentJar() + "=config=" + config(config));
      }
    }
    return List.of();
  }

  /** The agent jar as an absolute path; fails the run at once when it does not exist. */
  static Path agentJar() {
    String given = System.getProperty(JAR_PROPERTY, DEFAULT_JAR);
    Path jar = Paths.get(given).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Conductor agent jar not found: "
              + jar
              + " (from -D"
              + JAR_PROPERTY
              + "="
              + given
              + (System.getProperty(JAR_PROPERTY) == null ? ", the default" : "")
              + "). Build it with `mvn -q -o install -DskipTests -pl"
              + " bootstrap,instrumentation,exporter,agent` from the project root, or pass"
              + " -D"
              + JAR_PROPERTY
              + "=/absolute/path/conductor-agent.jar to the JMH command line.");
    }
    return jar;
  }

  /** {@code <name>.yaml} of this jar, copied once to a temp file. */
  private static synchronized Path config(String name) {
    Path file = CONFIGS.get(name);
    if (file == null) {
      String resource = "/" + name + ".yaml";
      try (InputStream in = AgentForkProfiler.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the benchmarks jar");
        }
        file = Files.createTempFile(name + "-", ".yaml");
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        CONFIGS.put(name, file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the agent config to a temp file", e);
      }
    }
    return file;
  }

  @Override
  public void beforeTrial(BenchmarkParams benchmarkParams) {}

  @Override
  public Collection<? extends Result<?>> afterTrial(
      BenchmarkResult br, long pid, File stdOut, File stdErr) {
    return List.of();
  }

  @Override
  public boolean allowPrintOut() {
    return true;
  }

  @Override
  public boolean allowPrintErr() {
    return true;
  }

  @Override
  public String getDescription() {
    return "Attaches the Conductor agent (-javaagent) to the forks marked " + MARKER_PREFIX + "...";
  }
}
