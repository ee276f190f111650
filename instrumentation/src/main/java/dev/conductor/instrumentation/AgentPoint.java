package dev.conductor.instrumentation;

import dev.conductor.instrumentation.expression.LabelExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One configured agent type: its lifecycle methods and how to read its id.
 *
 * @param start method that starts an agent, or null
 * @param stop method that stops an agent, or null
 * @param healthCheck method whose false return or throwable is a failed check, or null
 */
public record AgentPoint(
    String name,
    String type,
    LabelExpression agentId,
    String start,
    String stop,
    String healthCheck) {

  public AgentPoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** The lifecycle methods that are configured. */
  public List<String> methods() {
    List<String> methods = new ArrayList<>();
    for (String method : new String[] {start, stop, healthCheck}) {
      if (method != null) {
        methods.add(method);
      }
    }
    return methods;
  }
}
