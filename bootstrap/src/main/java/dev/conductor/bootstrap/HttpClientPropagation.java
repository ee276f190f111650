package dev.conductor.bootstrap;

import java.util.function.BiFunction;

/**
 * Puts the current trace context on the host's outgoing HTTP requests, as a W3C {@code traceparent}
 * header: the span open on the calling thread becomes the parent of the span the server opens for
 * the request. Outside any trace nothing is added, and a {@code traceparent} the application set
 * itself is never replaced.
 *
 * <p>Called from host threads, on HTTP client paths only: the header text is allocated there, never
 * on task, queue or pool paths.
 */
public final class HttpClientPropagation {
  static final String HEADER = "traceparent";

  /**
   * Given the headers of a {@code java.net.http.HttpRequest} and a {@code traceparent}, returns
   * headers that carry it; installed by the agent, since this loader cannot see {@code
   * java.net.http}.
   */
  private static volatile BiFunction<Object, String, Object> headersWithTraceparent;

  private HttpClientPropagation() {}

  public static void install(BiFunction<Object, String, Object> withTraceparent) {
    headersWithTraceparent = withTraceparent;
  }

  /**
   * A {@code java.net.HttpURLConnection} is about to connect or to send its request: adds the
   * header while the connection still takes request properties. One that is already connecting
   * refuses it ({@link IllegalStateException}), and then goes without.
   */
  static void beforeConnect(Object connection) {
    if (!Tracing.enabled() || !(connection instanceof java.net.URLConnection urlConnection)) {
      return;
    }
    try {
      // Nested calls (getInputStream calls connect) find the header already there.
      if (urlConnection.getRequestProperty(HEADER) != null) {
        return;
      }
      String traceparent = Tracing.currentTraceparent();
      if (traceparent != null) {
        urlConnection.setRequestProperty(HEADER, traceparent);
      }
    } catch (IllegalStateException alreadyConnected) {
      // too late for this request
    }
  }

  /**
   * {@code java.net.http.HttpClient} copies the request it is given, on the calling thread, before
   * sending it from its own threads: while it does, {@link #requestHeaders} adds the header.
   */
  static void sendEnter() {
    CallDepth.current().httpSends++;
  }

  static void sendExit() {
    CallDepth depth = CallDepth.current();
    if (depth.httpSends > 0) {
      depth.httpSends--;
    }
  }

  /**
   * {@code headers()} of a {@code java.net.http.HttpRequest} returned {@code headers}: what it
   * returns instead. Unchanged except while the client copies the request to send it, so that the
   * application's own calls see its headers as they are.
   */
  static Object requestHeaders(Object headers) {
    BiFunction<Object, String, Object> withTraceparent = headersWithTraceparent;
    if (headers == null
        || withTraceparent == null
        || !Tracing.enabled()
        || CallDepth.current().httpSends == 0) {
      return headers;
    }
    String traceparent = Tracing.currentTraceparent();
    if (traceparent == null) {
      return headers;
    }
    Object replaced = withTraceparent.apply(headers, traceparent);
    return replaced != null ? replaced : headers;
  }
}
