package com.example.libraryhost;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A service on the JDK's HTTP server that knows nothing of tracing: {@code GET /work/KIND} runs one
 * unit of work of that kind and answers with the {@code traceparent} header it was sent ({@code
 * none} without one), so that a test can see what came over the wire.
 *
 * <p>Usage: {@code TraceServerHost PORT}; prints {@code ready} once it serves.
 */
public final class TraceServerHost {
  private TraceServerHost() {}

  /** The work a request does; a task point in the tests' config. */
  public static final class Work {
    public String handle(String kind) throws InterruptedException {
      Thread.sleep(5);
      return "done " + kind;
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    Work work = new Work();
    server.createContext("/work/", exchange -> serve(exchange, work));
    server.start();
    System.out.println("ready");
  }

  private static void serve(HttpExchange exchange, Work work) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String kind = path.substring(path.lastIndexOf('/') + 1);
    try {
      work.handle(kind);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String received = exchange.getRequestHeaders().getFirst("traceparent");
    byte[] body = (received == null ? "none" : received).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
