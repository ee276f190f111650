package dev.conductor.exporter.metrics;

/**
 * Turns application objects into label values that are safe to expose: never null or empty, never
 * longer than the configured cap. Escaping of quotes, backslashes and newlines is left to the
 * exposition writer. Exporter thread only.
 */
public final class LabelValues {
  public static final String UNKNOWN = "unknown";

  /**
   * The text of 0..127, made once: priorities and codes are usually small numbers, and the exporter
   * thread would otherwise build the same string for every event that carries one.
   */
  private static final String[] SMALL_NUMBERS = new String[128];

  static {
    for (int i = 0; i < SMALL_NUMBERS.length; i++) {
      SMALL_NUMBERS[i] = Integer.toString(i);
    }
  }

  private final int maxLength;

  public LabelValues(int maxLength) {
    this.maxLength = maxLength;
  }

  /** The whole text of a value, uncut: for matching (a task id), never for a label. */
  public String full(Object value) {
    return text(value);
  }

  public String of(Object value) {
    if (value == null) {
      return UNKNOWN;
    }
    String text = text(value);
    if (text.isEmpty()) {
      return UNKNOWN;
    }
    if (text.length() > maxLength) {
      int end = maxLength;
      // Do not cut a surrogate pair in half: that would expose an invalid character.
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      text = text.substring(0, end);
    }
    return text;
  }

  private static String text(Object value) {
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Integer number && number >= 0 && number < SMALL_NUMBERS.length) {
      return SMALL_NUMBERS[number];
    }
    return String.valueOf(value);
  }
}
