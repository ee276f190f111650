package dev.conductor.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A child JVM started for a test, with its output captured to files. */
final class Jvm implements AutoCloseable {
  static final Path ROOT =
      Path.of(System.getProperty("conductor.root", "..")).toAbsolutePath().normalize();
  static final Path AGENT_JAR = ROOT.resolve("agent/target/conductor-agent.jar");
  static final Path DEMO_JAR = ROOT.resolve("examples/conductor-demo/target/conductor-demo.jar");
  static final Path DEMO_CONFIG = ROOT.resolve("config/examples/conductor-demo.yaml");
  static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private Jvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The java launcher of the JVM running the tests. */
  static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The JDKs to run on: this one, and JDK 25 where this machine has it. */
  static List<Path> javas() {
    List<Path> javas = new ArrayList<>(List.of(currentJava()));
    if (Files.isExecutable(JDK25)) {
      javas.add(JDK25);
    }
    return javas;
  }

  /**
   * {@code -javaagent:} with {@code config}, the JSON API and /metrics on {@code apiPort} and no
   * separate Prometheus port: the argument most ITs start their host with.
   */
  static String agentArgument(Path config, int apiPort) {
    return "-javaagent:"
        + AGENT_JAR
        + "=config="
        + config
        + ",metrics.api_port="
        + apiPort
        + ",metrics.prometheus_enabled=false";
  }

  /**
   * {@code -javaagent:} with no config file at all: only the JSON API and /metrics on {@code
   * apiPort} (0 for any free port) and no separate Prometheus port.
   */
  static String agentArgument(int apiPort) {
    return "-javaagent:"
        + AGENT_JAR
        + "=metrics.api_port="
        + apiPort
        + ",metrics.prometheus_enabled=false";
  }

  static Jvm start(List<String> command) throws IOException {
    Path dir = Files.createTempDirectory("conductor-it");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    return new Jvm(process, out, err);
  }

  /** Waits for a stdout line starting with {@code prefix}. */
  String awaitLine(String prefix, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      Optional<String> line = stdoutLines().stream().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no line starting with '"
            + prefix
            + "' on stdout.\nstdout:\n"
            + String.join("\n", stdoutLines())
            + "\nstderr:\n"
            + String.join("\n", stderrLines()));
  }

  int awaitExit(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the JVM did not exit within " + timeoutSeconds + " s");
    }
    return process.exitValue();
  }

  /** Whether the JVM exited within the time; it keeps running if not. */
  boolean waitFor(long timeoutSeconds) throws InterruptedException {
    return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
  }

  /** The exit code of a JVM that has exited. */
  int exitCode() {
    return process.exitValue();
  }

  /** The process id, to attach to. */
  long pid() {
    return process.pid();
  }

  List<String> stdoutLines() throws IOException {
    return Files.readAllLines(stdout);
  }

  List<String> stderrLines() throws IOException {
    return Files.readAllLines(stderr);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A port nothing listens on now and that no earlier call returned. The kernel may hand out a
   * just-closed port again, and a test that starts one JVM on two equal ports sees the wrong server
   * answer (CI once got the demo's 404 on the agent's /metrics).
   */
  static synchronized int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }
}
