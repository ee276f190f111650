package dev.conductor.exporter.tracing;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A span's attributes: a few pairs in the order they were added, in one array, read-only once
 * built.
 *
 * <p>Why not a {@code LinkedHashMap}: the exporter thread builds one for every span, up to a few
 * hundred thousand a second, and reads it rarely (the traces API, the OTLP export). A linked map
 * costs an entry object and a hash per attribute; here a span's five or six attributes are one
 * array, and a lookup is a scan of it.
 */
final class SpanAttributes extends AbstractMap<String, Object> {
  private final Object[] pairs;
  private int size;

  /**
   * @param capacity the attributes the span will have at most
   */
  SpanAttributes(int capacity) {
    this.pairs = new Object[capacity * 2];
  }

  /**
   * Adds an attribute whose key is not there yet (the assembler's keys are its own constants, each
   * added once: no check, which cost a scan per attribute). While building only.
   */
  SpanAttributes add(String key, Object value) {
    if (size * 2 == pairs.length) {
      throw new IllegalStateException("more attributes than the capacity " + pairs.length / 2);
    }
    pairs[size * 2] = key;
    pairs[size * 2 + 1] = value;
    size++;
    return this;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int index = indexOf(key);
    return index < 0 ? null : pairs[index + 1];
  }

  private int indexOf(Object key) {
    for (int i = 0; i < size * 2; i += 2) {
      if (pairs[i] == key || pairs[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int index = next++ * 2;
            return Map.entry((String) pairs[index], pairs[index + 1]);
          }
        };
      }
    };
  }
}
