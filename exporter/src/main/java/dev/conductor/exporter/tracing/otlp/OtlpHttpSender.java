package dev.conductor.exporter.tracing.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Map;
import java.util.Set;

/**
 * Sends one encoded request as OTLP/HTTP protobuf and classifies the answer.
 *
 * <p>{@link HttpURLConnection}, not {@code java.net.http.HttpClient}: it runs entirely on the
 * calling thread, where the client would add a selector thread and a thread pool, and the agent
 * weaves {@code ThreadPoolExecutor}, so its own pool would show up in the host's executor metrics.
 * Keep-alive connections are reused by the JDK when a response is read to its end. The body is sent
 * in fixed-length streaming mode, which also stops the JDK from silently repeating a POST whose
 * connection broke.
 *
 * <p>{@code conductor-otlp} thread only.
 */
final class OtlpHttpSender {
  /** OTLP/HTTP: the codes a client retries. Any other non-2xx code is final. */
  private static final Set<Integer> RETRYABLE_CODES = Set.of(429, 502, 503, 504);

  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /**
   * Answers every challenge with no credentials, so that a 401 from the collector never reaches an
   * {@code Authenticator} the host installed for its own connections. Credentials go in {@code
   * tracing.otlp.headers}.
   */
  private static final Authenticator NO_CREDENTIALS = new Authenticator() {};

  private final URL url;
  private final Map<String, String> headers;
  private final String userAgent;

  OtlpHttpSender(URL url, Map<String, String> headers, String userAgent) {
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.userAgent = userAgent;
  }

  ExportOutcome send(byte[] body, int length, int timeoutMillis) {
    HttpURLConnection connection;
    try {
      connection = (HttpURLConnection) url.openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(false);
      connection.setAuthenticator(NO_CREDENTIALS);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setFixedLengthStreamingMode(length);
      headers.forEach(connection::setRequestProperty);
      connection.setRequestProperty("Content-Type", "application/x-protobuf");
      connection.setRequestProperty("User-Agent", userAgent);
      connection.connect();
    } catch (IOException | RuntimeException e) {
      // Nothing was sent: connection refused, unknown host, connect timeout.
      return ExportOutcome.retryable(describe(e), 0);
    }
    try {
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body, 0, length);
      }
      int code = connection.getResponseCode();
      if (code >= 200 && code < 300) {
        return ExportOutcome.accepted(ExportResponses.rejectedSpans(read(connection, true)));
      }
      read(connection, false); // to its end, so that the connection can be reused
      String problem = "HTTP " + code + describeMessage(connection.getResponseMessage());
      if (RETRYABLE_CODES.contains(code)) {
        return ExportOutcome.retryable(problem, retryAfterNanos(connection));
      }
      return ExportOutcome.failed(problem);
    } catch (IOException | RuntimeException e) {
      connection.disconnect();
      return ExportOutcome.failed(describe(e));
    }
  }

  private static byte[] read(HttpURLConnection connection, boolean ok) throws IOException {
    try (InputStream in = ok ? connection.getInputStream() : connection.getErrorStream()) {
      if (in == null) {
        return new byte[0];
      }
      byte[] kept = in.readNBytes(MAX_RESPONSE_BYTES);
      in.transferTo(OutputStream.nullOutputStream());
      return kept;
    }
  }

  /** {@code Retry-After} in seconds; the HTTP-date form is ignored (then the backoff applies). */
  private static long retryAfterNanos(HttpURLConnection connection) {
    String value = connection.getHeaderField("Retry-After");
    if (value == null) {
      return 0;
    }
    try {
      long seconds = Long.parseLong(value.strip());
      return Math.max(0, Math.min(seconds, 3600)) * 1_000_000_000L;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String describeMessage(String message) {
    return message == null || message.isBlank() ? "" : " " + message;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
