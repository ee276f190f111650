package dev.conductor.exporter.tracing.otlp;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * An OTLP/HTTP traces receiver on a free loopback port. Decodes every request with the published
 * OTLP classes; answers each request with the next scripted response, 200 once the script is used
 * up.
 */
final class TestCollector implements AutoCloseable {
  /** One scripted answer: an HTTP status, optional body and {@code Retry-After}. */
  record Answer(int status, byte[] body, String retryAfter) {
    static Answer status(int status) {
      return new Answer(status, new byte[0], null);
    }
  }

  /** One request as received: its headers and the decoded body. */
  record Received(Headers headers, ExportTraceServiceRequest request, int status) {
    List<io.opentelemetry.proto.trace.v1.Span> spans() {
      List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
      for (ResourceSpans resource : request.getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          spans.addAll(scope.getSpansList());
        }
      }
      return spans;
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch hold = new CountDownLatch(0);

  private TestCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::handle);
    server.start();
  }

  static TestCollector start() throws IOException {
    return new TestCollector();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  TestCollector answer(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** Every request waits, unanswered, until {@link #release()}. */
  void hold() {
    hold = new CountDownLatch(1);
  }

  void release() {
    hold.countDown();
  }

  List<Received> requests() {
    return List.copyOf(received);
  }

  /** Spans of the requests that were answered 2xx, in arrival order. */
  List<io.opentelemetry.proto.trace.v1.Span> acceptedSpans() {
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (Received request : received) {
      if (request.status() / 100 == 2) {
        spans.addAll(request.spans());
      }
    }
    return spans;
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      hold.await();
      Answer answer = script.poll();
      if (answer == null) {
        answer = Answer.status(200);
      }
      received.add(
          new Received(
              exchange.getRequestHeaders(),
              ExportTraceServiceRequest.parseFrom(body),
              answer.status()));
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(
          answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
      exchange.getResponseBody().write(answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Polls {@code condition} until it holds, or fails after {@code timeout}. */
  static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(5);
    }
  }
}
