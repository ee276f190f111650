package dev.conductor.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder()
        .name("demo_events_total")
        .labelNames("kind")
        .register(registry)
        .labelValues("a\"b\nc")
        .inc();
    server =
        HttpServer.builder()
            .route("/metrics", new MetricsEndpoint(registry))
            .route(
                "/boom",
                (headers, query) -> {
                  throw new IllegalStateException("secret detail");
                })
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void metricsAreServedInTheTextFormatWithHostileLabelValuesEscaped() throws Exception {
    HttpResponse<byte[]> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("demo_events_total{kind=\"a\\\"b\\nc\"} 1.0");
  }

  @Test
  void openMetricsIsChosenByContentNegotiation() throws Exception {
    HttpResponse<byte[]> response =
        get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(response.headers().firstValue("content-type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
  }

  @Test
  void gzipWhenAsked() throws Exception {
    HttpResponse<byte[]> response = get("/metrics", "Accept-Encoding", "gzip");
    assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
    String body =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(body).contains("demo_events_total");
  }

  @Test
  void unknownPathIs404Json() throws Exception {
    HttpResponse<byte[]> response = get("/nope");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"not_found\",\"message\":\"no endpoint at /nope\"}");
  }

  @Test
  void failingEndpointIs500WithoutLeakingDetails() throws Exception {
    HttpResponse<byte[]> response = get("/boom");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("secret");
  }

  @Test
  void postIsRefused() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
  }

  @Test
  void aPortInUseIsAnErrorForTheCallerNotACrash() {
    assertThatThrownBy(
            () ->
                HttpServer.builder().route("/x", (h, q) -> null).start("127.0.0.1", server.port()))
        .isInstanceOf(IllegalStateException.class);
  }
}
