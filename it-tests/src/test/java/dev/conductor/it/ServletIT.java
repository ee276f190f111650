package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servlets on embedded Tomcat are timed with no config at all: jakarta ones (Tomcat 11) and javax
 * ones (Tomcat 9), the same application on each.
 */
class ServletIT {
  /** A servlet host: its module's target folder, its jar and its main class. */
  record Host(String api, String module, String jar, String mainClass) {
    @Override
    public String toString() {
      return api;
    }
  }

  private static final List<Host> HOSTS =
      List.of(
          new Host(
              "jakarta.servlet",
              "library-host",
              "library-host.jar",
              "com.example.libraryhost.ServletHost"),
          new Host(
              "javax.servlet",
              "javax-host",
              "javax-host.jar",
              "com.example.javaxhost.JavaxServletHost"));

  static List<Arguments> hostsAndJavas() {
    List<Arguments> runs = new java.util.ArrayList<>();
    for (Host host : HOSTS) {
      for (Path java : Jvm.javas()) {
        runs.add(Arguments.of(host, java));
      }
    }
    return runs;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("hostsAndJavas")
  void servletRequestsAreCountedByTemplatedEndpointAndStatus(Host servlets, Path java)
      throws Exception {
    int apiPort = Jvm.freePort();
    int servletPort = Jvm.freePort();
    Path target = Jvm.ROOT.resolve("examples/" + servlets.module() + "/target");
    List<String> command =
        List.of(
            java.toString(),
            Jvm.agentArgument(apiPort),
            "-cp",
            target.resolve(servlets.jar()) + File.pathSeparator + target.resolve("lib/*"),
            servlets.mainClass(),
            String.valueOf(servletPort));
    try (Jvm host = Jvm.start(command)) {
      host.awaitLine("ready", 60);
      HttpClient client = HttpClient.newHttpClient();
      int requests = 200;
      for (int i = 0; i < requests; i++) {
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servletPort + "/items/" + i))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
      client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servletPort + "/items"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.discarding());

      // Not the family's total: that counts the test's own scrapes of the agent too.
      Scrape.awaitUntil(
          apiPort,
          s ->
              s.sumBy("conductor_api_requests_total", "endpoint").entrySet().stream()
                      .filter(series -> !series.getKey().equals("/metrics"))
                      .mapToDouble(Map.Entry::getValue)
                      .sum()
                  >= requests + 1,
          30);
      Map<String, Double> byRoute =
          new java.util.HashMap<>(
              Scrape.of(apiPort)
                  .sumBy(
                      "conductor_api_requests_total",
                      l -> l.get("method") + " " + l.get("endpoint") + " " + l.get("status_code")));
      byRoute.remove("GET /metrics 200"); // the test's own scrapes of the agent
      assertThat(byRoute)
          .isEqualTo(
              Map.of(
                  "GET /items/{id} 200", requests / 2.0,
                  "GET /items/{id} 404", requests / 2.0,
                  "POST /items 201", 1.0));
    }
  }
}
