package dev.conductor.exporter.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingTasksTest {
  private final List<String> evicted = new ArrayList<>();
  private final PendingTasks<String> pending = new PendingTasks<>(3, evicted::add);

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
  void pastCapacityTheOldestIsEvictedAndHandedToTheCallback() {
    pending.put("t1", null, "first");
    pending.put("t2", null, "second");
    pending.put("t3", null, "third");
    assertThat(pending.remove("t2", null)).isEqualTo("second");

    pending.put("t4", null, "fourth");
    assertThat(evicted).isEmpty();
    pending.put("t5", null, "fifth");
    assertThat(evicted).containsExactly("first");
    pending.put("t6", null, "sixth");
    assertThat(evicted).containsExactly("first", "third");
    assertThat(pending.size()).isEqualTo(3);
    assertThat(pending.remove("t1", null)).isNull();
    assertThat(pending.remove("t4", null)).isEqualTo("fourth");
  }

  @Test
  void theSameTaskPutAgainReplacesItsEntryAndHandsTheEarlierValueBack() {
    Object task = new Object();
    assertThat(pending.put(null, task, "first enqueue")).isNull();
    assertThat(pending.put(null, task, "second enqueue")).isEqualTo("first enqueue");
    assertThat(pending.put("t1", null, "by id")).isNull();
    assertThat(pending.put("t1", null, "by id again")).isEqualTo("by id");

    assertThat(pending.size()).as("one entry per task").isEqualTo(2);
    assertThat(pending.remove(null, task)).isEqualTo("second enqueue");
    assertThat(pending.remove("t1", null)).isEqualTo("by id again");
    assertThat(evicted).isEmpty();
  }

  @Test
  void anObjectPutUnderANewIdReplacesItsEntryUnderTheOldOne() {
    Object task = new Object();
    pending.put("old", task, "first");
    assertThat(pending.put("new", task, "second")).isEqualTo("first");

    assertThat(pending.remove("old", null)).as("the old id no longer leads anywhere").isNull();
    assertThat(pending.remove(null, task)).isEqualTo("second");
    assertThat(pending.size()).isZero();
  }

  @Test
  void anIdPutWithAnotherObjectTakesOverTheIdAndForgetsTheObjectsOtherEntry() {
    Object first = new Object();
    Object second = new Object();
    pending.put("t1", first, "first");
    pending.put("t2", second, "second");

    // "t1" now names the second object, which was waiting under "t2": both earlier entries go.
    assertThat(pending.put("t1", second, "third")).isEqualTo("first");
    assertThat(evicted).containsExactly("second");
    assertThat(pending.size()).isEqualTo(1);
    assertThat(pending.remove(null, first)).isNull();
    assertThat(pending.remove("t2", null)).isNull();
    assertThat(pending.remove("t1", null)).isEqualTo("third");
  }

  @Test
  void aTaskWithNeitherIdNorObjectIsNotRemembered() {
    assertThat(pending.put(null, null, "nothing")).isNull();
    assertThat(pending.size()).isZero();
  }

  @Test
  void manyTasksByIdentityAreAllMatchedOnceEach() {
    PendingTasks<Integer> many = new PendingTasks<>(10_000, forgotten -> {});
    List<Object> tasks = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Object task = new Object();
      tasks.add(task);
      many.put(null, task, i);
    }
    for (int i = 0; i < tasks.size(); i += 2) {
      assertThat(many.remove(null, tasks.get(i))).isEqualTo(i);
    }
    for (int i = 1; i < tasks.size(); i += 2) {
      assertThat(many.remove(null, tasks.get(i))).isEqualTo(i);
    }
    assertThat(many.size()).isZero();
    assertThat(many.remove(null, tasks.get(0))).isNull();
  }
}
