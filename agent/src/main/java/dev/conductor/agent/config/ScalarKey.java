package dev.conductor.agent.config;

import java.util.List;

/**
 * A scalar key of the configuration with its default and allowed range.
 *
 * @param min smallest allowed value for numbers, or null
 * @param max largest allowed value for numbers, or null
 */
record ScalarKey(String path, KeyType type, Object defaultValue, Double min, Double max) {

  static ScalarKey bool(String path, boolean value) {
    return new ScalarKey(path, KeyType.BOOLEAN, value, null, null);
  }

  static ScalarKey integer(String path, long value, long min, long max) {
    return new ScalarKey(path, KeyType.INTEGER, value, (double) min, (double) max);
  }

  static ScalarKey number(String path, double value, double min, double max) {
    return new ScalarKey(path, KeyType.NUMBER, value, min, max);
  }

  static ScalarKey string(String path, String value) {
    return new ScalarKey(path, KeyType.STRING, value, null, null);
  }

  static ScalarKey buckets(String path, List<Double> value) {
    return new ScalarKey(path, KeyType.NUMBER_LIST, List.copyOf(value), 0.0, null);
  }

  String section() {
    return path.substring(0, path.indexOf('.'));
  }

  String name() {
    return path.substring(path.indexOf('.') + 1);
  }

  /** Checks the range of an already parsed value; returns the problem or null. */
  String rangeProblem(Object value) {
    if (value instanceof Number number) {
      return outside(number.doubleValue());
    }
    if (value instanceof List<?> list) {
      double previous = Double.NEGATIVE_INFINITY;
      if (list.isEmpty()) {
        return "expected at least one bucket";
      }
      for (Object element : list) {
        double bound = ((Number) element).doubleValue();
        String outside = outside(bound);
        if (outside != null) {
          return outside;
        }
        if (bound <= previous) {
          return "buckets must be in increasing order, " + bound + " follows " + previous;
        }
        previous = bound;
      }
    }
    return null;
  }

  private String outside(double value) {
    if (min != null && value < min || max != null && value > max) {
      return "expected a value from "
          + format(min)
          + (max == null ? " up" : " to " + format(max))
          + ", got "
          + format(value);
    }
    return null;
  }

  private static String format(Double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString(value.longValue())
        : value.toString();
  }
}
