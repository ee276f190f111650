package com.example.conductor.demo;

import java.util.Map;

/** Just enough JSON writing for the demo's small, flat documents (the demo has no dependencies). */
final class Json {

  private Json() {}

  /** Appends {@code value} as a JSON string literal, or {@code null}. */
  static StringBuilder string(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"');
  }

  /** Appends {@code "key":} ready for a value. */
  static StringBuilder key(StringBuilder out, String key) {
    return string(out, key).append(':');
  }

  /** Appends a flat object of counters, preserving the map's iteration order. */
  static StringBuilder counts(StringBuilder out, Map<String, Long> counts) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      key(out, entry.getKey()).append(entry.getValue().longValue());
    }
    return out.append('}');
  }

  /** Appends an object of counter objects, e.g. type -> status -> count. */
  static StringBuilder nestedCounts(StringBuilder out, Map<String, Map<String, Long>> counts) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Map<String, Long>> entry : counts.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      counts(key(out, entry.getKey()), entry.getValue());
    }
    return out.append('}');
  }
}
