package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A broken config is reported in one clear message naming the key and line; the demo then runs
 * exactly as without the agent, and the agent neither instruments nor listens.
 */
class ConfigErrorIT {
  private static final String POINT =
      """
      instrumentation:
        tasks:
          - type: com.example.conductor.demo.Agent
            method: execute
            labels:
              task_type: arg0.type
      """;

  static Stream<Arguments> brokenConfigs() {
    return Stream.of(
        Arguments.of(
            "unknown key",
            "metrics:\n  api_prot: 9000\n",
            "line 2: metrics.api_prot: unknown key (did you mean metrics.api_port?)"),
        Arguments.of(
            "wrong type",
            "alerting:\n  enabled: sometimes\n",
            "line 2: alerting.enabled: expected true or false, got 'sometimes'"),
        Arguments.of(
            "out of range",
            "task_queue:\n  priority_levels: 0\n",
            "line 2: task_queue.priority_levels: expected a value from 1 to 1000, got 0"),
        Arguments.of(
            "bad expression",
            POINT.replace("arg0.type", "arg0.type("),
            "line 6: instrumentation.tasks[0].labels.task_type: bad expression"),
        Arguments.of(
            "class that does not exist",
            POINT.replace("demo.Agent", "demo.Agnet"),
            "line 3: instrumentation.tasks[0].type: class com.example.conductor.demo.Agnet was not"
                + " found"),
        Arguments.of(
            "method that does not exist",
            POINT.replace("method: execute", "method: exceute"),
            "line 4: instrumentation.tasks[0].method: class com.example.conductor.demo.Agent has"
                + " no method named exceute"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenConfigs")
  void isReportedOnceAndTheHostRunsNormally(
      String name, String yaml, String expectedProblem, @TempDir Path dir) throws Exception {
    Path config = dir.resolve("broken.yaml");
    int apiPort = Jvm.freePort();
    Files.writeString(config, yaml);
    List<String> command =
        List.of(
            Jvm.currentJava().toString(),
            "-Dconductor.metrics.api_port=" + apiPort,
            "-Dconductor.metrics.prometheus_enabled=false",
            "-javaagent:" + Jvm.AGENT_JAR + "=config=" + config,
            "-jar",
            Jvm.DEMO_JAR.toString(),
            "--agents",
            "2",
            "--tasks",
            "30",
            "--rate",
            "300",
            "--linger",
            "2",
            "--port",
            String.valueOf(Jvm.freePort()));
    try (Jvm demo = Jvm.start(command)) {
      String result = demo.awaitLine("{\"completed\":", 60);
      assertThat(result).contains("\"submitted\":30");
      assertThat(Scrape.listening(apiPort)).as("the agent does not start its server").isFalse();
      assertThat(demo.awaitExit(30)).isZero();

      List<String> agentLines =
          demo.stderrLines().stream().filter(l -> !l.startsWith("[conductor-demo]")).toList();
      String message = String.join("\n", agentLines);
      assertThat(agentLines.get(0))
          .startsWith(
              "[conductor-agent] ERROR: invalid configuration in " + config + " (1 problem):");
      assertThat(message).contains(expectedProblem);
      assertThat(agentLines.get(agentLines.size() - 1))
          .isEqualTo("The agent is not monitoring this JVM; the application runs normally.");
      assertThat(agentLines).as("one message: the problem list and the closing line").hasSize(3);
    }
  }
}
