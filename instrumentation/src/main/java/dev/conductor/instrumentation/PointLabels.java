package dev.conductor.instrumentation;

import dev.conductor.instrumentation.expression.LabelExpression;

/**
 * The label expressions of one point; null where the config gives none.
 *
 * @param task the task object, matched by identity from enqueue to start
 */
public record PointLabels(
    LabelExpression task,
    LabelExpression taskType,
    LabelExpression taskId,
    LabelExpression agentId,
    LabelExpression priority,
    LabelExpression status) {

  public static final PointLabels NONE = new PointLabels(null, null, null, null, null, null);
}
