package dev.conductor.exporter.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashMap;
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
