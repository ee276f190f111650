package dev.conductor.it;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the agent's /metrics and sums samples the way a PromQL {@code sum by} would. */
final class Scrape {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  final String text;

  private Scrape(String text) {
    this.text = text;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Scrape of(int port) throws Exception {
    HttpResponse<String> response = get(port, "/metrics");
    if (response.statusCode() != 200) {
      String body = response.body();
      throw new AssertionError(
          "/metrics on port "
              + port
              + " answered "
              + response.statusCode()
              + ": "
              + body.substring(0, Math.min(body.length(), 200)));
    }
    return new Scrape(response.body());
  }

  /** Scrapes until {@code ready} holds or the timeout passes; returns the last scrape. */
  static Scrape awaitUntil(int port, Predicate<Scrape> ready, long timeoutSeconds)
      throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    Scrape last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = of(port);
        if (ready.test(last)) {
          return last;
        }
      } catch (ConnectException notYetListening) {
        // the HTTP server starts in the background after premain
      }
      Thread.sleep(100);
    }
    if (last == null) {
      throw new AssertionError("the agent never served /metrics on port " + port);
    }
    return last;
  }

  static boolean listening(int port) {
    try {
      get(port, "/metrics");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Sum of the samples of {@code name} grouped by one label's value. */
  Map<String, Double> sumBy(String name, String label) {
    return sumBy(name, labels -> labels.get(label));
  }

  Map<String, Double> sumBy(
      String name, java.util.function.Function<Map<String, String>, String> key) {
    Map<String, Double> sums = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.matches() && sample.group(1).equals(name)) {
        Map<String, String> labels = new HashMap<>();
        if (sample.group(3) != null) {
          Matcher pair = LABEL.matcher(sample.group(3));
          while (pair.find()) {
            labels.put(pair.group(1), pair.group(2));
          }
        }
        sums.merge(key.apply(labels), Double.parseDouble(sample.group(4)), Double::sum);
      }
    }
    return sums;
  }

  double total(String name) {
    return sumBy(name, labels -> "").values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
