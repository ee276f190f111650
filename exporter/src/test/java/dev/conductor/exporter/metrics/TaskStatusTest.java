package dev.conductor.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskStatusTest {
  enum Outcome {
    COMPLETED,
    CANCELED,
    TIMED_OUT
  }

  private final LabelValues labels = new LabelValues(64);

  @Test
  void thrownIsAlwaysFailed() {
    assertThat(TaskStatus.of("success", true, labels)).isEqualTo("failed");
  }

  @Test
  void noStatusExpressionMeansSuccess() {
    assertThat(TaskStatus.of(null, false, labels)).isEqualTo("success");
  }

  @Test
  void commonSpellingsFoldOntoTheFiveStatuses() {
    assertThat(TaskStatus.of(Outcome.COMPLETED, false, labels)).isEqualTo("success");
    assertThat(TaskStatus.of(Outcome.CANCELED, false, labels)).isEqualTo("cancelled");
    assertThat(TaskStatus.of(Outcome.TIMED_OUT, false, labels)).isEqualTo("timeout");
    assertThat(TaskStatus.of("Partial", false, labels)).isEqualTo("partial");
    assertThat(TaskStatus.of(Boolean.FALSE, false, labels)).isEqualTo("failed");
  }

  @Test
  void unexpectedValuesStayVisibleButOnlyAFew() {
    assertThat(TaskStatus.of("deferred", false, labels)).isEqualTo("deferred");
    for (int i = 0; i < 100; i++) {
      TaskStatus.of("state-" + i, false, labels);
    }
    assertThat(TaskStatus.of("deferred", false, labels)).isEqualTo("deferred");
    assertThat(TaskStatus.of("state-99", false, labels)).isEqualTo("other");
    assertThat(TaskStatus.of("Partial", false, labels)).isEqualTo("partial");
  }
}
