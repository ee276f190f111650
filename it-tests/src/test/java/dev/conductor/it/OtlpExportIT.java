package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo, unchanged, with the agent exporting its spans over OTLP/HTTP: every span the agent
 * keeps arrives at the collector exactly once, as the trace API shows it; with no collector the
 * demo runs as before and the loss is counted.
 */
class OtlpExportIT {
  private static final int TASKS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void everySpanTheAgentKeepsArrivesAtTheCollectorExactlyOnce(Path java) throws Exception {
    try (OtlpReceiver collector = new OtlpReceiver();
        Demo demo = startDemo(java, collector.endpoint(), 4096)) {
      JsonNode summary = demo.awaitSummary();
      assertThat(finished(summary)).isEqualTo(TASKS);

      Map<String, JsonNode> stored = awaitExport(demo, collector);

      List<Span> received = collector.spans();
      Map<String, Span> byId = new HashMap<>();
      for (Span span : received) {
        assertThat(byId.put(hex(span.getSpanId().toByteArray()), span))
            .as("span %s arrived once", hex(span.getSpanId().toByteArray()))
            .isNull();
      }
      assertThat(byId.keySet()).isEqualTo(stored.keySet());
      for (Map.Entry<String, JsonNode> entry : stored.entrySet()) {
        JsonNode api = entry.getValue();
        Span otlp = byId.get(entry.getKey());
        assertThat(hex(otlp.getTraceId().toByteArray())).isEqualTo(api.get("trace_id").asText());
        assertThat(otlp.getName()).isEqualTo(api.get("name").asText());
        assertThat(otlp.getKind().name()).isEqualTo("SPAN_KIND_" + api.get("kind").asText());
        assertThat(
                otlp.getParentSpanId().isEmpty() ? null : hex(otlp.getParentSpanId().toByteArray()))
            .isEqualTo(
                api.get("parent_span_id").isNull() ? null : api.get("parent_span_id").asText());
        assertThat(otlp.getStartTimeUnixNano()).isEqualTo(api.get("start_epoch_nanos").asLong());
        assertThat(otlp.getStatus().getCodeValue() == 2)
            .isEqualTo(api.get("status").asText().equals("error"));
      }
      Map<String, Long> kinds =
          received.stream()
              .collect(Collectors.groupingBy(s -> s.getKind().name(), Collectors.counting()));
      assertThat(kinds)
          .as("one submit and one execution per task")
          .containsEntry("SPAN_KIND_PRODUCER", (long) TASKS)
          .containsEntry("SPAN_KIND_CONSUMER", (long) TASKS);
      List<KeyValue> resource =
          collector.requests().get(0).getResourceSpans(0).getResource().getAttributesList();
      assertThat(resource)
          .anySatisfy(
              kv -> {
                assertThat(kv.getKey()).isEqualTo("service.name");
                assertThat(kv.getValue().getStringValue()).isEqualTo("conductor-demo.jar");
              });

      Scrape scrape = Scrape.of(demo.apiPort);
      assertThat(scrape.total("conductor_agent_spans_exported_total")).isEqualTo(received.size());
      assertThat(scrape.total("conductor_agent_spans_dropped_total")).isZero();
      Promtool.assertValid(scrape.text);
      assertThat(demo.jvm.stderrLines()).noneMatch(line -> line.contains("OTLP"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void withNoCollectorTheDemoRunsAsBeforeAndTheLossIsCounted(Path java) throws Exception {
    int closedPort = Jvm.freePort();
    String endpoint = "http://127.0.0.1:" + closedPort + "/v1/traces";
    try (Demo demo = startDemo(java, endpoint, 100)) {
      JsonNode summary = demo.awaitSummary();
      assertThat(finished(summary)).isEqualTo(TASKS);

      Scrape.awaitUntil(demo.apiPort, s -> s.total("conductor_tasks_total") >= TASKS, 30);
      int kept = storedSpans(demo).size();
      assertThat(kept).isGreaterThanOrEqualTo(2 * TASKS);
      Scrape scrape =
          Scrape.awaitUntil(
              demo.apiPort, s -> s.total("conductor_agent_spans_dropped_total") >= kept, 90);
      Map<String, Double> dropped = scrape.sumBy("conductor_agent_spans_dropped_total", "reason");
      assertThat(scrape.total("conductor_agent_spans_exported_total")).isZero();
      assertThat(dropped.get("queue_full") + dropped.get("export_failed"))
          .as("every span kept is counted once as lost")
          .isEqualTo(kept)
          .isEqualTo(storedSpans(demo).size());
      assertThat(dropped.get("queue_full")).as("a 100-span queue overflows").isPositive();
      assertThat(scrape.total("conductor_agent_events_dropped_total"))
          .as("the host's own recording lost nothing to the failing export")
          .isZero();
      assertThat(scrape.total("conductor_tasks_total")).isEqualTo(TASKS);
      assertThat(demo.jvm.stderrLines().stream().filter(line -> line.contains("OTLP")))
          .as("one line when the export starts failing, none per batch")
          .singleElement()
          .asString()
          .contains("OTLP export to " + endpoint + " failing: ConnectException");
    }
  }

  private static Demo startDemo(Path java, String endpoint, int maxQueue) throws Exception {
    return Demo.start(
        java,
        Map.of(
            "tracing.otlp.endpoint",
            endpoint,
            "tracing.otlp.export_interval_ms",
            "100",
            "tracing.otlp.max_queue_size",
            String.valueOf(maxQueue)),
        "--agents",
        "3",
        "--tasks",
        String.valueOf(TASKS),
        "--rate",
        "400",
        "--linger",
        "120");
  }

  /** Waits until the collector has as many spans as the agent's trace API holds. */
  private static Map<String, JsonNode> awaitExport(Demo demo, OtlpReceiver collector)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      Map<String, JsonNode> stored = storedSpans(demo);
      double exported = Scrape.of(demo.apiPort).total("conductor_agent_spans_exported_total");
      if (stored.size() >= 2 * TASKS
          && collector.spans().size() == stored.size()
          && exported == stored.size()) {
        return stored;
      }
      if (System.nanoTime() > deadline) {
        return stored; // the assertions say what differs
      }
      Thread.sleep(200);
    }
  }

  /** Every span the trace API holds, by span id, each with its trace id added. */
  private static Map<String, JsonNode> storedSpans(Demo demo) throws Exception {
    Map<String, JsonNode> spans = new HashMap<>();
    for (JsonNode trace : get(demo, "/api/v1/metrics/traces?limit=1000").get("traces")) {
      String traceId = trace.get("trace_id").asText();
      for (JsonNode span : get(demo, "/api/v1/metrics/traces/" + traceId).get("spans")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) span).put("trace_id", traceId);
        spans.put(span.get("span_id").asText(), span);
      }
    }
    return spans;
  }

  private static JsonNode get(Demo demo, String path) throws Exception {
    var response = Scrape.get(demo.apiPort, path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static int finished(JsonNode summary) {
    int finished = 0;
    for (var type : summary.get("completed").properties()) {
      for (var status : type.getValue().properties()) {
        finished += status.getValue().asInt();
      }
    }
    return finished;
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }
}
