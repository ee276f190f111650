package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRecorderTest {

  @Test
  void nestedCallsRecordOnlyTheOutermostExecution() {
    EventBuffer buffer = new EventBuffer(8);
    TaskRecorder.install(buffer, new LabelCapture[] {LabelCapture.NONE});

    long outer = TaskRecorder.enter();
    long inner = TaskRecorder.enter(); // e.g. an override calling super.execute(task)
    assertThat(inner).isEqualTo(TaskRecorder.NESTED);
    TaskRecorder.exit(0, inner, null, null, null, null, null, null, null);
    TaskRecorder.exit(0, outer, null, null, null, null, null, null, null);

    List<Long> durations = new ArrayList<>();
    buffer.drain(e -> durations.add(e.durationNanos));
    assertThat(durations).hasSize(1);
    assertThat(durations.get(0)).isNotNegative();
    assertThat(TaskRecorder.enter()).as("depth is back to zero").isNotEqualTo(TaskRecorder.NESTED);
    TaskRecorder.exit(0, 0, null, null, null, null, null, null, null);
  }

  @Test
  void aFailingLabelCaptureKeepsTheEventAndIsCounted() {
    EventBuffer buffer = new EventBuffer(8);
    LabelCapture failing =
        (event, self, a0, a1, a2, a3, returned) -> {
          event.taskType = "kept";
          throw new IllegalStateException("getter blew up");
        };
    TaskRecorder.install(buffer, new LabelCapture[] {failing});
    long before = TaskRecorder.labelErrors();

    Throwable hostException = new RuntimeException("the host's own");
    TaskRecorder.exit(0, TaskRecorder.enter(), null, null, null, null, null, null, hostException);

    List<TaskEvent> seen = new ArrayList<>();
    buffer.drain(
        e -> {
          assertThat(e.taskType).isEqualTo("kept");
          assertThat(e.labelError).isTrue();
          assertThat(e.thrown).isSameAs(hostException);
          seen.add(e);
        });
    assertThat(seen).hasSize(1);
    assertThat(TaskRecorder.labelErrors()).isEqualTo(before + 1);
  }
}
