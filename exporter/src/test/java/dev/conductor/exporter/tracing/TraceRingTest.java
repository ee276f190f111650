package dev.conductor.exporter.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceRingTest {

  @Test
  void findsEachKeptTraceByBothHalvesOfItsId() {
    TraceRing ring = new TraceRing(4);
    int first = ring.open(1, 2);
    int second = ring.open(2, 1);
    assertThat(ring.find(1, 2)).isEqualTo(first);
    assertThat(ring.find(2, 1)).isEqualTo(second);
    assertThat(ring.find(1, 1)).isEqualTo(-1);
    assertThat(ring.size()).isEqualTo(2);
    assertThat(ring.newest(1)).isEqualTo(second);
    assertThat(ring.newest(2)).isEqualTo(first);
  }

  @Test
  void aSlotTakenOverShowsOnlyItsNewTracesSpansInOrder() {
    TraceRing ring = new TraceRing(3);
    Random random = new Random(7);
    for (long trace = 1; trace <= 40; trace++) {
      int spanCount = 1 + random.nextInt(5); // one, two (kept in the slot) or more (in its list)
      int slot = ring.open(trace, trace);
      List<Long> appended = new ArrayList<>();
      for (long id = 1; id <= spanCount; id++) {
        ring.append(slot, span(trace, trace * 100 + id));
        appended.add(trace * 100 + id);
      }

      assertThat(ring.count(slot)).isEqualTo(spanCount);
      assertThat(ring.spans(slot)).extracting(Span::spanId).containsExactlyElementsOf(appended);
    }
  }

  private static Span span(long trace, long spanId) {
    return new Span(
        trace, trace, spanId, 0, "s", SpanKind.INTERNAL, 0, 1, false, null, null, Map.of(), "t");
  }

  @Test
  void agreesWithAMapWhileNewTracesEvictTheOldest() {
    int capacity = 64;
    TraceRing ring = new TraceRing(capacity);
    Map<String, Integer> expected = new HashMap<>();
    ArrayDeque<String> order = new ArrayDeque<>();
    Random random = new Random(42);
    for (int step = 0; step < 100_000; step++) {
      // small ids: many share a bucket, so chains and unlinking from their middle are exercised
      long high = random.nextInt(4);
      long low = random.nextInt(1 << 10);
      String id = high + ":" + low;
      if (expected.containsKey(id)) {
        assertThat(ring.find(high, low)).isEqualTo(expected.get(id));
        continue;
      }
      if (order.size() == capacity) {
        expected.remove(order.pollFirst());
      }
      expected.put(id, ring.open(high, low));
      order.addLast(id);
      if (step % 500 == 0) {
        for (Map.Entry<String, Integer> entry : expected.entrySet()) {
          String[] parts = entry.getKey().split(":");
          assertThat(ring.find(Long.parseLong(parts[0]), Long.parseLong(parts[1])))
              .isEqualTo(entry.getValue());
        }
        assertThat(ring.find(9, 9)).isEqualTo(-1);
      }
    }
    assertThat(ring.size()).isEqualTo(capacity);
  }
}
