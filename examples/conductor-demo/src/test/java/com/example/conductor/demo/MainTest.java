package com.example.conductor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MainTest {

  @Test
  void printsOneSummaryLineThatAddsUp() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(0, Main.run(new Options(3, 40, 1000, 0, 0, 42), out));
    String text = bytes.toString(StandardCharsets.UTF_8);
    String[] lines = text.split("\n");
    assertEquals(1, lines.length, text);
    assertTrue(lines[0].startsWith("{\"completed\":{"), lines[0]);
    assertTrue(lines[0].contains("\"submitted\":40,"), lines[0]);
    String completed = lines[0].substring(0, lines[0].indexOf("\"submitted\""));
    String byAgent =
        lines[0].substring(
            lines[0].indexOf("\"by_agent\""), lines[0].indexOf("\"health_failures\""));
    assertEquals(40, sumOfCounts(completed));
    assertEquals(40, sumOfCounts(byAgent));
    assertTrue(
        Pattern.compile("\"health_failures\":\\{\"agent-1\":0,\"agent-2\":0,\"agent-3\":\\d+}}$")
            .matcher(lines[0])
            .find(),
        lines[0]);
  }

  @Test
  void pausedRunWaitsForResumeAndAgentsStopAndStartOverHttp() throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Thread runner =
        new Thread(
            () -> {
              try {
                Main.run(new Options(2, 20, 1000, 0, 0, 5, true, 20), out, port::complete);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    runner.start();
    String base = "http://127.0.0.1:" + port.get(10, TimeUnit.SECONDS);
    HttpClient client = HttpClient.newHttpClient();

    String status = get(client, base + "/status").body();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!status.contains("\"submitted\":20,")) {
      assertTrue(System.nanoTime() < deadline, status);
      Thread.sleep(20);
      status = get(client, base + "/status").body();
    }
    assertTrue(status.contains("\"finished\":0,"), status);
    assertTrue(status.contains("\"paused\":true,"), status);
    assertTrue(status.contains("\"queue_length\":20,"), status);
    assertTrue(status.contains("\"queued\":20,"), status);
    Matcher byPriority = Pattern.compile("\"queue_by_priority\":(\\{[^}]*})").matcher(status);
    assertTrue(byPriority.find(), status);
    assertTrue(
        byPriority.group(1).matches("\\{\"0\":\\d+(,\"[1-9]\":\\d+){9}}"), byPriority.group(1));
    assertEquals(20, sumOfCounts(byPriority.group(1)));
    assertTrue(status.contains("\"running\":{\"agent-1\":0,\"agent-2\":0}"), status);
    assertTrue(
        status.contains(
            "\"agent-1\":{\"running\":true,\"consecutive_health_failures\":0,\"health_checks\":"),
        status);
    assertTrue(
        Pattern.compile(
                "\"agent-2\":\\{\"running\":true,\"consecutive_health_failures\":\\d+,"
                    + "\"health_checks\":\\d+,")
            .matcher(status)
            .find(),
        status);

    assertEquals(404, post(client, base + "/agents/agent-3/stop"));
    assertEquals(404, post(client, base + "/agents/agent-1/restart"));
    assertEquals(405, get(client, base + "/agents/agent-1/stop").statusCode());
    assertEquals(405, get(client, base + "/resume").statusCode());
    HttpResponse<String> stopped = postForBody(client, base + "/agents/agent-1/stop");
    assertEquals(200, stopped.statusCode());
    assertEquals("{\"id\":\"agent-1\",\"running\":false,\"changed\":true}", stopped.body());
    assertTrue(
        get(client, base + "/status").body().contains("\"agent-1\":{\"running\":false,"), status);
    HttpResponse<String> started = postForBody(client, base + "/agents/agent-1/start");
    assertEquals("{\"id\":\"agent-1\",\"running\":true,\"changed\":true}", started.body());
    assertEquals(200, post(client, base + "/agents/agent-1/stop"));
    assertEquals("{\"paused\":true}", postForBody(client, base + "/pause").body());
    assertTrue(runner.isAlive());
    HttpResponse<String> resumed = postForBody(client, base + "/resume");
    assertEquals(200, resumed.statusCode());
    assertEquals("{\"paused\":false}", resumed.body());

    runner.join();
    String summary = bytes.toString(StandardCharsets.UTF_8).trim();
    assertTrue(summary.contains("\"submitted\":20,"), summary);
    // agent-1 was stopped before the workers were resumed: agent-2 ran everything.
    assertTrue(summary.contains("\"by_agent\":{\"agent-1\":0,\"agent-2\":20}"), summary);
    assertTrue(
        Pattern.compile("\"health_failures\":\\{\"agent-1\":0,\"agent-2\":\\d+}}$")
            .matcher(summary)
            .find(),
        summary);
  }

  @Test
  void servesTheHttpApiWhileLingering() throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Thread runner =
        new Thread(
            () -> {
              try {
                Main.run(new Options(2, 5, 1000, 3, 0, 7), out, port::complete);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    runner.start();
    String base = "http://127.0.0.1:" + port.get(10, TimeUnit.SECONDS);
    HttpClient client = HttpClient.newHttpClient();

    HttpResponse<String> submitted =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/tasks?type=code_review&priority=1"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, submitted.statusCode(), submitted.body());
    Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(submitted.body());
    assertTrue(id.find(), submitted.body());

    assertEquals(400, post(client, base + "/tasks?type=nope&priority=1"));
    assertEquals(400, post(client, base + "/tasks?type=analysis&priority=10"));
    assertEquals(200, get(client, base + "/tasks/" + id.group(1)).statusCode());
    assertEquals(404, get(client, base + "/tasks/task-999999").statusCode());
    HttpResponse<String> status = get(client, base + "/status");
    assertEquals(200, status.statusCode());
    assertTrue(status.body().contains("\"queue_length\":"), status.body());

    runner.join();
    String summary = bytes.toString(StandardCharsets.UTF_8).trim();
    // The HTTP task may land before or after the fixed workload finished.
    assertTrue(
        summary.contains("\"submitted\":5,") || summary.contains("\"submitted\":6,"), summary);
  }

  @Test
  void parsesOptions() throws Exception {
    assertEquals(Options.DEFAULTS, Options.parse());
    Options options =
        Options.parse(
            "--agents",
            "3",
            "--tasks=0",
            "--rate",
            "2.5",
            "--linger",
            "1",
            "--port",
            "0",
            "--seed",
            "-9");
    assertEquals(new Options(3, 0, 2.5, 1, 0, -9), options);
    assertEquals(new Options(4, 500, 50, 0, 8090, 42, false, 1000), Options.DEFAULTS);
    assertEquals(
        new Options(4, 500, 50, 0, 8090, 42, true, 250),
        Options.parse("--paused", "--health-interval-ms", "250"));
    assertEquals(
        new Options(2, 500, 50, 0, 8090, 42, true, 1000),
        Options.parse("--paused=true", "--agents=2"));
    assertEquals(Options.DEFAULTS, Options.parse("--paused=false"));
    assertThrows(Options.UsageException.class, () -> Options.parse("--paused=yes"));
    assertThrows(Options.UsageException.class, () -> Options.parse("--health-interval-ms", "0"));
    assertNull(Options.parse("--help"));
    assertThrows(Options.UsageException.class, () -> Options.parse("--agents", "0"));
    assertThrows(Options.UsageException.class, () -> Options.parse("--rate", "0"));
    assertThrows(Options.UsageException.class, () -> Options.parse("--what", "1"));
    assertThrows(Options.UsageException.class, () -> Options.parse("--tasks"));
  }

  private static long sumOfCounts(String json) {
    Matcher m = Pattern.compile(":(\\d+)").matcher(json);
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  private static int post(HttpClient client, String url) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static HttpResponse<String> postForBody(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
