package dev.conductor.exporter.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bytes the exporter thread allocates per event in steady state, read from the thread's own
 * allocation counter ({@code com.sun.management.ThreadMXBean}). It counts bytes, not time, so a
 * slow or busy machine cannot make it fail.
 *
 * <p>The events look like the demo's: five task types, four agents, string statuses, 3% thrown, a
 * unique task id and an {@code Integer} priority each. {@code -Dconductor.alloc.print=true} prints
 * the figures that docs/PERFORMANCE.md quotes.
 *
 * <p>The bounds are not the figures. With C2 a task end allocates 0 B; interpreted, or without
 * escape analysis, the Prometheus classic histogram still allocates 40 B per observation (a lambda
 * and an {@code AtomicBoolean} in {@code Histogram.DataPoint.observe}), which the bounds allow.
 */
class ExporterThreadAllocationTest {
  private static final String[] TYPES = {
    "code_review", "refactor", "test_generation", "analysis", "documentation"
  };
  private static final String[] AGENTS = {"agent-1", "agent-2", "agent-3", "agent-4"};
  private static final String[] STATUSES = {"success", "failed", "timeout", "partial"};
  private static final int TASKS = 4096; // per round, each with its own id and task object
  private static final int WARMUP_ROUNDS = 200; // 819 k tasks: C2 compiles the path long before
  private static final int MEASURED_ROUNDS = 100;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static EventRouter router(boolean startsTracked) {
    return WiredRouter.wire(startsTracked, null).router();
  }

  /** Each task's events in order: its end only, or enqueue, start and end. */
  private static Event[] tasks(boolean withEnqueueAndStart) {
    Random random = new Random(42);
    Throwable thrown = new IllegalStateException("task failed");
    int perTask = withEnqueueAndStart ? 3 : 1;
    Event[] events = new Event[TASKS * perTask];
    for (int i = 0; i < TASKS; i++) {
      Object task = new Object();
      String id = "task-" + i;
      String type = TYPES[i % TYPES.length];
      String agent = AGENTS[(i / TYPES.length) % AGENTS.length];
      Integer priority = random.nextInt(5);
      Event end = task(Event.TASK_END, task, id, type, agent, priority);
      end.durationNanos = 1_000_000L + random.nextInt(200_000_000);
      if (random.nextInt(100) < 3) {
        end.thrown = thrown;
      } else {
        end.status = STATUSES[random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(3)];
      }
      if (withEnqueueAndStart) {
        events[3 * i] = task(Event.ENQUEUE, task, id, type, null, priority);
        events[3 * i + 1] = task(Event.TASK_START, task, id, type, agent, priority);
        events[3 * i + 2] = end;
      } else {
        events[i] = end;
      }
    }
    return events;
  }

  private static Event task(
      int kind, Object task, String id, String type, String agent, Integer priority) {
    Event event = new Event();
    event.kind = kind;
    event.task = task;
    event.taskId = id;
    event.taskType = type;
    event.agentId = agent;
    event.priority = priority;
    return event;
  }

  /** Feeds the events round after round; returns bytes allocated per event over the last rounds. */
  private static double bytesPerEvent(EventRouter router, Event[] events) {
    long nanos = 0;
    for (int round = 0; round < WARMUP_ROUNDS; round++) {
      nanos = feed(router, events, nanos);
    }
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int round = 0; round < MEASURED_ROUNDS; round++) {
      nanos = feed(router, events, nanos);
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    return (double) allocated / ((long) MEASURED_ROUNDS * events.length);
  }

  /** Simulated clock: one event every 3 µs, about what the paced benchmark records. */
  private static long feed(EventRouter router, Event[] events, long nanos) {
    for (Event event : events) {
      nanos += 3_000;
      event.startNanos = nanos;
      router.accept(event);
    }
    return nanos;
  }

  private static void print(String what, double bytes) {
    if (Boolean.getBoolean("conductor.alloc.print")) {
      System.out.printf("exporter thread, %s: %.2f B/event%n", what, bytes);
    }
  }

  /**
   * With tracing every enqueue and task end is also a span, built and stored: a figure for
   * PERFORMANCE.md, bounded here only against gross regressions (a span leaking its event, say).
   */
  @Test
  void spansCostTheirObjectsAndNothingMore() {
    Event[] events = tasks(true);
    for (int i = 0; i < events.length; i++) {
      Event event = events[i];
      event.traceIdHigh = 1 + i / 3;
      event.traceIdLow = 7;
      event.spanId = event.kind == Event.TASK_START ? 0 : 100 + i;
      event.parentSpanId = event.kind == Event.TASK_END ? 100 + i - 2 : 0;
      event.threadName = "agent-1-worker";
    }
    long start = System.nanoTime();
    double bytes =
        bytesPerEvent(WiredRouter.wire(true, WiredRouter.KEEP_ALL_TRACES).router(), events);
    double nanos =
        (System.nanoTime() - start) / ((double) (WARMUP_ROUNDS + MEASURED_ROUNDS) * events.length);
    print("ENQUEUE + TASK_START + TASK_END with spans (demo points, tracing on)", bytes);
    if (Boolean.getBoolean("conductor.alloc.print")) {
      System.out.printf("exporter thread, with spans: %.0f ns/event (not a timed test)%n", nanos);
    }
    assertThat(bytes).isLessThan(1024);
  }

  @Test
  void taskEndsAllocateNothingOnceTheirSeriesAreKnown() {
    double bytes = bytesPerEvent(router(false), tasks(false));
    print("TASK_END only (one task point)", bytes);
    assertThat(bytes).isLessThan(64);
  }

  /** What remains is the queue-time join: an entry, its id index node and the enqueue record. */
  @Test
  void enqueueStartAndEndAllocateOnlyWhatWaitingTasksNeed() {
    double bytes = bytesPerEvent(router(true), tasks(true));
    print("ENQUEUE + TASK_START + TASK_END (demo points)", bytes);
    assertThat(bytes).isLessThan(96);
  }
}
