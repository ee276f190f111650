package dev.conductor.agent.config;

import java.util.List;
import java.util.Map;

/**
 * A validated configuration: every scalar key with its final value, and the instrumentation points.
 * Typed accessors for what the agent reads; {@link #value} for the rest.
 */
public final class AgentConfig {
  private final String file;
  private final Map<String, Object> values;
  private final InstrumentationConfig instrumentation;

  AgentConfig(String file, Map<String, Object> values, InstrumentationConfig instrumentation) {
    this.file = file;
    this.values = Map.copyOf(values);
    this.instrumentation = instrumentation;
  }

  /** The file the config came from, or null when only defaults and overrides were used. */
  public String file() {
    return file;
  }

  public Object value(String path) {
    if (!values.containsKey(path)) {
      throw new IllegalArgumentException("no config key " + path);
    }
    return values.get(path);
  }

  public boolean flag(String path) {
    return (Boolean) value(path);
  }

  public int integer(String path) {
    return Math.toIntExact((Long) value(path));
  }

  public String text(String path) {
    return (String) value(path);
  }

  public double number(String path) {
    return ((Number) value(path)).doubleValue();
  }

  public double[] buckets(String path) {
    @SuppressWarnings("unchecked")
    List<Double> list = (List<Double>) value(path);
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  public InstrumentationConfig instrumentation() {
    return instrumentation;
  }
}
