package dev.conductor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader(Map.of(), Map.of());

  private AgentConfig load(String yaml) throws Exception {
    return loader.load(AgentArguments.parse("config=" + write(yaml)));
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("monitoring.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private List<ConfigProblem> problems(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.problems();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a config error for:\n" + yaml);
  }

  @Test
  void noFileMeansSeedDefaultsAndLoopbackOnly() throws Exception {
    AgentConfig config = loader.load(AgentArguments.parse(""));
    assertThat(config.integer("metrics.api_port")).isEqualTo(8080);
    assertThat(config.integer("metrics.prometheus_port")).isEqualTo(8000);
    assertThat(config.text("metrics.api_host")).isEqualTo("127.0.0.1");
    assertThat(config.flag("metrics.api_authentication")).isFalse();
    assertThat(config.integer("task_queue.priority_levels")).isEqualTo(10);
    assertThat(config.buckets("histograms.task_duration_seconds"))
        .startsWith(0.005)
        .endsWith(300.0);
    assertThat(config.instrumentation().tasks()).isEmpty();
  }

  @Test
  void documentedDefaultFileHoldsExactlyTheBuiltInDefaults() throws Exception {
    Path documented = Path.of("..", "config", "monitoring.yaml");
    AgentConfig fromFile = loader.load(AgentArguments.parse("config=" + documented));
    AgentConfig builtIn = loader.load(AgentArguments.parse(""));
    Map<String, String> lines = keyLines(Files.readAllLines(documented));
    for (String key : Schema.SCALARS.keySet()) {
      assertThat(fromFile.value(key)).as(key).isEqualTo(builtIn.value(key));
      assertThat(lines).as("written in the file: " + key).containsKey(key);
      assertThat(lines.get(key)).as("commented: " + key).contains("#");
    }
  }

  /**
   * Each key of a block YAML file by its dotted path (from the indentation), with its line; a key's
   * comment may also be on the section's line, for lists of values such as buckets.
   */
  private static Map<String, String> keyLines(List<String> lines) {
    Map<String, String> keys = new java.util.HashMap<>();
    java.util.ArrayDeque<String[]> sections = new java.util.ArrayDeque<>(); // {indent, path, line}
    java.util.regex.Pattern keyLine = java.util.regex.Pattern.compile("^( *)([a-z_]+):(.*)$");
    for (String line : lines) {
      java.util.regex.Matcher key = keyLine.matcher(line);
      if (!key.matches()) {
        continue;
      }
      int indent = key.group(1).length();
      while (!sections.isEmpty() && Integer.parseInt(sections.peek()[0]) >= indent) {
        sections.pop();
      }
      String path = sections.isEmpty() ? key.group(2) : sections.peek()[1] + "." + key.group(2);
      String sectionLine = sections.isEmpty() ? "" : sections.peek()[2];
      keys.put(path, line + (line.contains("#") ? "" : sectionLine.contains("#") ? " #" : ""));
      sections.push(new String[] {Integer.toString(indent), path, line});
    }
    return keys;
  }

  @Test
  void nestedGroupKeysAreReadAndUnknownOnesNamed() throws Exception {
    AgentConfig config =
        load(
            """
            tracing:
              sample_ratio: 0.25
              otlp:
                endpoint: http://collector:4318/v1/traces
            """);
    assertThat(config.text("tracing.otlp.endpoint")).isEqualTo("http://collector:4318/v1/traces");
    assertThat(config.number("tracing.sample_ratio")).isEqualTo(0.25);

    assertThatThrownBy(() -> load("tracing:\n  otlp:\n    endpont: x\n"))
        .hasMessageContaining("tracing.otlp.endpont")
        .hasMessageContaining("tracing.otlp.endpoint");
  }

  @Test
  void taskPointIsCompiledWithItsLabels() throws Exception {
    AgentConfig config =
        load(
            """
            instrumentation:
              tasks:
                - type: com.acme.Agent
                  method: [execute, run]
                  labels:
                    task_type: arg0.type
                    agent_id: this.getId()
                  status: return.status
            """);
    var point = config.instrumentation().tasks().get(0);
    assertThat(point.type()).isEqualTo("com.acme.Agent");
    assertThat(point.methods()).containsExactly("execute", "run");
    assertThat(point.labels().taskType()).hasToString("arg0.type");
    assertThat(point.labels().agentId()).hasToString("this.getId()");
    assertThat(point.labels().status()).hasToString("return.status");
    assertThat(point.labels().taskId()).isNull();
  }

  @Test
  void unknownKeyIsNamedWithItsLineAndTheClosestValidKey() {
    List<ConfigProblem> problems =
        problems(
            """
            metrics:
              api_port: 9090
              api_prot: 9091
            """);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).toString())
        .isEqualTo("line 3: metrics.api_prot: unknown key (did you mean metrics.api_port?)");
  }

  @Test
  void unknownSectionSuggestsTheClosestSection() {
    assertThat(problems("alerts:\n  enabled: true\n").get(0).toString())
        .contains("line 1", "alerts", "did you mean alerting?");
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    assertThat(problems("metrics:\n  api_port: eighty\n").get(0).toString())
        .isEqualTo("line 2: metrics.api_port: expected a whole number, got 'eighty'");
    assertThat(problems("alerting:\n  enabled: maybe\n").get(0).message())
        .isEqualTo("expected true or false, got 'maybe'");
  }

  @Test
  void outOfRangeGivesTheRange() {
    assertThat(problems("metrics:\n  api_port: 70000\n").get(0).toString())
        .isEqualTo("line 2: metrics.api_port: expected a value from 0 to 65535, got 70000");
  }

  @Test
  void badExpressionIsReportedWithItsKey() {
    ConfigProblem problem =
        problems(
                """
                instrumentation:
                  tasks:
                    - type: com.acme.Agent
                      method: execute
                      labels:
                        task_type: args0.type
                """)
            .get(0);
    assertThat(problem.key()).isEqualTo("instrumentation.tasks[0].labels.task_type");
    assertThat(problem.source()).isEqualTo("line 6");
    assertThat(problem.message()).contains("must start with this, arg0..arg3, return or thread");
  }

  @Test
  void argumentsBeyondTheFourthAreRefused() {
    assertThat(
            problems(
                    """
                    instrumentation:
                      tasks:
                        - {type: com.acme.Agent, method: execute, labels: {task_id: arg7.id}}
                    """)
                .get(0)
                .message())
        .contains("only arg0 to arg3 can be read");
  }

  @Test
  void missingMethodAndUnknownPointKeyAreBothReported() {
    List<ConfigProblem> problems =
        problems(
            """
            instrumentation:
              tasks:
                - type: com.acme.Agent
                  lables: {}
            """);
    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .containsExactlyInAnyOrder(
            "line 4: instrumentation.tasks[0].lables: unknown key (did you mean"
                + " instrumentation.tasks[0].labels?)",
            "line 3: instrumentation.tasks[0].method: is required");
  }

  @Test
  void yamlBeyondThePlainBlockStyleIsReadThroughSnakeYaml() throws Exception {
    // A flow mapping, an anchor and its alias: the block reader declines, SnakeYAML reads it.
    AgentConfig config =
        load(
            """
            metrics: {api_port: 9191, prometheus_port: 9192}
            instrumentation:
              tasks:
                - &point
                  type: demo.Worker
                  method: execute
                  labels: {task_type: arg0.type}
            """);
    assertThat(BlockYamlReader.read(Files.readString(dir.resolve("monitoring.yaml")))).isNull();
    assertThat(config.integer("metrics.api_port")).isEqualTo(9191);
    assertThat(config.integer("metrics.prometheus_port")).isEqualTo(9192);
    assertThat(config.instrumentation().tasks()).hasSize(1);
    assertThat(config.instrumentation().tasks().get(0).labels().taskType())
        .hasToString("arg0.type");
    assertThat(problems("metrics: {api_prot: 1}\n").get(0).toString())
        .isEqualTo("line 1: metrics.api_prot: unknown key (did you mean metrics.api_port?)");
  }

  @Test
  void aRecursiveAliasIsRefusedNotFollowed() {
    assertThat(problems("metrics: &loop\n  nested: *loop\n").get(0).toString())
        .contains("(syntax)");
  }

  @Test
  void invalidYamlIsReportedWithItsLine() {
    assertThat(problems("metrics:\n  api_port: [8080\n").get(0).toString())
        .startsWith("line 3: (syntax): not valid YAML");
  }

  @Test
  void authenticationWithoutKeyIsRefused() {
    assertThat(problems("metrics:\n  api_authentication: true\n").get(0).key())
        .isEqualTo("metrics.api_key");
  }

  @Test
  void overridesApplyInOrderFileEnvironmentPropertyArgument() throws Exception {
    Path file = write("metrics:\n  api_port: 1000\n  prometheus_port: 1000\n  api_host: 0.0.0.0\n");
    ConfigLoader withOverrides =
        new ConfigLoader(
            Map.of(
                "CONDUCTOR_METRICS_API_PORT", "2000", "CONDUCTOR_METRICS_PROMETHEUS_PORT", "2000"),
            Map.of("conductor.metrics.api_port", "3000"));
    AgentConfig config =
        withOverrides.load(AgentArguments.parse("config=" + file + ",metrics.api_host=127.0.0.2"));
    assertThat(config.integer("metrics.api_port")).isEqualTo(3000);
    assertThat(config.integer("metrics.prometheus_port")).isEqualTo(2000);
    assertThat(config.text("metrics.api_host")).isEqualTo("127.0.0.2");
  }

  @Test
  void badOverrideNamesItsSource() {
    ConfigLoader withOverrides =
        new ConfigLoader(Map.of(), Map.of("conductor.metrics.api_port", "http"));
    assertThatThrownBy(() -> withOverrides.load(AgentArguments.parse("metrics.api_prot=1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "-Dconductor.metrics.api_port: metrics.api_port: expected a whole number")
        .hasMessageContaining(
            "agent argument: metrics.api_prot: unknown key (did you mean metrics.api_port?)");
  }

  @Test
  void unrelatedConductorPropertiesOfTheHostAreIgnored() throws Exception {
    ConfigLoader withHostSettings =
        new ConfigLoader(
            Map.of("CONDUCTOR_DB_TYPE", "postgres"), Map.of("conductor.db.type", "postgres"));
    assertThat(withHostSettings.load(AgentArguments.parse("")).integer("metrics.api_port"))
        .isEqualTo(8080);
  }

  @Test
  void bucketsMustIncrease() {
    assertThat(problems("histograms:\n  task_duration_seconds: [1, 0.5]\n").get(0).message())
        .contains("increasing order");
  }

  @Test
  void hookListsAreValidatedToo() {
    ConfigProblem problem =
        problems(
                """
                instrumentation:
                  agents:
                    - type: com.acme.Agent
                      agent_id: self.id
                """)
            .get(0);
    assertThat(problem.key()).isEqualTo("instrumentation.agents[0].agent_id");
  }

  @Test
  void executorNamesMapPoolsToNewNames() throws Exception {
    AgentConfig config =
        load("instrumentation:\n  executor_names: {Orchestrator: orchestrator-pool}\n");
    assertThat(config.instrumentation().executorNames())
        .containsEntry("Orchestrator", "orchestrator-pool");
    assertThat(problems("instrumentation:\n  executor_names: [a, b]\n").get(0).key())
        .isEqualTo("instrumentation.executor_names");
  }
}
