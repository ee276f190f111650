package dev.conductor.benchmarks;

import com.example.benchapp.Agent;
import com.example.benchapp.Task;
import com.example.benchapp.TaskResult;
import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.bootstrap.TaskRecorder;
import dev.conductor.instrumentation.PointLabels;
import dev.conductor.instrumentation.expression.ExpressionException;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The pieces of the agent's recording path, in a JVM without the agent, by calling the same classes
 * directly (the unshaded {@code conductor-bootstrap} and {@code conductor-instrumentation} modules)
 * around the same task call as {@link TaskRecordingBenchmark}:
 *
 * <ul>
 *   <li>{@link #callDepthPair}: the two thread-local lookups and the depth counter of {@code
 *       TaskRecorder.enter/exit} ({@code CallDepth} is package-private; this is a copy of it);
 *   <li>{@link #labelCapture}: the task point's label expressions (the {@code task} object, {@code
 *       arg0}, and the five labels of the benchmark config) filling one event, by the agent's own
 *       {@code PointCapture}, built by reflection;
 *   <li>{@link #recorderDirect}: {@code TaskRecorder.enter(..)} and {@code exit(..)} called exactly
 *       as the woven advice calls them, with that capture installed; the benchmark thread drains
 *       the pool itself every {@value EventBufferBenchmark#DRAIN_BATCH} calls (as {@link
 *       EventBufferBenchmark#claimPublish} does), so every call takes the full path, on one core;
 *   <li>{@link #pairedDirectInline} and {@link #pairedDirectDrainer}: the full path timed the way
 *       {@link TaskRecordingBenchmark#pairedWithAgent} times it (paced, then one call through
 *       {@code enter/exit} and one plain call, each between {@link System#nanoTime()} reads; the
 *       fork prints the difference), with the pool drained by the benchmark thread itself every
 *       {@value EventBufferBenchmark#DRAIN_BATCH} calls, or by a {@link Drainer} thread on the
 *       other core as the agent's exporter drains it (into a sink that does nothing). The
 *       difference between the two is what handing events between two cores costs the host thread.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RecordingPiecesBenchmark {
  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};

  /** Same shape as the agent's {@code CallDepth}. */
  static final class Depth {
    int tasks;
    int enqueues;
  }

  private static final ThreadLocal<Depth> DEPTH = ThreadLocal.withInitial(Depth::new);
  private static final Consumer<Event> NOTHING = event -> {};

  private Agent agent;
  private final Task[] tasks = new Task[TYPES.length];
  private long calls;
  private final Event event = new Event();
  private LabelCapture capture;
  private EventBuffer buffer;
  private Drainer drainer;
  private String variant;
  private long iterationCalls;
  private long iterationDropped;
  private long pairs;
  private long recordedNanos;
  private long plainNanos;

  @Setup(Level.Trial)
  public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
    AgentCheck.requireNoAgent();
    String name = params.getBenchmark();
    variant = name.substring(name.lastIndexOf('.') + 1);
    agent = new Agent("agent-1");
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    // What the agent compiles from conductor-bench.yaml: task defaults to arg0.
    PointLabels labels =
        new PointLabels(
            parse("arg0"),
            parse("arg0.type"),
            parse("arg0.id"),
            parse("this.id"),
            parse("arg0.priority"),
            parse("return.status"));
    Constructor<?> constructor =
        Class.forName("dev.conductor.instrumentation.PointCapture")
            .getDeclaredConstructor(PointLabels.class);
    constructor.setAccessible(true);
    capture = (LabelCapture) constructor.newInstance(labels);
    buffer = new EventBuffer(EventBufferBenchmark.CAPACITY);
    installOneTaskPoint(buffer, capture);
    if (variant.equals("pairedDirectDrainer")) {
      drainer = new Drainer(buffer);
    }
  }

  /**
   * {@code Recorders.install(buffer, taskCaptures, trackStarts, <other captures>...)} with one task
   * point whose starts are not tracked, as the agent installs conductor-bench.yaml. Called by
   * reflection because the list of other point kinds grows with the agent; only the first two
   * arrays matter here, the others are left empty. With a null {@code capture}, no point at all.
   */
  static void installOneTaskPoint(EventBuffer buffer, LabelCapture capture)
      throws ReflectiveOperationException {
    for (Method install : Recorders.class.getMethods()) {
      if (!install.getName().equals("install")) {
        continue;
      }
      Class<?>[] types = install.getParameterTypes();
      Object[] arguments = new Object[types.length];
      boolean tasksGiven = false;
      for (int i = 0; i < types.length; i++) {
        if (types[i] == EventBuffer.class) {
          arguments[i] = buffer;
        } else if (types[i] == LabelCapture[].class) {
          arguments[i] =
              tasksGiven || capture == null ? new LabelCapture[0] : new LabelCapture[] {capture};
          tasksGiven = true;
        } else if (types[i] == boolean[].class) {
          arguments[i] = capture == null ? new boolean[0] : new boolean[] {false};
        } else {
          throw new IllegalStateException("unexpected parameter of " + install + ": " + types[i]);
        }
      }
      install.invoke(null, arguments);
      return;
    }
    throw new IllegalStateException("no Recorders.install");
  }

  private static LabelExpression parse(String source) throws ExpressionException {
    return LabelExpression.parse(source);
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    iterationCalls = calls;
    iterationDropped = buffer.dropped();
    pairs = 0;
    recordedNanos = 0;
    plainNanos = 0;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    if (variant.startsWith("recorder") || variant.startsWith("paired")) {
      long made = calls - iterationCalls;
      long dropped = buffer.dropped() - iterationDropped;
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "[%s] calls %d, events dropped %d (%.1f%%)",
                  variant,
                  made,
                  dropped,
                  made == 0 ? 0.0 : 100.0 * dropped / made));
      if (pairs > 0) {
        double recorded = (double) recordedNanos / pairs;
        double plain = (double) plainNanos / pairs;
        line.append(
            String.format(
                Locale.ROOT,
                ", timed call: recorded %.1f ns, plain %.1f ns, added %.1f ns",
                recorded,
                plain,
                recorded - plain));
      }
      System.out.println(line);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (drainer != null) {
      drainer.stop();
    }
  }

  private Task nextTask() {
    return tasks[(int) (calls++ & (TYPES.length - 1))];
  }

  @Benchmark
  public TaskResult callDepthPair() {
    Depth enter = DEPTH.get();
    if (enter.tasks++ > 0) {
      throw new AssertionError("nested");
    }
    TaskResult result = agent.execute(nextTask());
    Depth exit = DEPTH.get();
    exit.tasks--;
    return result;
  }

  @Benchmark
  public Event labelCapture() {
    Task task = nextTask();
    TaskResult result = agent.execute(task);
    capture.capture(event, agent, task, null, null, null, result);
    return event;
  }

  @Benchmark
  public TaskResult recorderDirect() {
    TaskResult result = recordedCall(nextTask());
    if ((calls & (EventBufferBenchmark.DRAIN_BATCH - 1)) == 0) {
      buffer.drain(NOTHING);
    }
    return result;
  }

  @Benchmark
  public TaskResult pairedDirectInline() {
    TaskResult result = paired();
    if ((calls & (EventBufferBenchmark.DRAIN_BATCH - 1)) == 0) {
      buffer.drain(NOTHING);
    }
    return result;
  }

  @Benchmark
  public TaskResult pairedDirectDrainer() {
    return paired();
  }

  /** As {@code TaskRecordingBenchmark.paired()}, with the recorder called directly. */
  private TaskResult paired() {
    Blackhole.consumeCPU(TaskRecordingBenchmark.PACE_TOKENS);
    Task task = nextTask();
    long t0;
    long t1;
    long t2;
    TaskResult recorded;
    TaskResult plain;
    if ((pairs & 1) == 0) {
      t0 = System.nanoTime();
      recorded = recordedCall(task);
      t1 = System.nanoTime();
      plain = agent.execute(task);
      t2 = System.nanoTime();
      recordedNanos += t1 - t0;
      plainNanos += t2 - t1;
    } else {
      t0 = System.nanoTime();
      plain = agent.execute(task);
      t1 = System.nanoTime();
      recorded = recordedCall(task);
      t2 = System.nanoTime();
      plainNanos += t1 - t0;
      recordedNanos += t2 - t1;
    }
    pairs++;
    return recorded == plain ? recorded : plain;
  }

  private TaskResult recordedCall(Task task) {
    Object start = TaskRecorder.enter(0, agent, task, null, null, null);
    TaskResult result = agent.execute(task);
    TaskRecorder.exit(0, start, agent, task, null, null, null, result, null);
    return result;
  }
}
