package dev.conductor.benchmarks;

import com.example.benchapp.Agent;
import com.example.benchapp.Orchestrator;
import com.example.benchapp.Task;
import com.example.benchapp.TaskResult;
import com.example.benchapp.UnmonitoredOrchestrator;
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
 * keeps up and no event is dropped, then times with {@link System#nanoTime()}, in rotating order,
 * one call of {@link Orchestrator#submit}, one of {@link UnmonitoredOrchestrator#submit} (the same
 * code, never instrumented) and one of the latter between two clock reads by hand. The difference
 * of the first two means is what the agent adds to a submit, its own clock reads included; that of
 * the last two is the clock floor, against which the budget is set.
 *
 * <ul>
 *   <li>{@link #submitPairedControl}: no agent; the difference must be about zero;
 *   <li>{@link #submitPairedWithAgent}: the agent with {@code conductor-bench-enqueue.yaml}, one
 *       enqueue point on {@link Orchestrator#submit} with the labels of the demo config's enqueue
 *       point ({@code task: arg0}, {@code task_type: arg0.type}, {@code priority: arg0.priority}),
 *       submitting the same four task objects over and over;
 *   <li>{@link #submitPairedWithAgentNewTasks}: the same with a new task object for every operation
 *       (made before the timed calls), as an orchestrator submits them, and a task point on {@link
 *       Agent#execute}, which the operation calls after the timed calls (untimed), so that each
 *       task starts and takes the trace context its enqueue left for it, as in an orchestrator.
 *       {@link Task} is the declared type of both points' task argument, so it carries that context
 *       in fields the agent adds to it as it loads; with {@code
 *       -Dconductor.tracing.task_fields=false} in the fork's options the context goes through the
 *       agent's hand-over table instead, keyed by {@link System#identityHashCode}, which costs more
 *       the first time an object is hashed.
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
  private final Agent worker = new Agent("agent-1");

  /** Calls so far; also picks the task, the same way in every variant. */
  private long calls;

  private IterationCounters counters;

  private final PairedTimes times = new PairedTimes();

  /** What the hand-timed calls measured, checked at the end so that their clock reads stay. */
  private long timedNanos;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    counters =
        IterationCounters.forFork(params.getBenchmark(), () -> orchestrator.submit(tasks[0]));
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    counters.start(calls);
    times.reset();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    System.out.println(
        counters
            .line(calls, 1)
            .append(times.describe("timed call"))
            .append("; ")
            .append(times.describeFloor()));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (timedNanos < 0) {
      throw new AssertionError("clock went backwards");
    }
  }

  @Benchmark
  public Task submitPairedControl() {
    return paired(tasks[(int) (calls & (TYPES.length - 1))]);
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.ENQUEUE_MARKER, TaskRecordingBenchmark.FAST_DRAIN})
  public Task submitPairedWithAgent() {
    return paired(tasks[(int) (calls & (TYPES.length - 1))]);
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.ENQUEUE_RUN_MARKER, TaskRecordingBenchmark.FAST_DRAIN})
  public TaskResult submitPairedWithAgentNewTasks() {
    Task like = tasks[(int) (calls & (TYPES.length - 1))];
    Task task = paired(new Task(like.getId(), like.getType(), like.getPriority()));
    return worker.execute(task); // untimed: the task starts and takes what its enqueue left
  }

  /**
   * Paced, then three timed calls, the order rotating from one operation to the next: a submit on
   * each orchestrator, and the twin's submit between two clock reads by hand, as {@link
   * TaskRecordingBenchmark} times its clock floor, so that the added time can be read against the
   * floor measured in the same operations.
   */
  private Task paired(Task task) {
    Blackhole.consumeCPU(TaskRecordingBenchmark.PACE_TOKENS);
    int first = (int) (calls % 3);
    for (int i = 0; i < 3; i++) {
      int which = (first + i) % 3;
      long start = System.nanoTime();
      if (which == 0) {
        orchestrator.submit(task);
        times.monitored.record(System.nanoTime() - start);
      } else if (which == 1) {
        twin.submit(task);
        times.unmonitored.record(System.nanoTime() - start);
      } else {
        handTimed(task);
        times.handTimed.record(System.nanoTime() - start);
      }
    }
    calls++;
    return task;
  }

  /** The twin's submit between two clock reads. */
  private void handTimed(Task task) {
    long start = System.nanoTime();
    twin.submit(task);
    timedNanos += System.nanoTime() - start;
  }
}
