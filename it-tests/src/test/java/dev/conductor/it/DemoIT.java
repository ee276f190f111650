package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample orchestrator, unchanged, with the agent attached: what it counts itself must be what a
 * Prometheus scrape of the agent says.
 */
class DemoIT {
  private static final int TASKS = 400;

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void taskMetricsEqualTheDemosOwnCounts(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    int prometheusPort = Jvm.freePort();
    List<String> command =
        List.of(
            java.toString(),
            "-javaagent:"
                + Jvm.AGENT_JAR
                + "=config="
                + Jvm.DEMO_CONFIG
                + ",metrics.api_port="
                + apiPort
                + ",metrics.prometheus_port="
                + prometheusPort,
            "-jar",
            Jvm.DEMO_JAR.toString(),
            "--agents",
            "3",
            "--tasks",
            String.valueOf(TASKS),
            "--rate",
            "400",
            "--linger",
            "120",
            "--port",
            String.valueOf(Jvm.freePort()));
    try (Jvm demo = Jvm.start(command)) {
      JsonNode counts = new ObjectMapper().readTree(demo.awaitLine("{\"completed\":", 120));
      assertThat(counts.get("submitted").asInt()).isEqualTo(TASKS);

      Scrape.awaitUntil(apiPort, s -> s.total("conductor_tasks_total") >= TASKS, 30);
      // A scrape is not atomic against the exporter thread: read again once everything is in.
      Scrape scrape = Scrape.of(apiPort);

      Map<String, Double> expected = new HashMap<>();
      Map<String, Double> expectedPerType = new HashMap<>();
      counts
          .get("completed")
          .properties()
          .forEach(
              type ->
                  type.getValue()
                      .properties()
                      .forEach(
                          status -> {
                            if (status.getValue().asInt() > 0) {
                              expected.put(
                                  type.getKey() + "/" + status.getKey(),
                                  status.getValue().asDouble());
                              expectedPerType.merge(
                                  type.getKey(), status.getValue().asDouble(), Double::sum);
                            }
                          }));
      assertThat(
              scrape.sumBy(
                  "conductor_tasks_total", l -> l.get("task_type") + "/" + l.get("status")))
          .as("conductor_tasks_total summed over agent_id")
          .isEqualTo(expected);
      assertThat(scrape.sumBy("conductor_task_duration_seconds_count", "task_type"))
          .as("duration histogram _count per task type")
          .isEqualTo(expectedPerType);

      Map<String, Double> perAgent = new HashMap<>();
      counts
          .get("by_agent")
          .properties()
          .forEach(a -> perAgent.put(a.getKey(), a.getValue().asDouble()));
      assertThat(scrape.sumBy("conductor_tasks_total", "agent_id"))
          .as("one count per task, also for the flaky agent whose execute() calls super.execute()")
          .isEqualTo(perAgent);

      assertThat(scrape.total("conductor_task_queue_time_seconds_count"))
          .as("one queue-time observation per started task")
          .isEqualTo(TASKS);
      assertThat(scrape.total("conductor_errors_total"))
          .as("every thrown exception is one error")
          .isEqualTo(counts.get("thrown").asDouble());
      assertThat(scrape.total("conductor_agent_events_dropped_total")).isZero();
      assertThat(scrape.total("conductor_agent_label_errors_total")).isZero();
      assertThat(scrape.text).contains("conductor_build_info{", "conductor_uptime_seconds ");
      Promtool.assertValid(scrape.text);

      assertThat(Scrape.of(prometheusPort).sumBy("conductor_tasks_total", "agent_id"))
          .as("/metrics on prometheus_port too")
          .isEqualTo(perAgent);
      HttpResponse<String> health = Scrape.get(apiPort, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"healthy\"");

      List<String> agentLines =
          demo.stderrLines().stream().filter(l -> !l.startsWith("[conductor-demo]")).toList();
      assertThat(agentLines)
          .as(
              "the agent prints its one startup line and nothing else, nor does the JVM because of it")
          .hasSize(1);
      assertThat(agentLines.get(0)).startsWith("[conductor-agent] Conductor Agent ");
    }
  }
}
