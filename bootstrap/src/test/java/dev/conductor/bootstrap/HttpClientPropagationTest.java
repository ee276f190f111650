package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes out with a request the host sends, inside a trace and outside one. */
class HttpClientPropagationTest {
  private static final String OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @BeforeEach
  void install() {
    ThreadEventsTest.installTaskPoint(new EventBuffer(64), LabelCapture.NONE, false);
    Tracing.install(64, new int[] {0}, new int[0]);
    // Stands for java.net.http: "headers" are a map here.
    HttpClientPropagation.install(
        (headers, traceparent) -> Map.of("was", headers, "traceparent", traceparent));
  }

  /** A connection that only keeps request properties, and refuses them once connecting. */
  private static final class Connection extends HttpURLConnection {
    Connection() throws Exception {
      super(URI.create("http://127.0.0.1:9/").toURL());
    }

    @Override
    public void connect() {
      connected = true;
    }

    @Override
    public void disconnect() {}

    @Override
    public boolean usingProxy() {
      return false;
    }
  }

  /** Runs {@code body} inside a task span and returns the traceparent it should send. */
  private static String insideATask(Runnable body) {
    Object start = TaskRecorder.enter(0, null, "call", null, null, null);
    String expected = Tracing.currentTraceparent();
    try {
      body.run();
    } finally {
      TaskRecorder.exit(0, start, null, "call", null, null, null, null, null);
    }
    return expected;
  }

  @Test
  void aConnectionInsideATraceCarriesTheCurrentSpanAsParent() throws Exception {
    Connection connection = new Connection();
    String expected = insideATask(() -> HttpClientPropagation.beforeConnect(connection));
    assertThat(expected).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(connection.getRequestProperty("traceparent")).isEqualTo(expected);
  }

  @Test
  void aTraceparentTheApplicationSetIsKept() throws Exception {
    Connection connection = new Connection();
    connection.setRequestProperty("traceparent", OWN);
    insideATask(() -> HttpClientPropagation.beforeConnect(connection));
    assertThat(connection.getRequestProperty("traceparent")).isEqualTo(OWN);
  }

  @Test
  void outsideATraceNothingIsAdded() throws Exception {
    Connection connection = new Connection();
    HttpClientPropagation.beforeConnect(connection);
    assertThat(connection.getRequestProperty("traceparent")).isNull();
  }

  @Test
  void aConnectionAlreadyConnectedGoesWithoutAndNothingIsThrown() throws Exception {
    Connection connection = new Connection();
    connection.connect();
    // the base class refuses even to read request properties once connected
    insideATask(
        () ->
            assertThatCode(() -> HttpClientPropagation.beforeConnect(connection))
                .doesNotThrowAnyException());
  }

  @Test
  void requestHeadersChangeOnlyWhileTheClientCopiesTheRequestInsideATrace() {
    Object headers = Map.of("accept", "text/plain");
    String[] expected = new String[1];
    Object[] seen = new Object[3];
    expected[0] =
        insideATask(
            () -> {
              seen[0] = Woven.httpRequestHeaders(headers); // the application's own call
              Woven.httpSendEnter();
              seen[1] = Woven.httpRequestHeaders(headers);
              Woven.httpSendExit();
            });
    Woven.httpSendEnter();
    seen[2] = Woven.httpRequestHeaders(headers); // a send outside any trace
    Woven.httpSendExit();

    assertThat(seen[0]).isSameAs(headers);
    assertThat(seen[1]).isEqualTo(Map.of("was", headers, "traceparent", expected[0]));
    assertThat(seen[2]).isSameAs(headers);
  }
}
