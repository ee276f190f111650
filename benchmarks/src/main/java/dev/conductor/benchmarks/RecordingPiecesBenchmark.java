package dev.conductor.benchmarks;

import com.example.benchapp.Agent;
import com.example.benchapp.Task;
import com.example.benchapp.TaskResult;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.TaskEvent;
import dev.conductor.bootstrap.TaskRecorder;
import dev.conductor.instrumentation.TaskPoint;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.lang.reflect.Constructor;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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

/**
 * The pieces of the agent's recording path, timed in a JVM without the agent by calling the same
 * classes directly (the unshaded {@code conductor-bootstrap} and {@code conductor-instrumentation}
 * modules), around the same task call as {@link TaskRecordingBenchmark}:
 *
 * <ul>
 *   <li>{@link #callDepthPair}: the two thread-local lookups and the depth counter of {@code
 *       TaskRecorder.enter/exit} ({@code CallDepth} is package-private; this is a copy);
 *   <li>{@link #labelCapture}: the point's five label expressions ({@code TaskPointCapture}, the
 *       real class, built by reflection) filling one event;
 *   <li>{@link #recorderDirect}: {@code TaskRecorder.enter()} and {@code exit(..)} exactly as the
 *       woven advice calls them, with the real capture and a buffer emptied by a {@link Drainer}
 *       whose sink does nothing (no Prometheus work competing for the second core).
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
    int depth;
  }

  private static final ThreadLocal<Depth> DEPTH = ThreadLocal.withInitial(Depth::new);

  private Agent agent;
  private final Task[] tasks = new Task[TYPES.length];
  private long calls;
  private final TaskEvent event = new TaskEvent();
  private LabelCapture capture;
  private EventBuffer buffer;
  private Drainer drainer;
  private long iterationCalls;
  private long iterationDropped;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    AgentCheck.requireNoAgent();
    agent = new Agent("agent-1");
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    TaskPoint.TaskLabels labels =
        new TaskPoint.TaskLabels(
            LabelExpression.parse("arg0.type"),
            LabelExpression.parse("arg0.id"),
            LabelExpression.parse("this.id"),
            LabelExpression.parse("arg0.priority"),
            LabelExpression.parse("return.status"));
    Constructor<?> constructor =
        Class.forName("dev.conductor.instrumentation.TaskPointCapture")
            .getDeclaredConstructor(TaskPoint.TaskLabels.class);
    constructor.setAccessible(true);
    capture = (LabelCapture) constructor.newInstance(labels);
    buffer = new EventBuffer(EventBufferBenchmark.CAPACITY);
    TaskRecorder.install(buffer, new LabelCapture[] {capture});
    drainer = new Drainer(buffer, EventBufferBenchmark.DRAIN_INTERVAL_MS);
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    iterationCalls = calls;
    iterationDropped = buffer.dropped();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long dropped = buffer.dropped() - iterationDropped;
    if (dropped > 0) {
      long made = calls - iterationCalls;
      System.out.printf(
          Locale.ROOT,
          "[pieces] calls %d, events dropped %d (%.1f%%)%n",
          made,
          dropped,
          100.0 * dropped / made);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    drainer.stop();
  }

  private Task nextTask() {
    return tasks[(int) (calls++ & (TYPES.length - 1))];
  }

  @Benchmark
  public TaskResult callDepthPair() {
    Depth enter = DEPTH.get();
    if (enter.depth++ > 0) {
      throw new AssertionError("nested");
    }
    TaskResult result = agent.execute(nextTask());
    Depth exit = DEPTH.get();
    exit.depth--;
    return result;
  }

  @Benchmark
  public TaskEvent labelCapture() {
    Task task = nextTask();
    TaskResult result = agent.execute(task);
    capture.capture(event, agent, task, null, null, null, result);
    return event;
  }

  @Benchmark
  public TaskResult recorderDirect() {
    Task task = nextTask();
    long start = TaskRecorder.enter();
    TaskResult result = agent.execute(task);
    TaskRecorder.exit(0, start, agent, task, null, null, null, result, null);
    return result;
  }
}
