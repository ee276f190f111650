package dev.conductor.instrumentation;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.util.function.Consumer;

/**
 * Evaluates one point's label expressions on the host thread.
 *
 * <p>Each expression is evaluated on its own, so one that fails leaves the others in place; the
 * last failure is rethrown after all were tried so that the recorder counts it.
 */
final class PointCapture implements LabelCapture {
  /**
   * Captures before the compiled form is asked for: by then each step has seen the class it will be
   * specialized for.
   */
  static final int CALLS_BEFORE_COMPILING = 64;

  private final PointLabels labels;
  private final Consumer<LabelCapture> replaceWith;
  private int calls; // racy on purpose: a late or second compile request is harmless

  PointCapture(PointLabels labels) {
    this.labels = labels;
    this.replaceWith = null;
  }

  private PointCapture(PointLabels labels, boolean compile) {
    this.labels = labels;
    // Not a lambda: this runs in premain, where a first lambda shape costs the host's startup.
    this.replaceWith =
        compile
            ? new Consumer<LabelCapture>() {
              @Override
              public void accept(LabelCapture compiled) {
                Recorders.replace(PointCapture.this, compiled);
              }
            }
            : null;
  }

  /**
   * A capture for a point on the hot path (tasks, enqueues): once it has run a few times, its
   * compiled form (see {@link CaptureCompiler}) replaces it wherever the recorders use it.
   */
  static PointCapture compiling(PointLabels labels) {
    return new PointCapture(labels, true);
  }

  @Override
  public void capture(
      Event event,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned) {
    Throwable failure = null;
    try {
      // The task object is kept as it is: it is matched by identity, never turned into text.
      LabelExpression task = labels.task();
      event.task = task == null ? null : task.evaluate(self, arg0, arg1, arg2, arg3, returned);
    } catch (Throwable e) {
      failure = e;
    }
    try {
      event.taskType = read(labels.taskType(), self, arg0, arg1, arg2, arg3, returned);
    } catch (Throwable e) {
      failure = e;
    }
    try {
      event.taskId = read(labels.taskId(), self, arg0, arg1, arg2, arg3, returned);
    } catch (Throwable e) {
      failure = e;
    }
    try {
      event.agentId = read(labels.agentId(), self, arg0, arg1, arg2, arg3, returned);
    } catch (Throwable e) {
      failure = e;
    }
    try {
      event.priority = read(labels.priority(), self, arg0, arg1, arg2, arg3, returned);
    } catch (Throwable e) {
      failure = e;
    }
    try {
      event.status = read(labels.status(), self, arg0, arg1, arg2, arg3, returned);
    } catch (Throwable e) {
      failure = e;
    }
    if (replaceWith != null && calls++ == CALLS_BEFORE_COMPILING) {
      CaptureCompiler.request(labels, replaceWith);
    }
    if (failure != null) {
      throw new LabelReadException(failure);
    }
  }

  private static Object read(
      LabelExpression expression,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned)
      throws Throwable {
    return expression == null
        ? null
        : immutableValue(expression.evaluate(self, arg0, arg1, arg2, arg3, returned));
  }

  /**
   * Strings, boxed primitives and enums are kept as they are, to be turned into label text on the
   * exporter thread. Anything else is converted here, on the thread that owns it, because its
   * {@code toString()} may not be safe to call later from another thread.
   */
  static Object immutableValue(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Enum
        || value instanceof Boolean
        || value instanceof Character) {
      return value;
    }
    return String.valueOf(value);
  }

  /** Carries a label expression's failure to the recorder, which counts it. */
  static final class LabelReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LabelReadException(Throwable cause) {
      super(cause.toString(), cause, false, false);
    }
  }
}
