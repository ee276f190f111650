package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool task's start left in its worker's ring ({@link ThreadEvents#runStarted}): the exporter is
 * passed exactly one start per task, before its end, whether it looks while the task runs or only
 * after it ended.
 */
class PoolRunsTest {
  private final EventBuffer buffer = new EventBuffer(64);
  private final Object pool = new Object();

  /** What the drains passed on, as "START task@start" and "DONE task". */
  private final List<String> seen = new ArrayList<>();

  @BeforeEach
  void install() {
    ThreadEventsTest.installWithoutPoints(buffer);
  }

  @AfterEach
  void uninstall() {
    ThreadEventsTest.installWithoutPoints(new EventBuffer(2));
  }

  private void drain() {
    buffer.drain(this::see);
  }

  private void see(Event event) {
    if (event.kind == Event.EXECUTOR_START) {
      assertThat(event.executor).isSameAs(pool);
      assertThat(event.threadName()).isEqualTo(Thread.currentThread().getName());
      seen.add("START " + event.task + "@" + (event.startNanos > 0));
    } else if (event.kind == Event.EXECUTOR_DONE) {
      assertThat(event.executor).isSameAs(pool);
      seen.add("DONE " + event.task);
    }
  }

  @Test
  void aTaskStillRunningHasItsStartPassedOnOnce() {
    CallDepth depth = CallDepth.current();
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "a");
    assertThat(buffer.pending()).as("no event for the start").isZero();
    drain();
    drain();
    assertThat(seen).containsExactly("START a@true");

    ExecutorRecorder.finished(depth, pool, "a", null);
    drain();
    assertThat(seen).containsExactly("START a@true", "DONE a");
    assertThat(depth.ring().runTask).as("the ring keeps no ended task alive").isNull();
  }

  @Test
  void aTaskThatEndedBeforeTheExporterLookedHasItsStartPassedOnBeforeItsEnd() {
    CallDepth depth = CallDepth.current();
    for (String task : List.of("a", "b", "c")) {
      ExecutorRecorder.starting(depth, pool, Thread.currentThread(), task);
      ExecutorRecorder.finished(depth, pool, task, null);
    }
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "d");
    drain();
    drain();
    assertThat(seen)
        .containsExactly(
            "START a@true",
            "DONE a",
            "START b@true",
            "DONE b",
            "START c@true",
            "DONE c",
            "START d@true");
  }

  @Test
  void aRunPassedOnWhileTheEndOfTheOneBeforeWaitsIsNotPassedOnAgain() {
    CallDepth depth = CallDepth.current();
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "a");
    ExecutorRecorder.finished(depth, pool, "a", null);
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "b");
    // The exporter looks at the running task before it drains the end of the one before (which
    // was published after its drain began).
    depth.ring().passRunningTask(buffer.runStartScratch, this::see);
    drain();
    ExecutorRecorder.finished(depth, pool, "b", null);
    drain();
    assertThat(seen).containsExactly("START b@true", "START a@true", "DONE a", "DONE b");
  }

  @Test
  void aTaskRunInsideAnotherHasItsStartPublishedAndBothKeepTheirTimes() throws Exception {
    CallDepth depth = CallDepth.current();
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "outer");
    long outerStart = depth.executorTaskStart;
    Thread.sleep(2);
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "inner");
    assertThat(buffer.pending()).as("the inner start is an event").isEqualTo(1);
    ExecutorRecorder.finished(depth, pool, "inner", null);
    ExecutorRecorder.finished(depth, pool, "outer", null);
    List<Long> outerTimes = new ArrayList<>();
    buffer.drain(
        e -> {
          see(e);
          if ("outer".equals(e.task)) {
            outerTimes.add(e.startNanos);
            if (e.kind == Event.EXECUTOR_DONE) {
              outerTimes.add(e.durationNanos);
            }
          }
        });
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "START inner@true", "DONE inner", "START outer@true", "DONE outer");
    assertThat(seen.indexOf("START inner@true")).isLessThan(seen.indexOf("DONE inner"));
    assertThat(seen.indexOf("START outer@true")).isLessThan(seen.indexOf("DONE outer"));
    assertThat(outerTimes.get(0)).isEqualTo(outerStart);
    assertThat(outerTimes.get(1)).isEqualTo(outerStart);
    assertThat(outerTimes.get(2))
        .as("the outer run's time, the inner one's included")
        .isGreaterThan(2_000_000);
    assertThat(depth.executorRunsOpen).isZero();
  }

  @Test
  void aScheduledPoolsStartIsAnEventThatSaysHowLateItIs() {
    java.util.concurrent.ScheduledThreadPoolExecutor scheduled =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    try {
      CallDepth depth = CallDepth.current();
      ExecutorRecorder.starting(depth, scheduled, Thread.currentThread(), "tick");
      List<Integer> kinds = new ArrayList<>();
      buffer.drain(e -> kinds.add(e.kind));
      assertThat(kinds).containsExactly(Event.EXECUTOR_START);
      ExecutorRecorder.finished(depth, scheduled, "tick", null);
      buffer.drain(e -> kinds.add(e.kind));
      assertThat(kinds).containsExactly(Event.EXECUTOR_START, Event.EXECUTOR_DONE);
    } finally {
      scheduled.shutdownNow();
    }
  }

  /**
   * A failure has no field in the ring's pool-event slots: the end of a task that threw goes
   * through the shared pool, still after the events before it and with its run's start.
   */
  @Test
  void aTaskThatThrewEndsWithItsFailureInItsPlace() {
    CallDepth depth = CallDepth.current();
    IllegalStateException failure = new IllegalStateException("task failed");
    List<String> order = new ArrayList<>();
    ExecutorRecorder.submitted(depth, pool, "a", 1);
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "a");
    ExecutorRecorder.finished(depth, pool, "a", failure);
    ExecutorRecorder.submitted(depth, pool, "b", 2);
    ExecutorRecorder.starting(depth, pool, Thread.currentThread(), "b");
    ExecutorRecorder.finished(depth, pool, "b", null);
    buffer.drain(
        e -> {
          assertThat(e.executor).isSameAs(pool);
          if (e.kind == Event.EXECUTOR_DONE) {
            assertThat(e.durationNanos).isNotNegative();
            assertThat(e.thrown).isSameAs(e.task.equals("a") ? failure : null);
          }
          order.add(e.kind + " " + e.task);
        });
    int submit = Event.EXECUTOR_SUBMIT;
    int start = Event.EXECUTOR_START;
    int done = Event.EXECUTOR_DONE;
    assertThat(order)
        .containsExactly(
            submit + " a", start + " a", done + " a", submit + " b", start + " b", done + " b");
    assertThat(buffer.ringFullClaims()).as("not an overflow").isZero();
    assertThat(depth.ring().runTask).isNull();
  }

  /**
   * Pool-event slots that fill grow once the exporter has drained them, as a ring's events do, and
   * under the same leave of the buffer: a thread whose events and pool events both fill takes one.
   */
  @Test
  void poolEventsThatFillGrowOnceDrainedUnderTheRingsOneLeave() {
    CallDepth depth = CallDepth.current();
    List<Object> order = new ArrayList<>();
    java.util.function.Consumer<Event> submits =
        e -> {
          if (e.kind == Event.EXECUTOR_SUBMIT) {
            order.add(e.task);
          }
        };
    int task = 0;
    for (int i = 0; i < PoolEventSlots.SIZE + 10; i++, task++) {
      ExecutorRecorder.submitted(depth, pool, task, task + 1); // the last ten: the shared pool
    }
    assertThat(buffer.ringFullClaims()).isEqualTo(10);
    assertThat(buffer.grownRings()).as("the ring took one of the buffer's leaves").isEqualTo(1);
    buffer.drain(submits);

    for (int i = 0; i < PoolEventSlots.GROWN_SIZE; i++, task++) {
      ExecutorRecorder.submitted(depth, pool, task, task + 1);
    }
    assertThat(buffer.ringFullClaims()).as("all held by the grown slots").isEqualTo(10);
    ThreadEvents ring = depth.ring();
    assertThat(ring.capacityWithPoolEvents())
        .isEqualTo(ThreadEvents.SIZE + PoolEventSlots.GROWN_SIZE);
    for (int i = 0; i <= ThreadEvents.SIZE; i++) {
      Recorders.publish(depth, Recorders.claim(Event.TASK_END, 0, i + 1)); // fills the events
    }
    assertThat(buffer.grownRings()).as("the events grow under the same leave").isEqualTo(1);
    buffer.drain(submits);
    Recorders.publish(depth, Recorders.claim(Event.TASK_END, 0, 1));
    assertThat(ring.capacityWithPoolEvents())
        .isEqualTo(ThreadEvents.GROWN_SIZE + PoolEventSlots.GROWN_SIZE);
    buffer.drain(e -> {});

    assertThat(order).hasSize(task);
    for (int i = 0; i < task; i++) {
      assertThat(order.get(i)).as("submit %d", i).isEqualTo(i);
    }
  }

  @Test
  void poolEventsThatOverflowTheRingKeepTheirOrderThroughTheSharedPool() {
    CallDepth depth = CallDepth.current();
    int submits = PoolEventSlots.SIZE + 40;
    for (int i = 0; i < submits; i++) {
      ExecutorRecorder.submitted(depth, pool, i, i + 1);
    }
    ExecutorRecorder.rejected(pool, "refused");
    assertThat(buffer.ringFullClaims()).as("the overflow is counted").isEqualTo(41);
    List<Object> order = new ArrayList<>();
    buffer.drain(
        e -> {
          assertThat(e.executor).isSameAs(pool);
          order.add(e.kind == Event.EXECUTOR_REJECTED ? "rejected " + e.task : e.task);
        });
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < submits; i++) {
      expected.add(i);
    }
    expected.add("rejected refused");
    assertThat(order).isEqualTo(expected);
    assertThat(buffer.pending()).isZero();
  }

  /**
   * A submitting thread and a worker hand 200,000 tasks over while the exporter drains late (so
   * that the pool event slots overflow into the shared pool): each task's submit, start and end are
   * passed on once, the start before the end, with the times they were recorded with, and each
   * thread's pool events in the order it published them.
   */
  @Test
  void everyTaskIsPassedOnOnceAndInOrderWhileTheExporterDrainsLate() throws Exception {
    EventBuffer buffer = new EventBuffer(16384);
    ThreadEventsTest.installWithoutPoints(buffer);
    int tasks = 200_000;
    Integer[] task = new Integer[tasks];
    for (int i = 0; i < tasks; i++) {
      task[i] = i;
    }
    java.util.concurrent.atomic.AtomicInteger submitted =
        new java.util.concurrent.atomic.AtomicInteger();
    // How far the exporter has seen each thread's events: each thread stays within AHEAD of it,
    // so that what overflows its slots always finds room in the shared pool and none is dropped.
    java.util.concurrent.atomic.AtomicInteger submitsSeen =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger endsSeen =
        new java.util.concurrent.atomic.AtomicInteger();
    int ahead = 4000;
    AtomicBoolean done = new AtomicBoolean();
    Thread submitter =
        new Thread(
            () -> {
              CallDepth depth = CallDepth.current();
              for (int i = 0; i < tasks; i++) {
                while (i - submitsSeen.get() > ahead) {
                  Thread.onSpinWait();
                }
                ExecutorRecorder.submitted(depth, pool, task[i], 1);
                submitted.set(i + 1);
              }
            });
    Thread worker =
        new Thread(
            () -> {
              CallDepth depth = CallDepth.current();
              for (int i = 0; i < tasks; i++) {
                while (submitted.get() <= i || i - endsSeen.get() > ahead) {
                  Thread.onSpinWait();
                }
                ExecutorRecorder.starting(depth, pool, Thread.currentThread(), task[i]);
                ExecutorRecorder.finished(depth, pool, task[i], null);
              }
              done.set(true);
            });
    int[] submits = new int[tasks];
    int[] starts = new int[tasks];
    long[] startTimes = new long[tasks];
    int[] ends = new int[tasks];
    int[] lastSubmitted = {-1};
    int[] lastEnded = {-1};
    List<String> errors = new ArrayList<>();
    java.util.function.Consumer<Event> exporter =
        e -> {
          int i = (Integer) e.task;
          if (e.executor != pool) {
            errors.add("task " + i + ": another pool");
          }
          switch (e.kind) {
            case Event.EXECUTOR_SUBMIT -> {
              submits[i]++;
              if (i != lastSubmitted[0] + 1) {
                errors.add("submit " + i + " after " + lastSubmitted[0]);
              }
              lastSubmitted[0] = i;
              submitsSeen.set(i + 1);
            }
            case Event.EXECUTOR_START -> {
              starts[i]++;
              startTimes[i] = e.startNanos;
            }
            case Event.EXECUTOR_DONE -> {
              ends[i]++;
              if (starts[i] != 1 || e.startNanos != startTimes[i]) {
                errors.add("task " + i + " ended after " + starts[i] + " starts");
              }
              if (i != lastEnded[0] + 1) {
                errors.add("end " + i + " after " + lastEnded[0]);
              }
              lastEnded[0] = i;
              endsSeen.set(i + 1);
            }
            default -> errors.add("unexpected event " + e.kind);
          }
        };
    submitter.start();
    worker.start();
    while (!done.get()) {
      Thread.sleep(1); // late, as the exporter can be
      buffer.drain(exporter);
    }
    submitter.join();
    worker.join();
    buffer.drain(exporter);
    assertThat(buffer.dropped()).isZero();
    assertThat(errors).as("first errors").isEmpty();
    for (int i = 0; i < tasks; i++) {
      if (submits[i] != 1 || starts[i] != 1 || ends[i] != 1) {
        assertThat(new int[] {submits[i], starts[i], ends[i]})
            .as("task %d: submits, starts, ends", i)
            .containsExactly(1, 1, 1);
      }
    }
    assertThat(buffer.ringFullClaims()).as("pool events went through the shared pool").isPositive();
  }

  /**
   * A worker runs tasks while the exporter drains on another thread: every task's start is passed
   * on once, before its end, with the pool and the start time it ran with (never those of another
   * run read half-written).
   */
  @Test
  void everyRunIsPassedOnOnceAndWholeWhileTheExporterDrains() throws Exception {
    int runs = 200_000;
    Object[] pools = new Object[runs];
    Integer[] tasks = new Integer[runs];
    for (int i = 0; i < runs; i++) {
      pools[i] = new Object();
      tasks[i] = i;
    }
    AtomicBoolean done = new AtomicBoolean();
    Thread worker =
        new Thread(
            () -> {
              CallDepth depth = CallDepth.current();
              ThreadEvents ring = depth.events(buffer);
              for (int i = 0; i < runs; i++) {
                long run = ring.runStarted(pools[i], tasks[i], i + 1);
                while (!ring.publishPoolEvent(
                    Event.EXECUTOR_DONE, i + 1, 0, run, pools[i], tasks[i])) {
                  Thread.onSpinWait(); // the ring's pool events are full: wait for the drain
                }
                ring.runEnded();
              }
              done.set(true);
            });
    int[] starts = new int[runs];
    int[] ends = new int[runs];
    List<String> errors = new ArrayList<>();
    java.util.function.Consumer<Event> exporter =
        e -> {
          int i = (Integer) e.task;
          if (e.executor != pools[i] || e.startNanos != i + 1) {
            errors.add("run " + i + " passed on with another run's fields");
          }
          if (e.kind == Event.EXECUTOR_START) {
            starts[i]++;
          } else {
            if (starts[i] != 1) {
              errors.add("run " + i + " ended after " + starts[i] + " starts");
            }
            ends[i]++;
          }
        };
    worker.start();
    while (!done.get()) {
      buffer.drain(exporter);
    }
    worker.join();
    buffer.drain(exporter);
    assertThat(errors).isEmpty();
    for (int i = 0; i < runs; i++) {
      if (starts[i] != 1 || ends[i] != 1) {
        assertThat(new int[] {starts[i], ends[i]})
            .as("run %d: starts, ends", i)
            .containsExactly(1, 1);
      }
    }
  }
}
