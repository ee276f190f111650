package dev.conductor.benchmarks;

import com.example.benchapp.Task;
import dev.conductor.bootstrap.ContextCarrier;
import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.bootstrap.Woven;
import dev.conductor.instrumentation.PointLabels;
import dev.conductor.instrumentation.expression.ExpressionException;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The enqueue hooks on one thread, as {@link PoolHooksBenchmark} runs the pool worker's: {@code
 * Woven.enqueueEnter} and {@code Woven.enqueueExit} around nothing, in a JVM without the agent (the
 * unshaded {@code conductor-bootstrap} module, installed as the agent installs {@code
 * conductor-bench-enqueue.yaml}: one enqueue point with the labels {@code task: arg0}, {@code
 * task_type: arg0.type} and {@code priority: arg0.priority}, tracing on), each with a new task
 * object that carries the trace context in fields, as a task class loaded after the agent does.
 *
 * <ul>
 *   <li>{@link #clockPair}: the two clock reads the hooks make, the floor;
 *   <li>{@link #enqueueHooks}: a new task, the hooks, and the task's start taking the context they
 *       left in it (as a task point's start does); the benchmark thread drains its own events every
 *       {@value #DRAIN_BATCH} calls, so that everything stays on one core;
 *   <li>{@link #newTaskOnly}: the new task and the start's take, without the hooks.
 * </ul>
 *
 * <p>{@code enqueueHooks − newTaskOnly − clockPair} is what the hooks' instructions add to their
 * clock reads, plus the drain of their event, which the agent's exporter does on another core.
 * {@link EnqueueBenchmark} measures the same call with the real agent. A throwaway build that
 * leaves out one part of the hooks, measured here against the full build in alternating forks,
 * shows what that part costs within a nanosecond or two (docs/PERFORMANCE.md, twentieth session).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class EnqueueHooksBenchmark {
  /** Fewer than a ring's events (256): the hooks never take the shared pool's path. */
  private static final int DRAIN_BATCH = 64;

  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};
  private static final Consumer<Event> NOTHING = event -> {};

  private EventBuffer buffer;
  private long calls;
  private CarrierTask lastTask;

  @Setup
  public void setUp() throws ReflectiveOperationException, ExpressionException {
    AgentCheck.requireNoAgent();
    PointLabels labels =
        new PointLabels(
            LabelExpression.parse("arg0"),
            LabelExpression.parse("arg0.type"),
            null,
            null,
            LabelExpression.parse("arg0.priority"),
            null);
    // As the agent makes it: after its first calls, its compiled form replaces it.
    Method compiling =
        Class.forName("dev.conductor.instrumentation.PointCapture")
            .getDeclaredMethod("compiling", PointLabels.class);
    compiling.setAccessible(true);
    LabelCapture capture = (LabelCapture) compiling.invoke(null, labels);
    buffer = new EventBuffer(EventBufferBenchmark.CAPACITY);
    Recorders.install(
        buffer,
        new LabelCapture[0],
        new boolean[0],
        new LabelCapture[] {capture},
        new LabelCapture[0],
        new LabelCapture[0]);
    Tracing.install(1024, new int[0], new int[] {0}); // the enqueue's task object: arg0
  }

  @TearDown
  public void tearDown() {
    if (buffer.dropped() != 0 || buffer.ringFullClaims() != 0) {
      throw new IllegalStateException("events dropped or overflowed: not the usual path");
    }
  }

  @Benchmark
  public void clockPair(Blackhole blackhole) {
    blackhole.consume(System.nanoTime());
    blackhole.consume(System.nanoTime());
  }

  @Benchmark
  public long enqueueHooks() {
    CarrierTask task = newTask();
    Object state = Woven.enqueueEnter(0, null, task, null, null, null);
    Woven.enqueueExit(0, state, null, task, null, null, null, null, null);
    if ((calls & (DRAIN_BATCH - 1)) == 0) {
      buffer.drain(NOTHING);
    }
    return start(task);
  }

  @Benchmark
  public long newTaskOnly() {
    CarrierTask task = newTask();
    lastTask = task; // escapes, as a task handed to the hooks does: allocated, not optimized away
    return start(task);
  }

  private CarrierTask newTask() {
    int type = (int) (calls++ & (TYPES.length - 1));
    return new CarrierTask(TYPES[type], type);
  }

  /** What a task point's start does with the context: reads it and clears it. */
  private static long start(CarrierTask task) {
    long parent = task.conductor$parentSpan();
    task.conductor$handOver(0, 0, 0, 0);
    return parent;
  }

  /**
   * A task whose class carries the trace context in fields, as the agent makes the task classes
   * that load after it ({@code ContextFields}), with the two getters of {@link Task} that the
   * point's labels read.
   */
  public static final class CarrierTask implements ContextCarrier {
    private final String type;
    private final int priority;
    private long traceHigh;
    private long traceLow;
    private long parentSpan;
    private long enqueuedAt;

    CarrierTask(String type, int priority) {
      this.type = type;
      this.priority = priority;
    }

    public String getType() {
      return type;
    }

    public int getPriority() {
      return priority;
    }

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
}
