package dev.conductor.exporter.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityTableTest {
  private final IdentityTable<String> table = new IdentityTable<>();

  @Test
  void keysAreComparedByIdentityNotEquality() {
    String key = new String("task");
    String equalKey = new String("task");
    table.put(key, 7, "kept");

    assertThat(table.get(key, 7)).isEqualTo("kept");
    assertThat(table.get(equalKey, 7)).isNull();
    assertThat(table.put(key, 7, "again")).isEqualTo("kept");
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void removingFromARunOfEqualHashesKeepsTheRestFindable() {
    Object[] keys = {new Object(), new Object(), new Object(), new Object()};
    for (int i = 0; i < keys.length; i++) {
      table.put(keys[i], 42, "v" + i); // all share one home slot
    }
    assertThat(table.remove(keys[1], 42)).isEqualTo("v1");

    assertThat(table.get(keys[0], 42)).isEqualTo("v0");
    assertThat(table.get(keys[2], 42)).isEqualTo("v2");
    assertThat(table.get(keys[3], 42)).isEqualTo("v3");
    assertThat(table.get(keys[1], 42)).isNull();
    assertThat(table.size()).isEqualTo(3);
  }

  @Test
  void removeOfAValueOnlyTakesTheEntryThatHoldsIt() {
    Object key = new Object();
    table.put(key, 1, "newer");

    assertThat(table.remove(key, 1, "older")).isFalse();
    assertThat(table.get(key, 1)).isEqualTo("newer");
    assertThat(table.remove(key, 1, "newer")).isTrue();
    assertThat(table.size()).isZero();
  }

  /**
   * Few distinct hashes, so runs wrap around the table's end and overlap; checked against a map.
   */
  @Test
  void randomPutsAndRemovesAgreeWithAnIdentityHashMap() {
    IdentityTable<Integer> checked = new IdentityTable<>();
    Map<Object, Integer> expected = new IdentityHashMap<>();
    List<Object> keys = new ArrayList<>();
    Map<Object, Integer> hashes = new IdentityHashMap<>();
    Random random = new Random(13);
    for (int i = 0; i < 300; i++) {
      Object key = new Object();
      keys.add(key);
      hashes.put(key, random.nextInt(8) * 0x10001 - 3);
    }
    for (int step = 0; step < 100_000; step++) {
      Object key = keys.get(random.nextInt(keys.size()));
      int hash = hashes.get(key);
      if (random.nextBoolean()) {
        assertThat(checked.put(key, hash, step)).isEqualTo(expected.put(key, step));
      } else {
        assertThat(checked.remove(key, hash)).isEqualTo(expected.remove(key));
      }
      assertThat(checked.size()).isEqualTo(expected.size());
    }
    for (Object key : keys) {
      assertThat(checked.get(key, hashes.get(key))).isEqualTo(expected.get(key));
    }
  }
}
