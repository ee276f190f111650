package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordersTest {
  private static final LabelCapture TASK_TYPE_FROM_ARG0 =
      (event, self, a0, a1, a2, a3, returned) -> {
        event.taskType = a0;
        event.status = returned;
      };

  private static List<String> drain(EventBuffer buffer) {
    List<String> seen = new ArrayList<>();
    buffer.drain(e -> seen.add(e.kind + ":" + e.taskType + ":" + e.status + ":" + e.healthy));
    return seen;
  }

  /** One agent point, with no labels: its lifecycle events only. */
  private static EventBuffer installAgentPoint() {
    EventBuffer buffer = new EventBuffer(8);
    Recorders.install(
        buffer,
        new LabelCapture[0],
        new boolean[0],
        new LabelCapture[0],
        new LabelCapture[] {LabelCapture.NONE},
        new LabelCapture[0]);
    return buffer;
  }

  /** One task point whose capture reads arg0 as the task type and the return as the status. */
  private static EventBuffer installTaskPoint(boolean trackStarts) {
    EventBuffer buffer = new EventBuffer(8);
    ThreadEventsTest.installTaskPoint(buffer, TASK_TYPE_FROM_ARG0, trackStarts);
    return buffer;
  }

  @Test
  void nestedCallsRecordOnlyTheOutermostExecution() {
    EventBuffer buffer = installTaskPoint(false);

    Object outer = TaskRecorder.enter(0, null, "analysis", null, null, null);
    // e.g. an override calling super.execute(task)
    Object inner = TaskRecorder.enter(0, null, "analysis", null, null, null);
    TaskRecorder.exit(0, inner, null, "analysis", null, null, null, "inner", null);
    TaskRecorder.exit(0, outer, null, "analysis", null, null, null, "outer", null);

    assertThat(drain(buffer)).containsExactly(Event.TASK_END + ":analysis:outer:false");
    Object next = TaskRecorder.enter(0, null, "refactor", null, null, null);
    TaskRecorder.exit(0, next, null, "refactor", null, null, null, "next", null);
    assertThat(drain(buffer))
        .as("depth is back to zero: the next call is outermost again")
        .containsExactly(Event.TASK_END + ":refactor:next:false");
  }

  @Test
  void anExitWhoseEnterFailedEndsNothing() {
    EventBuffer buffer = installTaskPoint(false);
    Object outer = TaskRecorder.enter(0, null, "analysis", null, null, null);
    // what Woven.taskEnter returns when the recorder threw: the exit must not unwind the outer call
    TaskRecorder.exit(0, null, null, "analysis", null, null, null, "failed", null);
    TaskRecorder.exit(0, outer, null, "analysis", null, null, null, "outer", null);
    assertThat(drain(buffer)).containsExactly(Event.TASK_END + ":analysis:outer:false");
  }

  @Test
  void trackedPointsPublishAStartWithTheLabelsReadAtEntry() {
    EventBuffer buffer = installTaskPoint(true);
    Object start = TaskRecorder.enter(0, null, "refactor", null, null, null);
    TaskRecorder.exit(
        0, start, null, "refactor", null, null, null, null, new IllegalStateException());
    assertThat(drain(buffer))
        .containsExactly(
            Event.TASK_START + ":refactor:null:false", Event.TASK_END + ":refactor:null:false");
  }

  @Test
  void aFailingLabelCaptureKeepsTheEventAndIsCounted() {
    EventBuffer buffer = new EventBuffer(8);
    LabelCapture failing =
        (event, self, a0, a1, a2, a3, returned) -> {
          event.taskType = "kept";
          throw new IllegalStateException("getter blew up");
        };
    ThreadEventsTest.installTaskPoint(buffer, failing, false);
    long before = Recorders.labelErrors();

    Throwable hostException = new RuntimeException("the host's own");
    TaskRecorder.exit(
        0,
        TaskRecorder.enter(0, null, null, null, null, null),
        null,
        null,
        null,
        null,
        null,
        null,
        hostException);

    List<Event> seen = new ArrayList<>();
    buffer.drain(
        e -> {
          assertThat(e.taskType).isEqualTo("kept");
          assertThat(e.labelError).isTrue();
          assertThat(e.thrown).isSameAs(hostException);
          seen.add(e);
        });
    assertThat(seen).hasSize(1);
    assertThat(Recorders.labelErrors()).isEqualTo(before + 1);
  }

  @Test
  void anEnqueueThatThrowsDidNotEnqueue() {
    EventBuffer buffer = new EventBuffer(8);
    Recorders.install(
        buffer,
        new LabelCapture[0],
        new boolean[0],
        new LabelCapture[] {TASK_TYPE_FROM_ARG0},
        new LabelCapture[0],
        new LabelCapture[0]);
    Object first = QueueRecorder.enter(0, null, null, null, null, null);
    Object nested =
        QueueRecorder.enter(
            0, null, null, null, null, null); // submit(task) calling submit(task, options)
    QueueRecorder.exit(0, nested, null, "analysis", null, null, null, null, null);
    QueueRecorder.exit(0, first, null, "analysis", null, null, null, null, null);
    QueueRecorder.exit(
        0,
        QueueRecorder.enter(0, null, null, null, null, null),
        null,
        "x",
        null,
        null,
        null,
        null,
        new Error());
    assertThat(drain(buffer)).containsExactly(Event.ENQUEUE + ":analysis:null:false");
  }

  @Test
  void healthChecksFailOnFalseOrThrowAndFailedStartsAreNotStarts() {
    EventBuffer buffer = installAgentPoint();
    AgentRecorder.exit(0, Event.HEALTH_CHECK, null, null, Boolean.TRUE, null);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, null, null, Boolean.FALSE, null);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, null, null, null, new IllegalStateException());
    AgentRecorder.exit(0, Event.HEALTH_CHECK, null, null, null, null); // a void check that returned
    AgentRecorder.exit(0, Event.AGENT_STARTED, null, null, null, new IllegalStateException());
    AgentRecorder.exit(0, Event.AGENT_STARTED, null, null, null, null);
    assertThat(drain(buffer))
        .containsExactly(
            Event.HEALTH_CHECK + ":null:null:true",
            Event.HEALTH_CHECK + ":null:null:false",
            Event.HEALTH_CHECK + ":null:null:false",
            Event.HEALTH_CHECK + ":null:null:true",
            Event.AGENT_STARTED + ":null:null:true");
  }

  @Test
  void anOverridesSuperCallIsOneCheckWithTheOverridesResultAndAnotherAgentsCountsToo() {
    EventBuffer buffer = installAgentPoint();
    Object agent = new Object();
    Object part = new Object();
    // agent.healthCheck() { boolean ok = super.healthCheck(); part.healthCheck(); return false; }
    Object outer = AgentRecorder.enter(Event.HEALTH_CHECK, agent);
    Object superCall = AgentRecorder.enter(Event.HEALTH_CHECK, agent);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, superCall, agent, Boolean.TRUE, null);
    Object partCall = AgentRecorder.enter(Event.HEALTH_CHECK, part);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, partCall, part, Boolean.TRUE, null);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, outer, agent, Boolean.FALSE, null);
    // The next check of the same agent is an outermost call again, also after one that threw.
    Object thrown = AgentRecorder.enter(Event.HEALTH_CHECK, agent);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, thrown, agent, null, new IllegalStateException());
    Object next = AgentRecorder.enter(Event.HEALTH_CHECK, agent);
    AgentRecorder.exit(0, Event.HEALTH_CHECK, next, agent, Boolean.TRUE, null);
    assertThat(drain(buffer))
        .containsExactly(
            Event.HEALTH_CHECK + ":null:null:true",
            Event.HEALTH_CHECK + ":null:null:false",
            Event.HEALTH_CHECK + ":null:null:false",
            Event.HEALTH_CHECK + ":null:null:true");
  }
}
