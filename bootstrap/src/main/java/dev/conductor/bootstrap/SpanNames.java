package dev.conductor.bootstrap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Names of the spans of {@link Event#SPAN} events, by the number woven into the method: the
 * configured operations first, then each annotated method as the weaver finds it. Bounded: past
 * {@link #MAX} names every new method shares one.
 */
public final class SpanNames {
  static final int MAX = 4096;
  private static final String OVERFLOW = "other";

  private static final Map<String, Integer> ids = new HashMap<>();
  private static volatile String[] names = new String[0];

  private SpanNames() {}

  /** The number of {@code name}, registered now if it is new. */
  public static synchronized int register(String name) {
    Integer known = ids.get(name);
    if (known != null) {
      return known;
    }
    if (names.length >= MAX) {
      return register(OVERFLOW);
    }
    int id = names.length;
    String[] grown = Arrays.copyOf(names, id + 1);
    grown[id] = name;
    ids.put(name, id);
    names = grown;
    return id;
  }

  /** The name registered as {@code id}, or null. */
  public static String name(int id) {
    String[] current = names;
    return id >= 0 && id < current.length ? current[id] : null;
  }
}
