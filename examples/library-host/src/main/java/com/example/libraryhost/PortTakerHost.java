package com.example.libraryhost;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A host whose own HTTP server starts late, on a port something already listens on at 127.0.0.1
 * (with the agent attached: the agent's API): it waits until that port answers, then binds the
 * wildcard address on it, as a web framework on 8080 does. Prints {@code host listens on PORT},
 * answers {@code from the host} to every request, and runs until killed.
 *
 * <p>Usage: {@code PortTakerHost PORT}
 */
public final class PortTakerHost {
  private PortTakerHost() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    awaitListening(port);
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "from the host".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    System.out.println("host listens on " + port);
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void awaitListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        new Socket("127.0.0.1", port).close();
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nothing listened on " + port);
  }
}
