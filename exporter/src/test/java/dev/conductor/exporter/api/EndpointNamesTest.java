package dev.conductor.exporter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointNamesTest {

  @Test
  void idsNumbersAndQueriesAreFolded() {
    assertThat(EndpointNames.of("/tasks/task-93?verbose=1")).isEqualTo("/tasks/{id}");
    assertThat(EndpointNames.of("/users/42/orders/7f3c9a1e-0b2d-4c55-9e1a-5a3f0e6b9d21"))
        .isEqualTo("/users/{id}/orders/{id}");
    assertThat(EndpointNames.of("/status")).isEqualTo("/status");
    assertThat(EndpointNames.of("/")).isEqualTo("/");
    assertThat(EndpointNames.of(null)).isEqualTo("unknown");
  }

  @Test
  void tenThousandDistinctUrlsMakeOneEndpoint() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      names.add(EndpointNames.of("/api/v1/items/" + i + "?page=" + i));
    }
    assertThat(names).containsExactly("/api/v1/items/{id}");
  }

  @Test
  void deepOrLongPathsStayShort() {
    assertThat(EndpointNames.of("/a/b/c/d/e/f/g/h/i/j/k")).isEqualTo("/a/b/c/d/e/f/g/h/...");
    assertThat(EndpointNames.of("/x/" + "y".repeat(100))).isEqualTo("/x/{id}");
  }
}
