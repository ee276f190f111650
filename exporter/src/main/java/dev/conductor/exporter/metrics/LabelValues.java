package dev.conductor.exporter.metrics;

/**
 * Turns application objects into label values that are safe to expose: never null or empty, never
 * longer than the configured cap. Escaping of quotes, backslashes and newlines is left to the
 * exposition writer. Exporter thread only.
 */
public final class LabelValues {
  public static final String UNKNOWN = "unknown";

  private final int maxLength;

  public LabelValues(int maxLength) {
    this.maxLength = maxLength;
  }

  /** The whole text of a value, uncut: for matching (a task id), never for a label. */
  public String full(Object value) {
    return value instanceof Enum<?> e ? e.name() : String.valueOf(value);
  }

  public String of(Object value) {
    if (value == null) {
      return UNKNOWN;
    }
    String text = value instanceof Enum<?> e ? e.name() : String.valueOf(value);
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
}
