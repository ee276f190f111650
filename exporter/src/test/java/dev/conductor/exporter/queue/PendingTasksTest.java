package dev.conductor.exporter.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingTasksTest {
  private final PendingTasks<String> pending = new PendingTasks<>(3);

  @Test
  void aTaskIsFoundByIdElseByIdentityAndOnlyOnce() {
    Object task = new Object();
    pending.put("t1", task, "by id");
    Object anonymous = new Object();
    pending.put(null, anonymous, "by identity");

    assertThat(pending.remove("t1", new Object())).isEqualTo("by id");
    assertThat(pending.remove(null, task)).as("gone from both indexes").isNull();
    assertThat(pending.remove("t2", anonymous)).isEqualTo("by identity");
    assertThat(pending.size()).isZero();
  }

  @Test
  void pastCapacityTheOldestIsEvictedAndHandedBack() {
    pending.put("t1", null, "first");
    pending.put("t2", null, "second");
    pending.put("t3", null, "third");
    assertThat(pending.remove("t2", null)).isEqualTo("second");

    assertThat(pending.put("t4", null, "fourth")).isNull();
    assertThat(pending.put("t5", null, "fifth")).isEqualTo("first");
    assertThat(pending.put("t6", null, "sixth")).isEqualTo("third");
    assertThat(pending.size()).isEqualTo(3);
    assertThat(pending.remove("t1", null)).isNull();
    assertThat(pending.remove("t4", null)).isEqualTo("fourth");
  }

  @Test
  void aTaskWithNeitherIdNorObjectIsNotRemembered() {
    assertThat(pending.put(null, null, "nothing")).isNull();
    assertThat(pending.size()).isZero();
  }
}
