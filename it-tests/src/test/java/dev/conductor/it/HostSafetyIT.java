package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host keeps working whatever the agent meets: a taken port, its own copies of our libraries.
 */
class HostSafetyIT {
  private static final Path HOST = Jvm.ROOT.resolve("examples/library-host/target");

  /**
   * The agent's start leaves {@code java.util.logging} alone: a host that names its own log manager
   * once it runs still gets it. (Netty, finding no other logging, had initialized the JDK's.)
   */
  @Test
  void aHostThatNamesItsOwnLogManagerAfterTheAgentStartedGetsIt() throws Exception {
    int apiPort = Jvm.freePort();
    try (Jvm host =
        Jvm.start(
            List.of(
                Jvm.currentJava().toString(),
                Jvm.agentArgument(apiPort),
                "-cp",
                HOST.resolve("library-host.jar").toString(),
                "com.example.libraryhost.LogManagerHost",
                String.valueOf(apiPort)))) {
      assertThat(host.awaitLine("log manager: ", 60))
          .isEqualTo("log manager: com.example.libraryhost.LogManagerHost$OwnLogManager");
      assertThat(host.awaitExit(30)).isZero();
      assertThat(String.join("\n", host.stderrLines())).contains("Conductor Agent");
    }
  }

  @Test
  void aPortInUseIsReportedAndTheRestKeepsWorking() throws Exception {
    int prometheusPort = Jvm.freePort();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<String> command =
          List.of(
              Jvm.currentJava().toString(),
              "-javaagent:"
                  + Jvm.AGENT_JAR
                  + "=config="
                  + Jvm.DEMO_CONFIG
                  + ",metrics.api_port="
                  + taken.getLocalPort()
                  + ",metrics.prometheus_port="
                  + prometheusPort,
              "-jar",
              Jvm.DEMO_JAR.toString(),
              "--agents",
              "2",
              "--tasks",
              "50",
              "--rate",
              "500",
              "--linger",
              "60",
              "--port",
              String.valueOf(Jvm.freePort()));
      try (Jvm demo = Jvm.start(command)) {
        demo.awaitLine("{\"completed\":", 60);
        Scrape scrape =
            Scrape.awaitUntil(prometheusPort, s -> s.total("conductor_tasks_total") >= 50, 30);
        assertThat(scrape.total("conductor_tasks_total")).isEqualTo(50);
        assertThat(String.join("\n", demo.stderrLines()))
            .contains(
                "[conductor-agent] WARNING: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()
                    + " (metrics.api_port)");
      }
    }
  }

  static List<Path> javas() {
    return Jvm.javas();
  }

  /**
   * The reverse of a taken port: the agent listens first (on 127.0.0.1, its default) and the host
   * then binds the same port on every address, as a web framework on 8080 does. The host's bind
   * succeeds, the host's server answers there, and the agent goes on on its other port.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aPortTheHostBindsLaterIsGivenBackToTheHost(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    int prometheusPort = Jvm.freePort();
    List<String> command =
        List.of(
            java.toString(),
            "-javaagent:"
                + Jvm.AGENT_JAR
                + "=metrics.api_port="
                + apiPort
                + ",metrics.prometheus_port="
                + prometheusPort,
            "-cp",
            HOST.resolve("library-host.jar").toString(),
            "com.example.libraryhost.PortTakerHost",
            String.valueOf(apiPort));
    try (Jvm host = Jvm.start(command)) {
      host.awaitLine("host listens on " + apiPort, 60);
      HttpResponse<String> answer = Scrape.get(apiPort, "/metrics");
      assertThat(answer.body()).isEqualTo("from the host");
      assertThat(Scrape.of(prometheusPort).text).contains("conductor_uptime_seconds");
      assertThat(String.join("\n", host.stderrLines()))
          .contains(
              "[conductor-agent] WARNING: the application binds port "
                  + apiPort
                  + ", where the agent's metrics.api_port server listened");
    }
  }

  /**
   * A jar on the host's class path that holds a copy of the agent's launcher (here the bootstrap
   * module's own jar): the JVM loads premain from the copy, and the agent must still find its jar.
   */
  @Test
  void theAgentStartsWhenItsLauncherIsAlsoOnTheClassPath() throws Exception {
    Path bootstrapJar = Jvm.ROOT.resolve("bootstrap/target/conductor-bootstrap-0.1.0-SNAPSHOT.jar");
    int apiPort = Jvm.freePort();
    List<String> command =
        List.of(
            Jvm.currentJava().toString(),
            Jvm.agentArgument(Jvm.DEMO_CONFIG, apiPort),
            "-cp",
            bootstrapJar + java.io.File.pathSeparator + Jvm.DEMO_JAR,
            "com.example.conductor.demo.Main",
            "--agents",
            "2",
            "--tasks",
            "20",
            "--rate",
            "500",
            "--linger",
            "60",
            "--port",
            String.valueOf(Jvm.freePort()));
    try (Jvm demo = Jvm.start(command)) {
      demo.awaitLine("{\"completed\":", 60);
      Scrape scrape = Scrape.awaitUntil(apiPort, s -> s.total("conductor_tasks_total") >= 20, 30);
      assertThat(scrape.total("conductor_tasks_total")).isEqualTo(20);
      assertThat(String.join("\n", demo.stderrLines())).doesNotContain("ERROR");
    }
  }

  @Test
  void aHostWithItsOwnLibrariesWorksAndIsMonitoredEvenWhenALabelGetterThrows(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("host.yaml");
    int apiPort = Jvm.freePort();
    Files.writeString(
        config,
        """
        metrics: {prometheus_enabled: false}
        instrumentation:
          tasks:
            - type: com.example.libraryhost.LibraryHost$Worker
              method: execute
              labels: {agent_id: this.id, task_id: this.broken}
        """);
    for (Path launcher : Jvm.javas()) {
      List<String> command =
          List.of(
              launcher.toString(),
              "-javaagent:" + Jvm.AGENT_JAR + "=config=" + config + ",metrics.api_port=" + apiPort,
              "-cp",
              HOST.resolve("library-host.jar") + File.pathSeparator + HOST.resolve("lib/*"),
              "com.example.libraryhost.LibraryHost",
              "25",
              "60");
      try (Jvm host = Jvm.start(command)) {
        host.awaitLine("tasks=25", 60);
        assertThat(host.stdoutLines())
            .as(launcher + ": the host's own libraries work beside the agent's")
            .contains(
                "bytebuddy=made by the host's Byte Buddy",
                "snakeyaml=42",
                "prometheus=host_jobs_total 3.0");
        Scrape scrape = Scrape.awaitUntil(apiPort, s -> s.total("conductor_tasks_total") >= 25, 30);
        assertThat(scrape.sumBy("conductor_tasks_total", "agent_id"))
            .containsEntry("worker-1", 25.0);
        assertThat(scrape.text).doesNotContain("host_jobs_total");
      }
    }
  }
}
