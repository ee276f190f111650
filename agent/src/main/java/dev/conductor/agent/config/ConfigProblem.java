package dev.conductor.agent.config;

/**
 * One thing wrong with the configuration.
 *
 * @param key the dotted key, e.g. {@code metrics.api_port} or {@code instrumentation.tasks[0].type}
 * @param source where the value came from: the file's line, a system property, an agent argument
 * @param message what was expected, in words for the user
 */
public record ConfigProblem(String key, String source, String message) {

  @Override
  public String toString() {
    return (source == null ? "" : source + ": ") + key + ": " + message;
  }
}
