package dev.conductor.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text after {@code -javaagent:conductor-agent.jar=}: comma-separated {@code key=value} pairs.
 * {@code config} names the YAML file; every other key is a dotted config key such as {@code
 * metrics.api_port=9090}.
 *
 * @param configFile the YAML file, or null for defaults only
 * @param overrides the other pairs, in order
 */
public record AgentArguments(String configFile, Map<String, String> overrides) {

  public AgentArguments {
    overrides = Map.copyOf(overrides);
  }

  public static AgentArguments parse(String text) {
    String configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    if (text != null) {
      for (String pair : text.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String key = (equals < 0 ? pair : pair.substring(0, equals)).trim();
        String value = equals < 0 ? "" : pair.substring(equals + 1).trim();
        if (key.equals("config")) {
          configFile = value;
        } else {
          overrides.put(key, value);
        }
      }
    }
    return new AgentArguments(configFile, overrides);
  }
}
