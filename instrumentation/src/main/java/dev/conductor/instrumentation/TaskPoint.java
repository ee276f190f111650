package dev.conductor.instrumentation;

import java.util.List;
import java.util.Objects;

/**
 * One configured task point: every call of {@code methods} on {@code type} (the class itself, a
 * subclass or an implementation) is one task execution.
 *
 * @param name how the point is called in messages and as the fallback error component
 * @param type fully qualified name of a class, interface or superclass
 * @param methods method names to hook
 * @param labels the label expressions
 */
public record TaskPoint(String name, String type, List<String> methods, PointLabels labels) {

  public TaskPoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    methods = List.copyOf(methods);
    Objects.requireNonNull(labels, "labels");
  }
}
