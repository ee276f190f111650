package dev.conductor.instrumentation;

import java.util.List;
import java.util.Objects;

/**
 * One configured enqueue point: a call of {@code methods} on {@code type} puts a task in a queue.
 * Queue time runs from the start of this call to the start of the same task's execution.
 *
 * @param labels {@code task} (default {@code arg0}), and optionally task_id, task_type, priority
 */
public record EnqueuePoint(String name, String type, List<String> methods, PointLabels labels) {

  public EnqueuePoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    methods = List.copyOf(methods);
    Objects.requireNonNull(labels, "labels");
  }
}
