package dev.conductor.exporter.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.agents.AgentTracker;
import dev.conductor.exporter.api.ApiMetrics;
import dev.conductor.exporter.executors.ExecutorTracker;
import dev.conductor.exporter.metrics.ErrorMetrics;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.TaskMetrics;
import dev.conductor.exporter.queue.QueueSettings;
import dev.conductor.exporter.queue.QueueTracker;
import dev.conductor.exporter.tracing.SpanAssembler;
import dev.conductor.exporter.tracing.TraceRecorder;
import dev.conductor.exporter.tracing.TraceStore;
import dev.conductor.exporter.tracing.TracingSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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

  /** The aggregates wired as {@code ConductorExporter} wires them, without threads or servers. */
  private static EventRouter router(boolean startsTracked) {
    return router(startsTracked, null);
  }

  private static EventRouter router(boolean startsTracked, TracingSettings tracing) {
    PrometheusRegistry registry = new PrometheusRegistry();
    LabelValues labels = new LabelValues(128);
    int maxSeries = 100;
    double[] buckets = {0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
    ErrorMetrics errors = new ErrorMetrics(registry, labels, maxSeries);
    TraceRecorder traces =
        tracing == null
            ? null
            : new TraceRecorder(
                new SpanAssembler(
                    labels, List.of("Agent.execute"), List.of("submit"), Clock.systemUTC()),
                new TraceStore(tracing, span -> {}));
    TaskMetrics tasks =
        new TaskMetrics(
            registry,
            errors,
            labels,
            List.of("Agent.execute"),
            buckets,
            maxSeries,
            traces == null ? null : traces.store());
    QueueTracker queue =
        new QueueTracker(
            registry,
            labels,
            new QueueSettings(5, 10_000, 10_000, 60, buckets, maxSeries),
            s -> {});
    AgentTracker agents = new AgentTracker(registry, labels, 600, maxSeries);
    ApiMetrics api = new ApiMetrics(registry, labels, buckets, maxSeries);
    ExecutorTracker executors =
        new ExecutorTracker(
            registry, labels, errors, buckets, buckets, 10_000, maxSeries, Map.of());
    return new EventRouter(tasks, queue, agents, api, executors, startsTracked, traces);
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
    TracingSettings tracing =
        new TracingSettings(
            true, 1.0, Long.MAX_VALUE, 1000, 256, "test", "", Map.of(), 1000, 512, 4096, 1000);
    long start = System.nanoTime();
    double bytes = bytesPerEvent(router(true, tracing), events);
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
