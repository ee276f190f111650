package dev.conductor.exporter.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanAttributesTest {
  @Test
  void behavesAsAReadOnlyMapInTheOrderTheAttributesWereAdded() {
    SpanAttributes attributes =
        new SpanAttributes(4).add("task_type", "analysis").add("priority", 3L).add("status", "ok");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("task_type", "analysis");
    expected.put("priority", 3L);
    expected.put("status", "ok");

    assertThat(attributes).isEqualTo(expected).hasSameHashCodeAs(expected);
    assertThat(attributes.keySet()).containsExactly("task_type", "priority", "status");
    assertThat(attributes.get(new String("priority"))).isEqualTo(3L);
    assertThat(attributes.containsKey("agent_id")).isFalse();
    assertThat(attributes.get("agent_id")).isNull();
    assertThatThrownBy(() -> attributes.put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> attributes.entrySet().iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void holdsNoMoreThanItsCapacity() {
    SpanAttributes attributes = new SpanAttributes(2).add("a", 1L).add("b", 2L);
    assertThat(attributes.entrySet()).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L));
    assertThatThrownBy(() -> attributes.add("c", 3L)).isInstanceOf(IllegalStateException.class);
  }
}
