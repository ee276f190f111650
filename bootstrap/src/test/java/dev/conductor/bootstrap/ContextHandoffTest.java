package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextHandoffTest {

  @Test
  void aContextIsTakenOnceByItsOwnKey() {
    ContextHandoff handoff = new ContextHandoff(16);
    ContextHandoff.Taken scratch = new ContextHandoff.Taken();
    Object task = new Object();
    ContextHandoff.Taken taken = new ContextHandoff.Taken();
    handoff.put(task, 1, 2, 3, 4, scratch);

    assertThat(handoff.take(new Object(), taken)).isFalse();
    assertThat(handoff.take(task, taken)).isTrue();
    assertThat(new long[] {taken.traceHigh, taken.traceLow, taken.parentSpan, taken.enqueuedAt})
        .containsExactly(1, 2, 3, 4);
    assertThat(handoff.take(task, taken)).as("taken once").isFalse();
  }

  @Test
  void theTableNeverGrowsAndCountsWhatItOverwrote() {
    ContextHandoff handoff = new ContextHandoff(16);
    ContextHandoff.Taken scratch = new ContextHandoff.Taken();
    List<Object> tasks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Object task = new Object();
      tasks.add(task);
      handoff.put(task, i, i, i + 1, i, scratch);
    }
    assertThat(handoff.overwritten()).isGreaterThanOrEqualTo(1000 - handoff.capacity());
    ContextHandoff.Taken taken = new ContextHandoff.Taken();
    long found = tasks.stream().filter(task -> handoff.take(task, taken)).count();
    assertThat(found).isLessThanOrEqualTo(handoff.capacity()).isPositive();
  }

  @Test
  void contextsOfTasksThatWaitLongAreDisplacedNotLost() {
    ContextHandoff handoff = new ContextHandoff(16_384);
    ContextHandoff.Taken scratch = new ContextHandoff.Taken();
    int waiting = 3 * ContextHandoff.RECENT_SLOTS;
    List<Object> tasks = new ArrayList<>();
    for (int i = 0; i < waiting; i++) {
      Object task = new Object();
      tasks.add(task);
      handoff.put(task, i, i, i + 1, i, scratch);
    }
    ContextHandoff.Taken taken = new ContextHandoff.Taken();
    for (int i = 0; i < waiting; i++) {
      assertThat(handoff.take(tasks.get(i), taken)).as("task %d", i).isTrue();
      assertThat(taken.parentSpan).isEqualTo(i + 1);
    }
  }

  @Test
  void aTaskHandedOverAgainGetsItsNewContext() {
    ContextHandoff handoff = new ContextHandoff(16_384);
    ContextHandoff.Taken scratch = new ContextHandoff.Taken();
    List<Object> others = new ArrayList<>();
    Object task = new Object();
    handoff.put(task, 1, 1, 1, 1, scratch);
    for (int i = 0; i < 2 * ContextHandoff.RECENT_SLOTS; i++) {
      Object other = new Object(); // enough to displace the first context from the small table
      others.add(other);
      handoff.put(other, 0, 0, 0, 0, scratch);
    }
    ContextHandoff.Taken taken = new ContextHandoff.Taken();
    assertThat(handoff.take(task, taken)).isTrue();
    assertThat(taken.parentSpan).isEqualTo(1);
    handoff.put(task, 2, 2, 2, 2, scratch);
    assertThat(handoff.take(task, taken)).isTrue();
    assertThat(taken.parentSpan).as("the new context, not a stale copy").isEqualTo(2);
  }

  @Test
  void concurrentPutsAndTakesNeverMixTwoContexts() throws Exception {
    ContextHandoff handoff = new ContextHandoff(64);
    int perThread = 200_000;
    Thread[] threads = new Thread[4];
    boolean[] torn = new boolean[1];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                ContextHandoff.Taken taken = new ContextHandoff.Taken();
                Object[] keys = new Object[8];
                for (int i = 0; i < keys.length; i++) {
                  keys[i] = new Object();
                }
                for (int i = 0; i < perThread; i++) {
                  Object key = keys[i & 7];
                  long v = i;
                  handoff.put(key, v, v * 3, v * 5, v * 7, taken);
                  if (handoff.take(key, taken)
                      && (taken.traceLow != taken.traceHigh * 3
                          || taken.parentSpan != taken.traceHigh * 5
                          || taken.enqueuedAt != taken.traceHigh * 7)) {
                    torn[0] = true;
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(torn[0]).as("a context read while rewritten").isFalse();
  }
}
