package dev.conductor.exporter.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.metrics.LabelValues;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spans of a task's events, as a trace backend would show them. */
class SpanAssemblerTest {
  private final SpanAssembler assembler =
      new SpanAssembler(
          new LabelValues(128),
          List.of("Agent.execute"),
          List.of("Queue.submit"),
          Clock.systemUTC());

  @Test
  void theEnqueueAndTheExecutionOfATaskAgreeOnItsTypeEvenWhenTheHostHoldsItAsANumber() {
    Span enqueued = assembler.spanOf(event(Event.ENQUEUE, 7, "t-1", 3)).span();
    Span executed = assembler.spanOf(event(Event.TASK_END, 7, "t-1", 3)).span();

    assertThat(enqueued.attributes().get("task_type")).isEqualTo("7");
    assertThat(executed.attributes().get("task_type")).isEqualTo("7");
    assertThat(enqueued.name()).isEqualTo("enqueue 7");
    assertThat(executed.name()).isEqualTo("execute 7");
    // a priority is a number on both
    assertThat(enqueued.attributes().get("priority")).isEqualTo(3L);
    assertThat(executed.attributes().get("priority")).isEqualTo(3L);
    assertThat(enqueued.attributes().get("task_id")).isEqualTo("t-1");
  }

  @Test
  void aTaskWithoutATypeIsNamedAfterItsPointAndCarriesNoTypeAttribute() {
    Span enqueued = assembler.spanOf(event(Event.ENQUEUE, null, null, null)).span();

    assertThat(enqueued.name()).isEqualTo("enqueue Queue.submit");
    assertThat(enqueued.attributes()).doesNotContainKey("task_type");
  }

  @Test
  void aSpanReadLaterShowsTheEventAsItWasRecordedThoughTheEventIsReusedMeanwhile() {
    Event event = event(Event.TASK_END, "code_review", "t-1", 3);
    event.agentId = "agent-1";
    event.status = "success";
    StoredSpan stored = assembler.spanOf(event);

    event.clear(); // the ring reuses it for the thread's next call
    event.kind = Event.TASK_END;
    event.taskType = "refactor";
    event.taskId = "t-2";
    event.thrown = new IllegalStateException("later");
    Span span = stored.span();

    assertThat(span.name()).isEqualTo("execute code_review");
    assertThat(span.attributes())
        .containsEntry("task_id", "t-1")
        .containsEntry("agent_id", "agent-1")
        .containsEntry("status", "success");
    assertThat(span.failed()).isFalse();
    assertThat(span.traceIdLow()).isEqualTo(2);
    assertThat(span.durationNanos()).isEqualTo(1_000);
  }

  @Test
  void aHostValueThatCanChangeIsTurnedIntoTextWhenRecordedNotWhenRead() {
    StringBuilder id = new StringBuilder("t-1");
    StoredSpan stored = assembler.spanOf(event(Event.TASK_END, "analysis", id, 3));

    id.setLength(0);
    id.append("t-changed");

    assertThat(stored.span().attributes()).containsEntry("task_id", "t-1");
  }

  @Test
  void aThrownExceptionMakesTheSpanFailedWithItsTypeAndMessage() {
    Event event = event(Event.TASK_END, "analysis", "t-1", 3);
    event.thrown = new IllegalArgumentException("bad input");
    StoredSpan stored = assembler.spanOf(event);

    assertThat(stored.failed()).isTrue();
    assertThat(stored.span().errorType()).isEqualTo("IllegalArgumentException");
    assertThat(stored.span().errorMessage()).isEqualTo("bad input");
    assertThat(stored.span().attributes()).containsEntry("status", "failed");
  }

  private static Event event(int kind, Object taskType, Object taskId, Object priority) {
    Event event = new Event();
    event.kind = kind;
    event.point = 0;
    event.startNanos = System.nanoTime();
    event.durationNanos = 1_000;
    event.taskType = taskType;
    event.taskId = taskId;
    event.priority = priority;
    event.spanClosed = true;
    event.spanId = 0x42;
    event.traceIdHigh = 1;
    event.traceIdLow = 2;
    return event;
  }
}
