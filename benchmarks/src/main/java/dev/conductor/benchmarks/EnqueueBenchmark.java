package dev.conductor.benchmarks;

import com.example.benchapp.Orchestrator;
import com.example.benchapp.Task;
import com.example.benchapp.UnmonitoredOrchestrator;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of one instrumented enqueue call, measured as {@link TaskRecordingBenchmark}'s {@code
 * paired*} variants measure a task call: each operation burns {@value
 * TaskRecordingBenchmark#PACE_TOKENS} {@link Blackhole#consumeCPU} tokens, so that the exporter
 * keeps up and no event is dropped, then times with {@link System#nanoTime()}, in alternating
 * order, one call of {@link Orchestrator#submit} and one of {@link UnmonitoredOrchestrator#submit}
 * (the same code, never instrumented). The difference of the means is what the agent adds to a
 * submit, its own clock read included.
 *
 * <ul>
 *   <li>{@link #submitPairedControl}: no agent; the difference must be about zero;
 *   <li>{@link #submitPairedWithAgent}: the agent with {@code conductor-bench-enqueue.yaml}, one
 *       enqueue point on {@link Orchestrator#submit} with the labels of the demo config's enqueue
 *       point ({@code task: arg0}, {@code task_type: arg0.type}, {@code priority: arg0.priority}).
 * </ul>
 *
 * <p>The submitted tasks are never run: only the enqueue side is measured here, one event per call.
 * {@link ExecutorBenchmark} measures a real hand-over to a pool. After each iteration the fork
 * prints the counters of {@link IterationCounters}, the mean and median of each timed call, and the
 * added time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EnqueueBenchmark {
  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};

  private final Orchestrator orchestrator = new Orchestrator();
  private final UnmonitoredOrchestrator twin = new UnmonitoredOrchestrator();
  private final Task[] tasks = new Task[TYPES.length];

  /** Calls so far; also picks the task, the same way in every variant. */
  private long calls;

  private IterationCounters counters;

  /** Timed calls of each orchestrator in this iteration. */
  private final NanosHistogram monitored = new NanosHistogram();

  private final NanosHistogram unmonitored = new NanosHistogram();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String name = params.getBenchmark();
    String variant = name.substring(name.lastIndexOf('.') + 1);
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    AgentCheck.Buffer agentBuffer = null;
    if (AgentCheck.agentWanted()) {
      agentBuffer = AgentCheck.requireAgent(() -> orchestrator.submit(tasks[0]));
      System.out.println(
          "["
              + variant
              + "] agent attached with "
              + System.getProperty(AgentCheck.MARKER_PROPERTY)
              + ".yaml, buffer capacity "
              + agentBuffer.capacity());
    } else {
      AgentCheck.requireNoAgent();
    }
    counters = new IterationCounters(variant, agentBuffer);
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    counters.start(calls);
    monitored.reset();
    unmonitored.reset();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    StringBuilder line = counters.line(calls, 1);
    line.append(
        String.format(
            Locale.ROOT,
            ", timed call: monitored %.1f ns, unmonitored %.1f ns, added %.1f ns;"
                + " medians %d and %d ns, added %d ns",
            monitored.mean(),
            unmonitored.mean(),
            monitored.mean() - unmonitored.mean(),
            monitored.median(),
            unmonitored.median(),
            monitored.median() - unmonitored.median()));
    System.out.println(line);
  }

  @Benchmark
  public Task submitPairedControl() {
    return paired();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.ENQUEUE_MARKER, TaskRecordingBenchmark.FAST_DRAIN})
  public Task submitPairedWithAgent() {
    return paired();
  }

  /**
   * Paced, then one timed submit on each orchestrator, the order alternating from one operation to
   * the next. The histograms are written after the second clock read, outside both timed calls.
   */
  private Task paired() {
    Blackhole.consumeCPU(TaskRecordingBenchmark.PACE_TOKENS);
    Task task = tasks[(int) (calls & (TYPES.length - 1))];
    long t0;
    long t1;
    long t2;
    if ((calls & 1) == 0) {
      t0 = System.nanoTime();
      orchestrator.submit(task);
      t1 = System.nanoTime();
      twin.submit(task);
      t2 = System.nanoTime();
      monitored.record(t1 - t0);
      unmonitored.record(t2 - t1);
    } else {
      t0 = System.nanoTime();
      twin.submit(task);
      t1 = System.nanoTime();
      orchestrator.submit(task);
      t2 = System.nanoTime();
      unmonitored.record(t1 - t0);
      monitored.record(t2 - t1);
    }
    calls++;
    return task;
  }
}
