package dev.conductor.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceparentReaderTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void readsTheHeaderOfTheJdkServersExchangeWhoseClassIsNotExported() throws Exception {
    TraceparentReader reader = new TraceparentReader();
    List<String> read = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          read.add(reader.apply(exchange));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      client.send(
          HttpRequest.newBuilder(uri).header("TraceParent", TRACEPARENT).build(),
          HttpResponse.BodyHandlers.discarding());
      client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
    } finally {
      server.stop(0);
    }
    assertThat(read).containsExactly(TRACEPARENT, null);
  }

  @Test
  void anObjectOfNoKnownServerHasNoHeader() {
    assertThat(new TraceparentReader().apply("not a request")).isNull();
  }
}
