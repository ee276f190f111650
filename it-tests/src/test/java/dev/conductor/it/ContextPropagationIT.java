package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task's trace follows its work onto other threads with no more config than the task and the
 * spans to see: thread pools (lambdas, callables, nested submissions), CompletableFuture async
 * stages, a scheduled pool and virtual threads; methods with OpenTelemetry's {@code @WithSpan} are
 * spans with no config, nested as they call each other.
 */
class ContextPropagationIT {
  private static final Path HOST_JAR =
      Jvm.ROOT.resolve("examples/library-host/target/library-host.jar");
  private static final int JOBS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void workHandedToOtherThreadsStaysInTheTasksTrace(Path java, @TempDir Path dir) throws Exception {
    Path config = dir.resolve("traced.yaml");
    Files.writeString(
        config,
        """
        instrumentation:
          tasks:
            - type: com.example.libraryhost.TracedWorkHost
              method: plan
              labels:
                task_type: arg0.kind
                task_id: arg0.id
          operations:
            - type: com.example.libraryhost.TracedWorkHost$Steps
              method: [pool, nested, callable, async, then, scheduled, virtualThread]
        """);
    int apiPort = Jvm.freePort();
    List<String> command =
        List.of(
            java.toString(),
            Jvm.agentArgument(config, apiPort),
            "-cp",
            HOST_JAR.toString(),
            "com.example.libraryhost.TracedWorkHost",
            String.valueOf(JOBS),
            "60");
    try (Jvm host = Jvm.start(command)) {
      JsonNode ran = JSON.readTree(host.awaitLine("{\"jobs\":", 60));
      boolean virtual = ran.get("virtual").asBoolean();
      Scrape.awaitUntil(apiPort, s -> s.total("conductor_tasks_total") >= JOBS, 30);
      Thread.sleep(300); // the last spans of the last job drain with its task end

      JsonNode traces = get(apiPort, "/api/v1/metrics/traces?task_type=planning&limit=1000");
      assertThat(traces.get("count").asInt()).as("one trace per job").isEqualTo(JOBS);
      for (JsonNode summary : traces.get("traces")) {
        JsonNode spans =
            get(apiPort, "/api/v1/metrics/traces/" + summary.get("trace_id").asText()).get("spans");
        Map<String, JsonNode> byName = new HashMap<>();
        spans.forEach(span -> byName.put(span.get("name").asText(), span));
        String task = byName.get("execute planning").get("span_id").asText();
        String pool = byName.get("TracedWorkHost$Steps.pool").get("span_id").asText();
        Map<String, String> expectedParents = new HashMap<>();
        for (String child : List.of("pool", "callable", "async", "then", "scheduled")) {
          expectedParents.put("TracedWorkHost$Steps." + child, task);
        }
        expectedParents.put("TracedWorkHost$Steps.nested", pool);
        String review = byName.get("review job").get("span_id").asText();
        expectedParents.put("review job", task);
        expectedParents.put("TracedWorkHost.check", review);
        if (virtual) {
          expectedParents.put("TracedWorkHost$Steps.virtualThread", task);
        }
        Map<String, String> parents = new HashMap<>();
        spans.forEach(
            span -> {
              if (!span.get("parent_span_id").isNull()) {
                parents.put(span.get("name").asText(), span.get("parent_span_id").asText());
              }
            });
        assertThat(parents)
            .as("trace %s: each step's parent", summary.get("trace_id").asText())
            .isEqualTo(expectedParents);
      }
    }
  }

  private static JsonNode get(int port, String path) throws Exception {
    var response = Scrape.get(port, path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
