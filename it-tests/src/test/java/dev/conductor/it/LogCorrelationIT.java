package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hosts that log through Logback (SLF4J) or Log4j 2, each with a plain and an asynchronous
 * appender, and know nothing of the agent: every line logged inside a task's trace prints that
 * trace's id with {@code %X{trace_id}}, the id the agent's API knows the trace by, and the span it
 * was logged in; lines outside any trace print none; the host's own MDC key is still printed, and
 * the MDC the host reads holds only its own keys.
 */
class LogCorrelationIT {
  private static final int JOBS = 20;
  private static final Path HOST = Jvm.ROOT.resolve("examples/logging-host/target");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The hosts' pattern: {@code trace=%X{trace_id} span=%X{span_id} ... tenant=%X{tenant}}. */
  private static final Pattern LINE =
      Pattern.compile(
          "LINE INFO +\\[(.*?)\\] trace=(\\S*) span=(\\S*) corr=(\\S*) tenant=(\\S*) (.*)");

  static List<Arguments> hosts() {
    List<Arguments> hosts = new ArrayList<>();
    for (Path java : Jvm.javas()) {
      for (String library : List.of("logback", "log4j2")) {
        for (String appender : List.of("sync", "async")) {
          hosts.add(Arguments.of(java, library, appender));
        }
      }
    }
    return hosts;
  }

  @ParameterizedTest(name = "{1} {2} on {0}")
  @MethodSource("hosts")
  void linesLoggedInsideATaskCarryItsTraceAndSpanIds(Path java, String library, String appender)
      throws Exception {
    int apiPort = Jvm.freePort();
    Path config = Files.createTempFile("log-correlation", ".yaml");
    Files.writeString(
        config,
        """
        instrumentation:
          tasks:
            - type: com.example.logginghost.Worker
              method: run
              labels:
                task_type: arg0.type
                task_id: arg0.id
          enqueue:
            - type: com.example.logginghost.Orchestrator
              method: submit
              task: arg0
        """);
    boolean logback = library.equals("logback");
    List<String> command =
        List.of(
            java.toString(),
            Jvm.agentArgument(config, apiPort),
            (logback ? "-Dlogback.configurationFile=" : "-Dlog4j2.configurationFile=")
                + library
                + "-"
                + appender
                + ".xml",
            "-cp",
            HOST.resolve("logging-host.jar") + File.pathSeparator + HOST.resolve("lib/*"),
            logback ? "com.example.logginghost.LogbackHost" : "com.example.logginghost.Log4jHost",
            String.valueOf(JOBS),
            "120");
    try (Jvm host = Jvm.start(command)) {
      host.awaitLine("finished", 60);
      Map<String, Line> lines = new HashMap<>();
      for (String text : host.stdoutLines()) {
        Matcher line = LINE.matcher(text);
        if (line.matches()) {
          lines.put(
              line.group(6),
              new Line(line.group(1), line.group(2), line.group(3), line.group(4), line.group(5)));
        }
      }
      assertThat(lines)
          .as("stdout:\n%s", String.join("\n", host.stdoutLines()))
          .hasSize(4 * JOBS + 2);

      for (String outside : List.of("outside before", "outside after")) {
        assertThat(lines.get(outside))
            .as(outside + ": no trace, the host's own key")
            .isEqualTo(new Line("main", "", "", "", "acme"));
      }
      Set<String> traces = new HashSet<>();
      for (int i = 0; i < JOBS; i++) {
        String job = "job-" + i;
        Line enqueued = lines.get("enqueued " + job);
        Line pickedUp = lines.get("picked up " + job);
        Line running = lines.get("running " + job);
        assertThat(enqueued.thread()).isEqualTo("main");
        assertThat(enqueued.traceId()).as(job + " enqueued").matches("[0-9a-f]{32}");
        assertThat(enqueued.spanId()).matches("[0-9a-f]{16}");
        assertThat(enqueued.correlationId()).isEqualTo(enqueued.traceId());
        assertThat(enqueued.tenant()).isEqualTo("acme");
        assertThat(running.thread()).isEqualTo("job-worker");
        assertThat(running.traceId())
            .as(job + ": the enqueue and the run on another thread share the trace")
            .isEqualTo(enqueued.traceId());
        assertThat(running.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(enqueued.spanId());
        assertThat(running.correlationId()).isEqualTo(enqueued.traceId());
        assertThat(running.tenant()).isEqualTo("acme-worker");
        assertThat(lines.get("context of " + job + " [tenant]"))
            .as(job + ": the host's own MDC, read inside the task, has only its own key")
            .isNotNull();
        assertThat(pickedUp)
            .as(job + " taken from the queue, before its task starts")
            .isEqualTo(new Line("job-worker", "", "", "", "acme-worker"));
        traces.add(enqueued.traceId());

        JsonNode spans = awaitTrace(apiPort, enqueued.traceId()).get("spans");
        Map<String, JsonNode> byKind = new HashMap<>();
        spans.forEach(span -> byKind.put(span.get("kind").asText(), span));
        assertThat(byKind.get("PRODUCER").get("span_id").asText())
            .as(job + ": the enqueue line was logged in the enqueue span")
            .isEqualTo(enqueued.spanId());
        JsonNode task = byKind.get("CONSUMER");
        assertThat(task.get("span_id").asText())
            .as(job + ": the task's line was logged in the task span")
            .isEqualTo(running.spanId());
        assertThat(task.get("parent_span_id").asText()).isEqualTo(enqueued.spanId());
        assertThat(task.get("attributes").get("task_id").asText()).isEqualTo(job);
      }
      assertThat(traces).as("one trace per job").hasSize(JOBS);
    }
  }

  private record Line(
      String thread, String traceId, String spanId, String correlationId, String tenant) {}

  /**
   * The trace from the agent's API, once its spans are stored. The host may finish its jobs before
   * the agent's HTTP server, which starts in the background, is up.
   */
  private static JsonNode awaitTrace(int port, String traceId) throws Exception {
    String path = "/api/v1/metrics/traces/" + traceId;
    long deadline = System.nanoTime() + 30_000_000_000L;
    HttpResponse<String> response = null;
    while (System.nanoTime() < deadline) {
      try {
        response = Scrape.get(port, path);
        if (response.statusCode() == 200
            && JSON.readTree(response.body()).get("spans").size() == 2) {
          break;
        }
      } catch (java.io.IOException notListeningYet) {
        // try again
      }
      Thread.sleep(100);
    }
    assertThat(response).as(path + ": the agent's API never answered").isNotNull();
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
