package dev.conductor.instrumentation;

import java.util.Objects;

/**
 * One configured operation method: each call of {@code method} on {@code type} (or a subtype) is a
 * span named {@code name}.
 */
public record OperationPoint(String name, String type, String method) {

  public OperationPoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(method, "method");
  }
}
