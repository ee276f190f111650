package dev.conductor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The sample orchestrator started with the agent, with the ports it was given. */
final class Demo implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  final Jvm jvm;
  final int apiPort;
  final int prometheusPort;
  final int demoPort;

  private Demo(Jvm jvm, int apiPort, int prometheusPort, int demoPort) {
    this.jvm = jvm;
    this.apiPort = apiPort;
    this.prometheusPort = prometheusPort;
    this.demoPort = demoPort;
  }

  /** Starts the demo with the agent on free ports; {@code options} go to the demo. */
  static Demo start(Path java, String... options) throws Exception {
    return start(java, Map.of(), options);
  }

  /** As {@link #start(Path, String...)}, with further agent arguments ({@code key=value}). */
  static Demo start(Path java, Map<String, String> agentArguments, String... options)
      throws Exception {
    return start(java, List.of(), agentArguments, options);
  }

  /** As {@link #start(Path, Map, String...)}, with options for the JVM. */
  static Demo start(
      Path java, List<String> jvmOptions, Map<String, String> agentArguments, String... options)
      throws Exception {
    int apiPort = Jvm.freePort();
    int prometheusPort = Jvm.freePort();
    int demoPort = Jvm.freePort();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.add(
        "-javaagent:"
            + Jvm.AGENT_JAR
            + "=config="
            + Jvm.DEMO_CONFIG
            + ",metrics.api_port="
            + apiPort
            + ",metrics.prometheus_port="
            + prometheusPort
            + agentArguments.entrySet().stream()
                .map(argument -> "," + argument.getKey() + "=" + argument.getValue())
                .collect(Collectors.joining()));
    command.addAll(List.of("-jar", Jvm.DEMO_JAR.toString(), "--port", String.valueOf(demoPort)));
    command.addAll(List.of(options));
    Demo demo = new Demo(Jvm.start(command), apiPort, prometheusPort, demoPort);
    demo.awaitApi();
    return demo;
  }

  /** Waits until the demo's own HTTP API answers. */
  private void awaitApi() throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        call("GET", "/status");
        return;
      } catch (java.net.ConnectException notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the demo's API never came up; stderr:\n" + String.join("\n", jvm.stderrLines()));
        }
        Thread.sleep(50);
      }
    }
  }

  /** The demo's own count, printed when its workload is done. */
  JsonNode awaitSummary() throws Exception {
    return JSON.readTree(jvm.awaitLine("{\"completed\":", 120));
  }

  /** What the demo's JVM wrote on stderr so far, the agent's lines included. */
  List<String> stderrLines() throws java.io.IOException {
    return jvm.stderrLines();
  }

  JsonNode status() throws Exception {
    return JSON.readTree(call("GET", "/status").body());
  }

  HttpResponse<String> call(String method, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demoPort + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    jvm.close();
  }
}
