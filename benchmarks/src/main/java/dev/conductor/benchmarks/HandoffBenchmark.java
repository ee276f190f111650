package dev.conductor.benchmarks;

import com.example.benchapp.Agent;
import com.example.benchapp.Orchestrator;
import com.example.benchapp.Task;
import com.example.benchapp.TaskResult;
import com.example.benchapp.UnmonitoredAgent;
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
 * A task's whole way through the agent: the orchestrator's {@code submit(task)} (an enqueue point),
 * then an agent's {@code execute(task)} (a task point) of the same task, timed together against
 * never-instrumented twins, as in {@link TaskRecordingBenchmark}'s paired variants. With tracing,
 * the submit opens a span and leaves its context for the task, and the execute takes it and opens
 * the task's span as its child: {@link #submitThenExecuteWithAgent} minus {@link
 * #submitThenExecuteWithAgentNoTracing} is what trace context capture and restore add to a task.
 * (Both run on one thread here; the hand-over table does not care which thread takes.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HandoffBenchmark {
  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};

  private final Orchestrator orchestrator = new Orchestrator();
  private final UnmonitoredOrchestrator twinOrchestrator = new UnmonitoredOrchestrator();
  private final Agent agent = new Agent("agent-1");
  private final UnmonitoredAgent twinAgent = new UnmonitoredAgent("agent-2");
  private final Task[] tasks = new Task[TYPES.length];
  private long calls;
  private IterationCounters counters;
  private final PairedTimes times = new PairedTimes();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    counters = IterationCounters.forFork(params.getBenchmark(), () -> agent.execute(tasks[0]));
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    counters.start(calls);
    times.reset();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    System.out.println(counters.line(calls, 3).append(times.describe("submit+execute")));
  }

  @Benchmark
  public TaskResult submitThenExecuteControl() {
    return paired();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.DEMO_MARKER, TaskRecordingBenchmark.FAST_DRAIN})
  public TaskResult submitThenExecuteWithAgent() {
    return paired();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {
        AgentForkProfiler.DEMO_MARKER,
        TaskRecordingBenchmark.FAST_DRAIN,
        "-Dconductor.tracing.enabled=false"
      })
  public TaskResult submitThenExecuteWithAgentNoTracing() {
    return paired();
  }

  /** Paced, then the pair of calls on each side, the order alternating. */
  private TaskResult paired() {
    Blackhole.consumeCPU(TaskRecordingBenchmark.PACE_TOKENS);
    Task task = tasks[(int) (calls & (TYPES.length - 1))];
    TaskResult result;
    long t0;
    long t1;
    long t2;
    if ((calls & 1) == 0) {
      t0 = System.nanoTime();
      orchestrator.submit(task);
      result = agent.execute(task);
      t1 = System.nanoTime();
      twinOrchestrator.submit(task);
      twinAgent.execute(task);
      t2 = System.nanoTime();
      times.monitored.record(t1 - t0);
      times.unmonitored.record(t2 - t1);
    } else {
      t0 = System.nanoTime();
      twinOrchestrator.submit(task);
      twinAgent.execute(task);
      t1 = System.nanoTime();
      orchestrator.submit(task);
      result = agent.execute(task);
      t2 = System.nanoTime();
      times.unmonitored.record(t1 - t0);
      times.monitored.record(t2 - t1);
    }
    calls++;
    return result;
  }
}
