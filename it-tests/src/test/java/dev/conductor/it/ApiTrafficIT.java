package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The host's own HTTP API (JDK HttpServer, lambda handlers) is timed with zero config. */
class ApiTrafficIT {
  /** The figure on the main JDK; fewer on the second, where it proves the same path. */
  private static int distinctUrls(Path java) {
    return java.equals(Jvm.currentJava()) ? 10_000 : 1_000;
  }

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void demoRequestsAreCountedUnderTemplatedEndpointsWithBoundedSeries(Path java) throws Exception {
    try (Demo demo = Demo.start(java, "--agents", "2", "--tasks", "0", "--rate", "20")) {
      Scrape.awaitUntil(demo.apiPort, s -> s.total("conductor_agent_status") == 2, 30);
      assertThat(demo.call("GET", "/status").statusCode()).isEqualTo(200);
      assertThat(demo.call("POST", "/tasks?type=analysis&priority=3").statusCode()).isEqualTo(202);
      assertThat(demo.call("POST", "/tasks?type=nonsense").statusCode()).isEqualTo(400);

      int urls = distinctUrls(java);
      AtomicInteger notFound = new AtomicInteger();
      // Many clients at once: each loopback request can stall on delayed ACKs for tens of ms.
      int clientCount = 32;
      ExecutorService clients = Executors.newFixedThreadPool(clientCount);
      try {
        List<Future<?>> sent = new java.util.ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
          int client = c;
          sent.add(
              clients.submit(
                  () -> {
                    for (int i = client; i < urls; i += clientCount) {
                      if (demo.call("GET", "/tasks/unknown-" + i + "?attempt=" + i).statusCode()
                          == 404) {
                        notFound.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> future : sent) {
          future.get();
        }
      } finally {
        clients.shutdown();
      }
      assertThat(notFound.get()).isEqualTo(urls);

      // Both families awaited: a scrape collects one family after the other while the exporter
      // goes on recording, so the counter can be complete in a scrape whose histogram is not yet.
      Scrape scrape =
          Scrape.awaitUntil(
              demo.apiPort,
              s ->
                  s.sumBy(
                                  "conductor_api_requests_total",
                                  l -> l.get("endpoint") + " " + l.get("status_code"))
                              .getOrDefault("/tasks/{id} 404", 0.0)
                          >= urls
                      && s.sumBy("conductor_api_request_duration_seconds_count", "endpoint")
                              .getOrDefault("/tasks/{id}", 0.0)
                          >= urls,
              30);
      Map<String, Double> byRoute = byRoute(scrape);
      assertThat(byRoute)
          .containsEntry("GET /tasks/{id} 404", (double) urls)
          .containsEntry("GET /status 200", 2.0) // the test's and Demo.start()'s wait for the API
          .containsEntry("POST /tasks 202", 1.0)
          .containsEntry("POST /tasks 400", 1.0);
      assertThat(byRoute.size()).as(urls + " distinct URLs, a handful of series").isLessThan(12);
      assertThat(scrape.sumBy("conductor_api_request_duration_seconds_count", "endpoint"))
          .containsEntry("/tasks/{id}", (double) urls);
      assertThat(scrape.sumBy("conductor_executor_completed_tasks_total", "pool"))
          .as("the demo's HTTP pool, named after the threads its factory names http-api-N")
          .containsKey("http-api")
          .doesNotContainKey("ApiServer");
      Promtool.assertValid(scrape.text);
    }
  }

  /** Requests by "METHOD endpoint status". */
  private static Map<String, Double> byRoute(Scrape scrape) {
    return scrape.sumBy(
        "conductor_api_requests_total",
        l -> l.get("method") + " " + l.get("endpoint") + " " + l.get("status_code"));
  }

  private static double scrapesOfMetrics(int port) throws Exception {
    return Scrape.of(port)
        .sumBy("conductor_api_requests_total", "endpoint")
        .getOrDefault("/metrics", 0.0);
  }

  /**
   * The agent's own endpoints, on both its ports: routes as they are, a path under a prefix route
   * as its template, anything else as one {@code unmatched} series, however many paths are asked.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void theAgentsOwnRequestsAreCountedUnderItsRoutes(Path java) throws Exception {
    try (Demo demo = Demo.start(java, "--agents", "1", "--tasks", "0", "--rate", "5")) {
      Scrape.awaitUntil(demo.apiPort, s -> s.total("conductor_agent_status") == 1, 30);
      Scrape.awaitUntil(demo.prometheusPort, s -> true, 30);
      int unknownTraces = 20;
      int strayPaths = 30;
      for (int i = 0; i < unknownTraces; i++) {
        String traceId = String.format("%032x", 1000 + i); // well formed, and kept by no trace
        assertThat(Scrape.get(demo.apiPort, "/api/v1/metrics/traces/" + traceId).statusCode())
            .isEqualTo(404);
      }
      for (int i = 0; i < strayPaths; i++) {
        assertThat(Scrape.get(demo.apiPort, "/stray/" + i + "/path").statusCode()).isEqualTo(404);
      }

      Scrape scrape =
          Scrape.awaitUntil(
              demo.apiPort,
              s ->
                  s.sumBy("conductor_api_requests_total", "endpoint").getOrDefault("unmatched", 0.0)
                      >= strayPaths,
              30);
      Map<String, Double> byRoute = byRoute(scrape);
      assertThat(byRoute)
          .containsEntry("GET /api/v1/metrics/traces/{id} 404", (double) unknownTraces)
          .containsEntry("GET unmatched 404", (double) strayPaths)
          .containsKey("GET /metrics 200");
      assertThat(byRoute.keySet())
          .as("no raw path of the agent's own API becomes a series")
          .noneMatch(series -> series.contains("/stray/") || series.contains("traces/0"));

      // Scrapes on the Prometheus port count too. The agent records its own requests as it
      // answers them (no event buffer in between), so between two scrapes of the API port the
      // count grows by the first of them and the Prometheus port's scrapes made in between.
      double before = scrapesOfMetrics(demo.apiPort);
      int prometheusScrapes = 5;
      for (int i = 0; i < prometheusScrapes; i++) {
        assertThat(Scrape.get(demo.prometheusPort, "/metrics").statusCode()).isEqualTo(200);
      }
      Thread.sleep(200); // the last answer is recorded just after it is sent
      assertThat(scrapesOfMetrics(demo.apiPort)).isEqualTo(before + 1 + prometheusScrapes);
    }
  }
}
