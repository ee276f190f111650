package dev.conductor.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The type of a scalar config key, and how its text (from YAML or an override) is read. */
enum KeyType {
  BOOLEAN("true or false"),
  INTEGER("a whole number"),
  NUMBER("a number"),
  STRING("a string"),
  NUMBER_LIST("a list of numbers in increasing order, like [0.1, 1, 10]");

  private final String expected;

  KeyType(String expected) {
    this.expected = expected;
  }

  String expected() {
    return expected;
  }

  /** Parses {@code text}; throws IllegalArgumentException naming what was expected. */
  Object parse(String text) {
    String value = text.trim();
    switch (this) {
      case BOOLEAN:
        switch (value.toLowerCase(Locale.ROOT)) {
          case "true":
          case "yes":
          case "on":
            return Boolean.TRUE;
          case "false":
          case "no":
          case "off":
            return Boolean.FALSE;
          default:
            throw wrong(text);
        }
      case INTEGER:
        try {
          return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
          throw wrong(text);
        }
      case NUMBER:
        return number(value, text);
      case STRING:
        return text;
      case NUMBER_LIST:
        String inner =
            value.startsWith("[") && value.endsWith("]")
                ? value.substring(1, value.length() - 1)
                : value;
        List<Double> numbers = new ArrayList<>();
        for (String part : inner.split(",")) {
          if (!part.isBlank()) {
            numbers.add(number(part.trim(), text));
          }
        }
        return numbers;
      default:
        throw new AssertionError(this);
    }
  }

  private Double number(String value, String original) {
    try {
      double number = Double.parseDouble(value.replace("_", ""));
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        throw wrong(original);
      }
      return number;
    } catch (NumberFormatException e) {
      throw wrong(original);
    }
  }

  private IllegalArgumentException wrong(String text) {
    return new IllegalArgumentException("expected " + expected + ", got '" + text + "'");
  }
}
