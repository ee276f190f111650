package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tracked task call's start left in its thread's ring ({@link ThreadEvents#callStarted}): the
 * exporter is passed exactly one start per call, with the labels of that call, before its end,
 * whether it looks while the call runs or only after it ended.
 */
class TaskCallStartsTest {
  /** Reads arg0 as the task object and the task id, arg1 as the agent id. */
  private static final LabelCapture LABELS =
      (event, self, a0, a1, a2, a3, returned) -> {
        event.task = a0;
        event.taskId = a0;
        event.agentId = a1;
      };

  private EventBuffer buffer = new EventBuffer(64);

  /** What the drains passed on, as "START task/agent" and "END task/agent". */
  private final List<String> seen = new ArrayList<>();

  @BeforeEach
  void install() {
    install(buffer);
  }

  @AfterEach
  void uninstall() {
    ThreadEventsTest.installWithoutPoints(new EventBuffer(2));
  }

  private static void install(EventBuffer buffer) {
    ThreadEventsTest.installTaskPoint(buffer, LABELS, true);
  }

  private void drain() {
    buffer.drain(this::see);
  }

  private void see(Event event) {
    assertThat(event.startNanos).isPositive();
    String labels = event.task + "/" + event.agentId;
    if (event.kind == Event.TASK_START) {
      assertThat(event.threadName()).isEqualTo(Thread.currentThread().getName());
      seen.add("START " + labels);
    } else if (event.kind == Event.TASK_END) {
      seen.add("END " + labels);
    }
  }

  private static Object enter(String task, String agent) {
    return TaskRecorder.enter(0, null, task, agent, null, null);
  }

  private static void exit(Object state, String task, String agent) {
    TaskRecorder.exit(0, state, null, task, agent, null, null, null, null);
  }

  @Test
  void aCallStillRunningHasItsStartPassedOnOnceWithTheLabelsReadAtItsStart() {
    Object call = enter("a", "agent-1");
    assertThat(buffer.pending()).as("no event for the start").isZero();
    drain();
    drain();
    assertThat(seen).containsExactly("START a/agent-1");

    exit(call, "a", "agent-1");
    drain();
    assertThat(seen).containsExactly("START a/agent-1", "END a/agent-1");
    assertThat(CallDepth.current().ring().callStart.task)
        .as("the ring keeps no ended task alive")
        .isNull();
    drain();
    assertThat(seen).as("an ended call is not passed on again").hasSize(2);
  }

  @Test
  void aCallThatEndedBeforeTheExporterLookedHasItsStartPassedOnBeforeItsEnd() {
    for (String task : List.of("a", "b", "c")) {
      exit(enter(task, "agent-" + task), task, "agent-" + task);
    }
    Object open = enter("d", "agent-d");
    drain();
    drain();
    assertThat(seen)
        .containsExactly(
            "START a/agent-a",
            "END a/agent-a",
            "START b/agent-b",
            "END b/agent-b",
            "START c/agent-c",
            "END c/agent-c",
            "START d/agent-d");
    exit(open, "d", "agent-d");
  }

  @Test
  void aCallPassedOnWhileTheEndOfTheOneBeforeWaitsIsNotPassedOnAgain() {
    exit(enter("a", "x"), "a", "x");
    Object b = enter("b", "x");
    // The exporter looks at the open call before it drains the end of the one before (which was
    // published after its drain began).
    CallDepth.current().ring().passOpenCall(buffer.runStartScratch, this::see);
    drain();
    exit(b, "b", "x");
    drain();
    assertThat(seen).containsExactly("START b/x", "START a/x", "END a/x", "END b/x");
  }

  @Test
  void nestedCallsLeaveOneStart() {
    Object outer = enter("outer", "x");
    Object inner = enter("inner", "x"); // e.g. an override calling super.execute(task)
    exit(inner, "inner", "x");
    drain();
    exit(outer, "outer", "x");
    drain();
    assertThat(seen).containsExactly("START outer/x", "END outer/x");
  }

  @Test
  void aCallWhoseEndIsDroppedIsNotPassedOnLater() {
    buffer = new EventBuffer(2);
    install(buffer);
    // No drain: the ring fills, then the shared pool's two events, then ends are dropped.
    for (int i = 0; i < ThreadEvents.SIZE + 2; i++) {
      exit(enter("t" + i, "x"), "t" + i, "x");
    }
    Object call = enter("lost", "x");
    exit(call, "lost", "x");
    assertThat(buffer.dropped()).isEqualTo(1);
    drain();
    assertThat(seen).doesNotContain("START lost/x");
    assertThat(seen).hasSize(2 * (ThreadEvents.SIZE + 2));
  }

  @Test
  void aCallEndThatOverflowsTheRingBringsItsStartThroughTheSharedPool() {
    for (int i = 0; i < ThreadEvents.SIZE; i++) {
      exit(enter("t" + i, "x"), "t" + i, "x");
    }
    exit(enter("over", "x"), "over", "x");
    assertThat(buffer.ringFullClaims()).isEqualTo(1);
    drain();
    assertThat(seen).hasSize(2 * (ThreadEvents.SIZE + 1));
    assertThat(seen.subList(seen.size() - 2, seen.size()))
        .containsExactly("START over/x", "END over/x");
  }

  /**
   * A thread makes 200,000 calls while the exporter drains on another thread: every call's start is
   * passed on once, before its end, with the labels and the time of that call (never those of
   * another call read half-written).
   */
  @Test
  void everyCallIsPassedOnOnceAndWholeWhileTheExporterDrains() throws Exception {
    buffer = new EventBuffer(16384);
    install(buffer);
    int calls = 200_000;
    String[] tasks = new String[calls];
    String[] agents = new String[calls];
    for (int i = 0; i < calls; i++) {
      tasks[i] = Integer.toString(i);
      agents[i] = "agent-" + i;
    }
    AtomicBoolean done = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger endsSeen =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread host =
        new Thread(
            () -> {
              for (int i = 0; i < calls; i++) {
                while (i - endsSeen.get() > 4000) {
                  Thread.onSpinWait(); // stays within what the ring and the pool hold
                }
                exit(enter(tasks[i], agents[i]), tasks[i], agents[i]);
              }
              done.set(true);
            });
    int[] starts = new int[calls];
    int[] ends = new int[calls];
    long[] startTimes = new long[calls];
    List<String> errors = new ArrayList<>();
    java.util.function.Consumer<Event> exporter =
        e -> {
          int i = Integer.parseInt((String) e.task);
          if (e.taskId != tasks[i] || e.agentId != agents[i]) {
            errors.add("call " + i + " passed on with another call's labels");
          }
          if (e.kind == Event.TASK_START) {
            starts[i]++;
            startTimes[i] = e.startNanos;
          } else {
            if (starts[i] != 1 || startTimes[i] != e.startNanos) {
              errors.add("call " + i + " ended after " + starts[i] + " starts");
            }
            ends[i]++;
            endsSeen.set(i + 1);
          }
        };
    host.start();
    while (!done.get()) {
      buffer.drain(exporter);
    }
    host.join();
    buffer.drain(exporter);
    assertThat(buffer.dropped()).isZero();
    assertThat(errors).as("first errors").isEmpty();
    for (int i = 0; i < calls; i++) {
      if (starts[i] != 1 || ends[i] != 1) {
        assertThat(new int[] {starts[i], ends[i]})
            .as("call %d: starts, ends", i)
            .containsExactly(1, 1);
      }
    }
  }
}
