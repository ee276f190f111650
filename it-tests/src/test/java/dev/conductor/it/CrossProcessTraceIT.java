package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two JVMs, each with the agent and no tracing config: a client whose unit of work calls a service
 * over HTTP ({@code HttpURLConnection}, {@code java.net.http.HttpClient}), and the service on the
 * JDK's HTTP server. Each agent's trace API shows its side, and both sides are one trace.
 */
class CrossProcessTraceIT {
  private static final Path HOST = Jvm.ROOT.resolve("examples/library-host/target");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aServiceCalledOverHttpContinuesTheCallersTrace(Path java, @TempDir Path dir)
      throws Exception {
    int serverPort = Jvm.freePort();
    int serverApi = Jvm.freePort();
    int clientApi = Jvm.freePort();
    Path serverConfig = taskPoint(dir, "server.yaml", "TraceServerHost$Work", "handle");
    Path clientConfig = taskPoint(dir, "client.yaml", "TraceClientHost$Calls", "call");
    try (Jvm server =
        Jvm.start(command(java, serverConfig, serverApi, "TraceServerHost", serverPort))) {
      server.awaitLine("ready", 60);

      String malformed = "00-not-a-trace-context";
      HttpResponse<String> answer =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + "/work/bad"))
                  .header("traceparent", malformed)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).as("the server got the header as sent").isEqualTo(malformed);

      try (Jvm client =
          Jvm.start(command(java, clientConfig, clientApi, "TraceClientHost", serverPort, "60"))) {
        client.awaitLine("done", 60);
        Map<String, String> received = received(client);

        for (String kind : List.of("url-connection", "http-client")) {
          JsonNode clientTrace = awaitTrace(clientApi, kind);
          String traceId = clientTrace.get("trace_id").asText();
          JsonNode clientTask = onlySpan(clientTrace, "execute " + kind);
          String clientSpan = clientTask.get("span_id").asText();
          assertThat(received.get(kind))
              .as("%s: the request carried the client's task span as parent", kind)
              .isEqualTo("00-" + traceId + "-" + clientSpan + "-01");

          JsonNode serverTrace = awaitTrace(serverApi, kind);
          assertThat(serverTrace.get("trace_id").asText())
              .as("%s: the server's trace is the client's", kind)
              .isEqualTo(traceId);
          JsonNode request = onlySpan(serverTrace, "GET /work/" + kind);
          assertThat(request.get("kind").asText()).isEqualTo("SERVER");
          assertThat(request.get("parent_span_id").asText())
              .as("%s: the server span's parent is the client's task span", kind)
              .isEqualTo(clientSpan);
          assertThat(onlySpan(serverTrace, "execute " + kind).get("parent_span_id").asText())
              .as("%s: the work done for the request is a child of the server span", kind)
              .isEqualTo(request.get("span_id").asText());
        }

        // A traceparent the application set itself goes out as it is, and the server joins it.
        Map<String, String> own =
            Map.of(
                "own-url-connection",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "own-http-client",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        for (Map.Entry<String, String> call : own.entrySet()) {
          String kind = call.getKey();
          String[] fields = call.getValue().split("-");
          assertThat(received.get(kind)).as(kind).isEqualTo(call.getValue());
          JsonNode serverTrace = awaitTrace(serverApi, kind);
          assertThat(serverTrace.get("trace_id").asText()).as(kind).isEqualTo(fields[1]);
          assertThat(onlySpan(serverTrace, "GET /work/" + kind).get("parent_span_id").asText())
              .as(kind)
              .isEqualTo(fields[2]);
        }

        assertThat(received.get("untraced"))
            .as("a request made outside any trace carries no context")
            .isEqualTo("none");
        assertStartsNewTrace(awaitTrace(serverApi, "untraced"), "untraced");
      }
      assertStartsNewTrace(awaitTrace(serverApi, "bad"), "bad");
    }
  }

  /** A jakarta servlet on embedded Tomcat joins the trace of a request's traceparent too. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aServletRequestJoinsTheTraceOfItsTraceparent(Path java) throws Exception {
    int servletPort = Jvm.freePort();
    int api = Jvm.freePort();
    List<String> command =
        List.of(
            java.toString(),
            "-javaagent:" + Jvm.AGENT_JAR + "=metrics.api_port=" + api,
            "-cp",
            HOST.resolve("library-host.jar") + File.pathSeparator + HOST.resolve("lib/*"),
            "com.example.libraryhost.ServletHost",
            String.valueOf(servletPort));
    try (Jvm host = Jvm.start(command)) {
      host.awaitLine("ready", 60);
      String traceId = "5c8b3b2e1c0f4a7d9e6f1a2b3c4d5e6f";
      String parent = "1a2b3c4d5e6f7a8b";
      HttpResponse<Void> answer =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servletPort + "/items/2"))
                  .header("traceparent", "00-" + traceId + "-" + parent + "-01")
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(answer.statusCode()).isEqualTo(200);

      JsonNode trace = awaitTraceById(api, traceId);
      JsonNode request = onlySpan(trace, "GET /items/{id}");
      assertThat(request.get("kind").asText()).isEqualTo("SERVER");
      assertThat(request.get("parent_span_id").asText()).isEqualTo(parent);
    }
  }

  private static void assertStartsNewTrace(JsonNode trace, String kind) {
    JsonNode request = onlySpan(trace, "GET /work/" + kind);
    assertThat(request.get("parent_span_id").isNull())
        .as("%s: the server span starts a new trace", kind)
        .isTrue();
    assertThat(trace.get("trace_id").asText()).matches("[0-9a-f]{32}");
    assertThat(onlySpan(trace, "execute " + kind).get("parent_span_id").asText())
        .isEqualTo(request.get("span_id").asText());
  }

  private static Path taskPoint(Path dir, String file, String type, String method)
      throws Exception {
    return Files.writeString(
        dir.resolve(file),
        "instrumentation:\n"
            + "  tasks:\n"
            + "    - type: com.example.libraryhost."
            + type
            + "\n"
            + "      method: "
            + method
            + "\n"
            + "      labels:\n"
            + "        task_type: arg0\n");
  }

  private static List<String> command(
      Path java, Path config, int apiPort, String main, int serverPort, String... more) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                Jvm.agentArgument(config, apiPort),
                "-cp",
                HOST.resolve("library-host.jar").toString(),
                "com.example.libraryhost." + main,
                String.valueOf(serverPort)));
    command.addAll(List.of(more));
    return command;
  }

  /** What the server told the client it received, by kind of call. */
  private static Map<String, String> received(Jvm client) throws Exception {
    Map<String, String> received = new HashMap<>();
    for (String line : client.stdoutLines()) {
      if (line.startsWith("{\"kind\":")) {
        JsonNode call = JSON.readTree(line);
        assertThat(call.get("status").asInt()).as(line).isEqualTo(200);
        received.put(call.get("kind").asText(), call.get("received").asText());
      }
    }
    return received;
  }

  /** The one trace with a task of {@code taskType}, with its spans, once the agent has it. */
  private static JsonNode awaitTrace(int apiPort, String taskType) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode traces;
    do {
      // The host may be done before the agent's HTTP server, started in the background, is up.
      if (!Scrape.listening(apiPort)) {
        Thread.sleep(100);
        continue;
      }
      traces = get(apiPort, "/api/v1/metrics/traces?task_type=" + taskType).get("traces");
      if (traces.size() > 0) {
        assertThat(traces).as("traces with task type %s", taskType).hasSize(1);
        return get(apiPort, "/api/v1/metrics/traces/" + traces.get(0).get("trace_id").asText());
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no trace with task type " + taskType + " on port " + apiPort);
  }

  private static JsonNode awaitTraceById(int apiPort, String traceId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    do {
      if (!Scrape.listening(apiPort)) {
        Thread.sleep(100);
        continue;
      }
      HttpResponse<String> response = request(apiPort, "/api/v1/metrics/traces/" + traceId);
      if (response.statusCode() == 200) {
        return JSON.readTree(response.body());
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no trace " + traceId + " on port " + apiPort);
  }

  private static JsonNode onlySpan(JsonNode trace, String name) {
    JsonNode found = null;
    for (JsonNode span : trace.get("spans")) {
      if (span.get("name").asText().equals(name)) {
        assertThat(found).as("one span named %s in %s", name, trace).isNull();
        found = span;
      }
    }
    assertThat(found).as("a span named %s in %s", name, trace).isNotNull();
    return found;
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response = request(port, path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> request(int port, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
