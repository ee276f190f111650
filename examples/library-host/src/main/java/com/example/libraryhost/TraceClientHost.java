package com.example.libraryhost;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A client that knows nothing of tracing: each call is one unit of work that calls {@link
 * TraceServerHost} over HTTP, with {@code java.net.HttpURLConnection} or {@code
 * java.net.http.HttpClient}, some with a {@code traceparent} of the application's own. Prints one
 * line per call with what the server says it received, then {@code done}, then lingers.
 *
 * <p>Usage: {@code TraceClientHost SERVER_PORT LINGER_SECONDS}
 */
public final class TraceClientHost {
  /** A traceparent the application sets itself on the calls named {@code own-*}. */
  public static final String OWN_URL_CONNECTION =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  public static final String OWN_HTTP_CLIENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private TraceClientHost() {}

  /** One unit of work; a task point in the tests' config. */
  public static final class Calls {
    private final String base;
    private final HttpClient client = HttpClient.newHttpClient();

    Calls(int port) {
      this.base = "http://127.0.0.1:" + port + "/work/";
    }

    public String call(String kind) throws IOException, InterruptedException {
      return switch (kind) {
        case "url-connection", "untraced" -> withUrlConnection(kind, null);
        case "own-url-connection" -> withUrlConnection(kind, OWN_URL_CONNECTION);
        case "http-client" -> withHttpClient(kind, null);
        case "own-http-client" -> withHttpClient(kind, OWN_HTTP_CLIENT);
        default -> throw new IllegalArgumentException(kind);
      };
    }

    private String withUrlConnection(String kind, String traceparent) throws IOException {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(base + kind).toURL().openConnection();
      if (traceparent != null) {
        connection.setRequestProperty("traceparent", traceparent);
      }
      try (InputStream in = connection.getInputStream()) {
        return connection.getResponseCode()
            + " "
            + new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        connection.disconnect();
      }
    }

    private String withHttpClient(String kind, String traceparent)
        throws IOException, InterruptedException {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + kind));
      if (traceparent != null) {
        request.header("traceparent", traceparent);
      }
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    }
  }

  public static void main(String[] args) throws Exception {
    Calls calls = new Calls(Integer.parseInt(args[0]));
    long lingerSeconds = Long.parseLong(args[1]);
    for (String kind :
        new String[] {"url-connection", "http-client", "own-url-connection", "own-http-client"}) {
      print(kind, calls.call(kind));
    }
    // Outside any unit of work: no trace to carry.
    print("untraced", calls.withUrlConnection("untraced", null));
    System.out.println("done");
    Thread.sleep(lingerSeconds * 1000);
  }

  /** {"kind":..,"status":..,"received":..}: what the server answered. */
  private static void print(String kind, String answer) {
    int space = answer.indexOf(' ');
    System.out.println(
        "{\"kind\":\""
            + kind
            + "\",\"status\":"
            + answer.substring(0, space)
            + ",\"received\":\""
            + answer.substring(space + 1)
            + "\"}");
  }
}
