package dev.conductor.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.instrumentation.expression.LabelExpression;
import org.junit.jupiter.api.Test;

/**
 * The compiled capture reads exactly what the general one reads: after it was specialized for the
 * classes seen first, for those classes, for other classes, for nulls along the way and for a
 * getter that throws.
 */
class CaptureCompilerTest {
  public static class Job {
    final String type;
    private final int priority;
    final Job parent;

    Job(String type, int priority, Job parent) {
      this.type = type;
      this.priority = priority;
      this.parent = parent;
    }

    public int getPriority() {
      return priority;
    }

    public String getId() {
      if (type.equals("broken")) {
        throw new IllegalStateException("no id");
      }
      return type + "-" + priority;
    }
  }

  public static class OtherJob extends Job {
    OtherJob(String type) {
      super(type, 7, null);
    }

    @Override
    public String getId() {
      return "other";
    }
  }

  enum State {
    DONE
  }

  private static PointLabels labels() throws Exception {
    return new PointLabels(
        LabelExpression.parse("arg0"),
        LabelExpression.parse("arg0.type"),
        LabelExpression.parse("arg0.getId()"),
        LabelExpression.parse("this"),
        LabelExpression.parse("arg0.parent.priority"),
        LabelExpression.parse("return"));
  }

  @Test
  void compiledCaptureReadsWhatTheGeneralOneReads() throws Throwable {
    PointLabels labels = labels();
    PointCapture general = new PointCapture(labels);
    Job parent = new Job("parent", 3, null);
    Job first = new Job("analysis", 1, parent);
    general.capture(new Event(), "agent-1", first, null, null, null, State.DONE);
    LabelCapture compiled = CaptureCompiler.compile(labels);
    assertThat(compiled.getClass().isHidden()).isTrue();

    Object[][] calls = {
      {first, State.DONE},
      {new Job("refactor", 2, null), "ok"}, // null along a path
      {new OtherJob("review"), 12}, // another class than the one specialized for
      {null, null},
    };
    for (Object[] call : calls) {
      Event expected = new Event();
      general.capture(expected, "agent-1", call[0], null, null, null, call[1]);
      Event actual = new Event();
      compiled.capture(actual, "agent-1", call[0], null, null, null, call[1]);
      assertThat(actual.task).isSameAs(expected.task);
      assertThat(actual.taskType).isEqualTo(expected.taskType);
      assertThat(actual.taskId).isEqualTo(expected.taskId);
      assertThat(actual.agentId).isEqualTo(expected.agentId);
      assertThat(actual.priority).isEqualTo(expected.priority);
      assertThat(actual.status).isEqualTo(expected.status);
    }
    Event full = new Event();
    compiled.capture(full, "agent-1", first, null, null, null, State.DONE);
    assertThat(full.taskId).isEqualTo("analysis-1");
    assertThat(full.priority).isEqualTo(3);
    assertThat(full.status).isEqualTo(State.DONE);
  }

  @Test
  void aFailingLabelThrowsAfterTheOthersWereRead() throws Throwable {
    PointLabels labels = labels();
    new PointCapture(labels).capture(new Event(), "a", new Job("x", 1, null), null, null, null, 1);
    LabelCapture compiled = CaptureCompiler.compile(labels);
    Event event = new Event();
    assertThatThrownBy(
            () -> compiled.capture(event, "a", new Job("broken", 1, null), null, null, null, 1))
        .isInstanceOf(IllegalStateException.class);
    assertThat(event.taskType).isEqualTo("broken");
    assertThat(event.agentId).isEqualTo("a");
    assertThat(event.status).isEqualTo(1);
  }
}
