package dev.conductor.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpClientHeadersTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private final HttpClientHeaders headers = new HttpClientHeaders();

  private static HttpHeaders of(Map<String, List<String>> map) {
    return HttpHeaders.of(map, (name, value) -> true);
  }

  @Test
  void theTraceparentIsAddedToTheRequestsOwnHeaders() {
    HttpHeaders original = of(Map.of("Accept", List.of("text/plain")));
    HttpHeaders sent = (HttpHeaders) headers.apply(original, TRACEPARENT);
    assertThat(sent.map())
        .isEqualTo(Map.of("Accept", List.of("text/plain"), "traceparent", List.of(TRACEPARENT)));
  }

  @Test
  void aTraceparentAlreadyThereIsKeptInWhateverCase() {
    HttpHeaders original = of(Map.of("TraceParent", List.of("00-own")));
    assertThat(headers.apply(original, TRACEPARENT)).isSameAs(original);
  }

  @Test
  void anythingElseIsReturnedAsItIs() {
    assertThat(headers.apply("not headers", TRACEPARENT)).isEqualTo("not headers");
  }
}
