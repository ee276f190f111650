package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans opened and closed by the recorders, and context handed from an enqueue to a task start. */
class TracingTest {
  private EventBuffer buffer;

  @BeforeEach
  void install() {
    buffer = new EventBuffer(64);
    Recorders.install(
        buffer,
        new LabelCapture[] {LabelCapture.NONE},
        new boolean[] {false},
        new LabelCapture[] {LabelCapture.NONE},
        new LabelCapture[0],
        new LabelCapture[0]);
    Tracing.install(1024, new int[] {0}, new int[] {0}); // task object: arg0 on both sides
  }

  private List<long[]> drainSpans() {
    List<long[]> spans = new ArrayList<>();
    buffer.drain(
        e -> {
          Tracing.makeIds(e); // as the exporter does first
          spans.add(
              new long[] {
                e.kind,
                e.traceIdHigh,
                e.traceIdLow,
                e.spanId,
                e.parentSpanId,
                e.enqueuedAt,
                e.startNanos
              });
        });
    return spans;
  }

  @Test
  void aSpanWhoseIdsNobodyReadClosesWithoutIdsAndTheExporterMakesThem() {
    Object start = TaskRecorder.enter(0, null, "leaf", null, null, null);
    TaskRecorder.exit(0, start, null, "leaf", null, null, null, null, null);
    long[] before = new long[3];
    long[] after = new long[3];
    buffer.drain(
        e -> {
          assertThat(e.spanClosed).isTrue();
          assertThat(e.threadName())
              .as("named after the thread whose ring it came from")
              .isEqualTo(Thread.currentThread().getName());
          before[0] = e.traceIdHigh | e.traceIdLow;
          before[1] = e.spanId;
          Tracing.makeIds(e);
          after[0] = e.traceIdHigh | e.traceIdLow;
          after[1] = e.spanId;
          after[2] = e.parentSpanId;
        });
    assertThat(before).as("no id made on the host's thread").containsExactly(0, 0, 0);
    assertThat(after[0]).as("a new trace").isNotZero();
    assertThat(after[1]).isNotZero();
    assertThat(after[2]).as("a root span").isZero();
  }

  @Test
  void readingTheContextMakesTheIdsItReportsAndTheSpanKeepsThem() {
    Object start = TaskRecorder.enter(0, null, "read", null, null, null);
    String first = Tracing.currentTraceparent();
    String second = Tracing.currentTraceparent();
    TaskRecorder.exit(0, start, null, "read", null, null, null, null, null);
    long[] span = drainSpans().get(0);
    assertThat(first).isNotNull().isEqualTo(second);
    assertThat(first)
        .as("the span closes with the ids read")
        .isEqualTo(TraceParent.format(span[1], span[2], span[3]));
  }

  @Test
  void aTaskStartedOnAnotherThreadIsAChildOfTheCallThatEnqueuedIt() throws Exception {
    Object task = new Object();
    Object enqueued = QueueRecorder.enter(0, null, task, null, null, null);
    QueueRecorder.exit(0, enqueued, null, task, null, null, null, null, null);

    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<?> run =
          other.submit(
              () -> {
                Object start = TaskRecorder.enter(0, null, task, null, null, null);
                TaskRecorder.exit(0, start, null, task, null, null, null, null, null);
              });
      run.get();
    } finally {
      other.shutdown();
    }

    List<long[]> spans = drainSpans();
    assertThat(spans).hasSize(2);
    long[] enqueue = spans.get(0);
    long[] execution = spans.get(1);
    assertThat(enqueue[0]).isEqualTo(Event.ENQUEUE);
    assertThat(enqueue[4]).as("the enqueue starts a trace").isZero();
    assertThat(execution[0]).isEqualTo(Event.TASK_END);
    assertThat(execution[1]).as("same trace id, high").isEqualTo(enqueue[1]);
    assertThat(execution[2]).as("same trace id, low").isEqualTo(enqueue[2]);
    assertThat(execution[4]).as("parent is the enqueue span").isEqualTo(enqueue[3]);
    assertThat(execution[5]).as("enqueue time handed over").isEqualTo(enqueue[6]);
  }

  @Test
  void aTaskRunsOnceWithItsContextAndAnEnqueueThatThrewLeavesNone() {
    Object task = new Object();
    Object enqueued = QueueRecorder.enter(0, null, task, null, null, null);
    QueueRecorder.exit(
        0, enqueued, null, task, null, null, null, null, new IllegalStateException());

    Object start = TaskRecorder.enter(0, null, task, null, null, null);
    TaskRecorder.exit(0, start, null, task, null, null, null, null, null);

    List<long[]> spans = drainSpans();
    assertThat(spans).as("a failed enqueue is not published").hasSize(1);
    assertThat(spans.get(0)[4]).as("the task starts its own trace").isZero();
    assertThat(spans.get(0)[5]).isZero();
  }

  /** A task class as the weaver gives it fields for the context, written by hand. */
  static final class CarryingTask implements ContextCarrier {
    long traceHigh;
    long traceLow;
    long parentSpan;
    long enqueuedAt;

    @Override
    public void conductor$handOver(
        long traceHigh, long traceLow, long parentSpan, long enqueuedAt) {
      this.traceHigh = traceHigh;
      this.traceLow = traceLow;
      this.parentSpan = parentSpan;
      this.enqueuedAt = enqueuedAt;
    }

    @Override
    public long conductor$traceHigh() {
      return traceHigh;
    }

    @Override
    public long conductor$traceLow() {
      return traceLow;
    }

    @Override
    public long conductor$parentSpan() {
      return parentSpan;
    }

    @Override
    public long conductor$enqueuedAt() {
      return enqueuedAt;
    }
  }

  @Test
  void aCarrierHoldsItsContextInItsOwnFieldsUntilItsStartTakesIt() {
    CarryingTask task = new CarryingTask();
    Object failed = QueueRecorder.enter(0, null, task, null, null, null);
    assertThat(task.traceHigh | task.traceLow)
        .as("left on entry, before the task can reach a worker")
        .isNotZero();
    QueueRecorder.exit(0, failed, null, task, null, null, null, null, new IllegalStateException());
    assertThat(new long[] {task.traceHigh, task.traceLow, task.parentSpan, task.enqueuedAt})
        .as("an enqueue that threw takes its context back")
        .containsOnly(0);

    Object enqueued = QueueRecorder.enter(0, null, task, null, null, null);
    QueueRecorder.exit(0, enqueued, null, task, null, null, null, null, null);
    Object start = TaskRecorder.enter(0, null, task, null, null, null);
    assertThat(task.traceHigh | task.traceLow).as("taken by the start").isZero();
    TaskRecorder.exit(0, start, null, task, null, null, null, null, null);
    Object again = TaskRecorder.enter(0, null, task, null, null, null);
    TaskRecorder.exit(0, again, null, task, null, null, null, null, null);

    List<long[]> spans = drainSpans();
    assertThat(spans).hasSize(3);
    long[] enqueue = spans.get(0);
    long[] execution = spans.get(1);
    assertThat(execution[1]).isEqualTo(enqueue[1]);
    assertThat(execution[2]).isEqualTo(enqueue[2]);
    assertThat(execution[4]).as("parent is the enqueue span").isEqualTo(enqueue[3]);
    assertThat(execution[5]).as("enqueue time handed over").isEqualTo(enqueue[6]);
    assertThat(spans.get(2)[4]).as("started again without an enqueue: a trace of its own").isZero();
  }

  @Test
  void spansNestAndTheStackUnwinds() {
    long outer = OperationRecorder.enter();
    Object inner = TaskRecorder.enter(0, null, "not enqueued", null, null, null);
    TaskRecorder.exit(0, inner, null, null, null, null, null, null, null);
    OperationRecorder.exit(0, outer, null);
    long next = OperationRecorder.enter();
    OperationRecorder.exit(0, next, null);

    List<long[]> spans = drainSpans();
    assertThat(spans).hasSize(3);
    long[] task = spans.get(0);
    long[] operation = spans.get(1);
    long[] after = spans.get(2);
    assertThat(task[4]).isEqualTo(operation[3]);
    assertThat(task[1]).isEqualTo(operation[1]);
    assertThat(after[4]).as("the stack is empty again: a new trace").isZero();
    assertThat(after[1] == operation[1] && after[2] == operation[2]).isFalse();
    assertThat(Tracing.currentTraceparent()).isNull();
  }

  @Test
  void poolsCarryTheSubmittingThreadsContextToTheRunnable() throws Exception {
    Runnable runnable = () -> {};
    long outer = OperationRecorder.enter();
    String submitter = Tracing.currentTraceparent();
    Tracing.handToPool(CallDepth.current(), runnable);
    OperationRecorder.exit(0, outer, null);

    String[] seen = new String[2];
    Thread worker =
        new Thread(
            () -> {
              int saved = Tracing.restoreForRun(CallDepth.current(), runnable);
              seen[0] = Tracing.currentTraceparent();
              Tracing.restoredEnd(CallDepth.current(), saved);
              seen[1] = Tracing.currentTraceparent();
            });
    worker.start();
    worker.join();
    assertThat(seen[0]).isEqualTo(submitter);
    assertThat(seen[1]).isNull();
  }

  /**
   * A pool task that runs another inline (a thread pool's task helping a fork/join pool), each
   * carrying a context: each is current while it runs, and neither is left on the worker after.
   */
  @Test
  void aPoolTaskRunInsideAnotherUnwindsItsOwnContextAndTheOuterOneItsOwn() throws Exception {
    Runnable outerTask = () -> {};
    Runnable innerTask = () -> {};
    long first = OperationRecorder.enter();
    String outerContext = Tracing.currentTraceparent();
    Tracing.handToPool(CallDepth.current(), outerTask);
    OperationRecorder.exit(0, first, null);
    long second = OperationRecorder.enter();
    String innerContext = Tracing.currentTraceparent();
    Tracing.handToPool(CallDepth.current(), innerTask);
    OperationRecorder.exit(0, second, null);

    String[] seen = new String[4];
    Object pool = new Object();
    Thread worker =
        new Thread(
            () -> {
              CallDepth depth = CallDepth.current();
              ExecutorRecorder.starting(depth, pool, Thread.currentThread(), outerTask);
              seen[0] = Tracing.currentTraceparent();
              ExecutorRecorder.starting(depth, null, Thread.currentThread(), innerTask);
              seen[1] = Tracing.currentTraceparent();
              ExecutorRecorder.finished(depth, null, innerTask, null);
              seen[2] = Tracing.currentTraceparent();
              ExecutorRecorder.finished(depth, pool, outerTask, null);
              seen[3] = Tracing.currentTraceparent();
            });
    worker.start();
    worker.join();
    assertThat(innerContext).isNotEqualTo(outerContext);
    assertThat(seen).containsExactly(outerContext, innerContext, outerContext, null);
  }

  @Test
  void remoteParentsComeFromTraceparentHeaders() {
    String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    int saved = Tracing.restoreRemote(header);
    long start = OperationRecorder.enter();
    assertThat(Tracing.currentTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    OperationRecorder.exit(0, start, null);
    Tracing.endRemote(saved);

    long[] span = drainSpans().get(0);
    assertThat(span[4]).isEqualTo(0x00f067aa0ba902b7L);
    assertThat(Tracing.restoreRemote("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        .as("all-zero trace id")
        .isEqualTo(-1);
    assertThat(Tracing.restoreRemote("garbage")).isEqualTo(-1);
    assertThat(Tracing.restoreRemote("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
        .as("upper-case hex is not W3C")
        .isEqualTo(-1);
  }

  @Test
  void traceparentRoundTrips() {
    String text = TraceParent.format(0x0123456789abcdefL, -1L, 42L);
    assertThat(text).isEqualTo("00-0123456789abcdefffffffffffffffff-000000000000002a-01");
    assertThat(TraceParent.parse(text)).containsExactly(0x0123456789abcdefL, -1L, 42L);
  }
}
