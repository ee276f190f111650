package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo, unchanged, with the agent: each task is one trace from the orchestrator's submit to the
 * agent's execute on another thread, and the API, the metrics and the exemplars agree on it.
 */
class TracingIT {
  private static final int TASKS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Pattern EXEMPLAR_TRACE =
      Pattern.compile("# \\{[^}]*trace_id=\"([0-9a-f]{32})\"");

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void everyTaskIsOneTraceFromSubmitToExecute(Path java) throws Exception {
    try (Demo demo =
        Demo.start(
            java,
            List.of("-Dconductor.debug.instrumentation=true"),
            Map.of(),
            "--agents",
            "3",
            "--tasks",
            String.valueOf(TASKS),
            "--rate",
            "300",
            "--linger",
            "120")) {
      JsonNode counts = demo.awaitSummary();
      Scrape.awaitUntil(demo.apiPort, s -> s.total("conductor_tasks_total") >= TASKS, 30);
      Scrape scrape = Scrape.of(demo.apiPort);

      List<JsonNode> taskTraces = new ArrayList<>();
      for (JsonNode trace : get(demo.apiPort, "/api/v1/metrics/traces?limit=1000").get("traces")) {
        if (trace.get("task_types").size() > 0) {
          taskTraces.add(trace);
        }
      }
      assertThat(taskTraces).as("one trace per task").hasSize(TASKS);
      assertThat(demo.stderrLines())
          .as("the demo's task class got the context fields: the traces below went through them")
          .anyMatch(line -> line.endsWith("trace context fields: com.example.conductor.demo.Task"));

      double queueMillis = 0;
      int withQueueTime = 0;
      for (JsonNode summary : taskTraces) {
        String id = summary.get("trace_id").asText();
        JsonNode spans = get(demo.apiPort, "/api/v1/metrics/traces/" + id).get("spans");
        assertThat(spans).as("trace %s: submit and execute", id).hasSize(2);
        JsonNode submit = spans.get(0);
        JsonNode execute = spans.get(1);
        assertThat(submit.get("kind").asText()).isEqualTo("PRODUCER");
        assertThat(submit.get("parent_span_id").isNull()).as("the submit is the root").isTrue();
        assertThat(submit.get("name").asText()).startsWith("enqueue ");
        assertThat(execute.get("kind").asText()).isEqualTo("CONSUMER");
        assertThat(execute.get("parent_span_id").asText())
            .as("the execute span's parent is the submit span")
            .isEqualTo(submit.get("span_id").asText());
        assertThat(execute.get("thread").asText())
            .as("the task ran on an agent's thread, not the submitter's")
            .isNotEqualTo(submit.get("thread").asText());
        JsonNode attributes = execute.get("attributes");
        assertThat(attributes.get("task_id").asText()).startsWith("task-");
        assertThat(attributes.get("agent_id").asText()).startsWith("agent-");
        if (attributes.has("queue_time_ms")) {
          queueMillis += attributes.get("queue_time_ms").asDouble();
          withQueueTime++;
        }
      }
      assertThat(withQueueTime).as("every task span knows its queue time").isEqualTo(TASKS);
      assertThat(queueMillis / 1000)
          .as("queue time on the spans equals the metric's observations")
          .isCloseTo(
              scrape.total("conductor_task_queue_time_seconds_sum"),
              org.assertj.core.data.Offset.offset(1e-6));
      assertThat(scrape.total("conductor_task_queue_time_seconds_count")).isEqualTo(TASKS);

      Map<String, Integer> failedByDemo = new HashMap<>();
      counts
          .get("completed")
          .properties()
          .forEach(
              type ->
                  failedByDemo.put(
                      type.getKey(),
                      type.getValue().path("failed").asInt()
                          + type.getValue().path("timeout").asInt()));
      int failed = failedByDemo.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(
              get(demo.apiPort, "/api/v1/metrics/traces?status=error&limit=1000")
                  .get("count")
                  .asInt())
          .as("traces with a failed or timed-out task")
          .isEqualTo(failed);
      String someType = failedByDemo.keySet().iterator().next();
      int ofType = 0;
      for (var status : counts.get("completed").get(someType).properties()) {
        ofType += status.getValue().asInt();
      }
      assertThat(
              get(demo.apiPort, "/api/v1/metrics/traces?task_type=" + someType + "&limit=1000")
                  .get("count")
                  .asInt())
          .isEqualTo(ofType);

      String openMetrics = openMetrics(demo.apiPort);
      Matcher exemplar = EXEMPLAR_TRACE.matcher(openMetrics);
      Set<String> exemplarTraces = new HashSet<>();
      while (exemplar.find()) {
        exemplarTraces.add(exemplar.group(1));
      }
      assertThat(exemplarTraces).as("task duration exemplars in OpenMetrics").isNotEmpty();
      for (String id : exemplarTraces) {
        assertThat(status(demo.apiPort, "/api/v1/metrics/traces/" + id))
            .as("exemplar %s leads to a stored trace", id)
            .isEqualTo(200);
      }
      assertThat(status(demo.apiPort, "/api/v1/metrics/traces/" + "0".repeat(31) + "1"))
          .isEqualTo(404);
      assertThat(status(demo.apiPort, "/api/v1/metrics/traces?limit=-3")).isEqualTo(400);
      Promtool.assertValid(scrape.text);
    }
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response = Scrape.get(port, path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static int status(int port, String path) throws Exception {
    return Scrape.get(port, path).statusCode();
  }

  private static String openMetrics(int port) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
