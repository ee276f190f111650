package dev.conductor.exporter.metrics;

import java.util.Arrays;

/**
 * The label values of one series, as a hash map key.
 *
 * <p>{@link SeriesLimiter} looks a series up through one reused instance filled in place (its
 * probe), so that a lookup builds no varargs array, no list and no iterator; only a new series gets
 * a key of its own, by {@link #copy}. Not thread-safe.
 */
final class LabelKey {
  private final String[] values;
  private int hash;

  LabelKey(int size) {
    this.values = new String[size];
  }

  private LabelKey(String[] values) {
    this.values = values;
    this.hash = Arrays.hashCode(values);
  }

  LabelKey set(String v0) {
    expect(1);
    values[0] = v0;
    return rehash();
  }

  LabelKey set(String v0, String v1) {
    expect(2);
    values[0] = v0;
    values[1] = v1;
    return rehash();
  }

  LabelKey set(String v0, String v1, String v2) {
    expect(3);
    values[0] = v0;
    values[1] = v1;
    values[2] = v2;
    return rehash();
  }

  /** Replaces, in place, every value whose flag in {@code keep} is false by {@code replacement}. */
  LabelKey fold(boolean[] keep, String replacement) {
    for (int i = 0; i < values.length; i++) {
      if (!keep[i]) {
        values[i] = replacement;
      }
    }
    return rehash();
  }

  /** An independent key with the same values, to store in a map. */
  LabelKey copy() {
    return new LabelKey(values.clone());
  }

  /** A copy of the values, for the metric's {@code labelValues(String...)}. */
  String[] values() {
    return values.clone();
  }

  private void expect(int size) {
    if (values.length != size) {
      throw new IllegalArgumentException(
          "expected " + values.length + " label values, got " + size);
    }
  }

  private LabelKey rehash() {
    hash = Arrays.hashCode(values); // cheap: each String caches its own hash
    return this;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabelKey key && hash == key.hash && Arrays.equals(values, key.values);
  }
}
