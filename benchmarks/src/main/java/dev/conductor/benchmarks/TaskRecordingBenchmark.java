package dev.conductor.benchmarks;

import com.example.benchapp.Agent;
import com.example.benchapp.Task;
import com.example.benchapp.TaskResult;
import com.example.benchapp.UnmonitoredAgent;
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
 * Cost of one instrumented task call, each variant in its own fork:
 *
 * <ul>
 *   <li>{@link #baseline}: the task method, no agent;
 *   <li>{@link #clockFloor}: the same call between two {@link System#nanoTime()} reads, by hand:
 *       the floor for anything that times a call;
 *   <li>{@link #withAgent}: the same call in a JVM started with the real agent jar and a task point
 *       on {@link Agent#execute} with the demo's five labels, default settings otherwise. Needs
 *       {@code -prof dev.conductor.benchmarks.AgentForkProfiler}, which adds the {@code -javaagent}
 *       option.
 * </ul>
 *
 * <p>Back to back, the task method is called millions of times a second, far faster than the
 * agent's exporter thread drains events, so most calls of {@link #withAgent} find the event pool
 * empty and take the short drop path (no label capture, no publish): its score is a mix of the two
 * paths, and the fork prints the share of drops.
 *
 * <p>The cost of the full path is measured by the {@code paired*} variants, inside one fork: each
 * operation first burns {@value #PACE_TOKENS} {@link Blackhole#consumeCPU} tokens, so that the
 * exporter (woken every 10 ms, {@code agent.drain_interval_ms=10}) keeps up and no event is
 * dropped, then times one call of the instrumented {@link Agent#execute}, one of {@link
 * UnmonitoredAgent#execute} (the same code, never instrumented) and one of that twin between two
 * {@link System#nanoTime()} reads by hand, each with {@link System#nanoTime()}, the order rotating
 * from one operation to the next. The fork prints the mean time of each, the agent's added cost per
 * recorded call (instrumented minus twin), the clock floor (hand-timed minus twin) and their ratio,
 * the target: measured within the same operations, the ratio does not move with the
 * machine's speed the way either figure does on a shared virtual machine. Comparing JMH scores of
 * paced forks with and without the agent instead does not work on a shared virtual machine: the
 * pacing work alone varies by a few percent (a hundred nanoseconds and more) from fork to fork.
 * {@link #pairedControl} runs the same without the agent, where the difference must be about zero;
 * {@link #pairedWithAgentDemo} runs with the points of {@code config/examples/conductor-demo.yaml}
 * (task, enqueue and agent points), with which the agent also records the start of each task call.
 *
 * <p>Every fork checks in {@code @Setup} that the agent is attached if and only if it should be.
 * After each iteration the fork prints the calls made, the bytes allocated by the benchmark thread
 * alone per call (JMH's {@code -prof gc} counts every thread of the JVM, the agent's exporter
 * thread included) and, with the agent, how many events the agent dropped because its pool was
 * empty.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TaskRecordingBenchmark {
  /**
   * Work before each operation of the paired variants: about 3.4 us on the machine of
   * PERFORMANCE.md.
   */
  static final int PACE_TOKENS = 1500;

  /** Lets the exporter wake up often enough to keep up with the paired variants' calls. */
  static final String FAST_DRAIN = "-Dconductor.agent.drain_interval_ms=10";

  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};

  private Agent agent;
  private final UnmonitoredAgent twin = new UnmonitoredAgent("agent-2");
  private final Task[] tasks = new Task[TYPES.length];

  /** Calls so far; also picks the task, the same way in every variant. */
  private long calls;

  /** Sum of the durations timed by {@link #clockFloor}, so that the clock reads are used. */
  private long timedNanos;

  private IterationCounters counters;

  /** Paired variants: timed calls of each agent in this iteration and their summed durations. */
  private long pairs;

  /**
   * The three timed regions' durations, summed exactly for the means; whether the agent shifts
   * every call or makes some calls much slower shows in the quantiles, not in the means.
   */
  private final PairedTimes times = new PairedTimes();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    // With the agent, premain ran before JMH loaded any benchmark class: Agent is woven.
    agent = new Agent("agent-1");
    counters = IterationCounters.forFork(params.getBenchmark(), () -> agent.execute(tasks[0]));
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    counters.start(calls);
    pairs = 0;
    times.reset();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    StringBuilder line = counters.line(calls, 1);
    if (pairs > 0) {
      double monitored = times.monitored.mean();
      double unmonitored = times.unmonitored.mean();
      line.append(
              String.format(
                  Locale.ROOT,
                  ", timed call: monitored %.1f ns, unmonitored %.1f ns, added %.1f ns; ",
                  monitored,
                  unmonitored,
                  monitored - unmonitored))
          .append(times.describeFloor());
      line.append("; quantiles 10/50/90/99%: monitored ")
          .append(quantiles(times.monitored))
          .append(", unmonitored ")
          .append(quantiles(times.unmonitored))
          .append(", hand-timed ")
          .append(quantiles(times.handTimed));
    }
    System.out.println(line);
  }

  private static String quantiles(NanosHistogram histogram) {
    return histogram.quantile(0.1)
        + "/"
        + histogram.quantile(0.5)
        + "/"
        + histogram.quantile(0.9)
        + "/"
        + histogram.quantile(0.99);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (timedNanos < 0) {
      throw new AssertionError("clock went backwards");
    }
  }

  private Task nextTask() {
    return tasks[(int) (calls++ & (TYPES.length - 1))];
  }

  @Benchmark
  public TaskResult baseline() {
    return agent.execute(nextTask());
  }

  @Benchmark
  public TaskResult clockFloor() {
    long start = System.nanoTime();
    TaskResult result = agent.execute(nextTask());
    timedNanos += System.nanoTime() - start;
    return result;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = AgentForkProfiler.MARKER)
  public TaskResult withAgent() {
    return agent.execute(nextTask());
  }

  @Benchmark
  public TaskResult pairedControl() {
    return paired();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.MARKER, FAST_DRAIN})
  public TaskResult pairedWithAgent() {
    return paired();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.DEMO_MARKER, FAST_DRAIN})
  public TaskResult pairedWithAgentDemo() {
    return paired();
  }

  /** As {@link #pairedWithAgent} with tracing off: what spans add to a task call. */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.MARKER, FAST_DRAIN, "-Dconductor.tracing.enabled=false"})
  public TaskResult pairedWithAgentNoTracing() {
    return paired();
  }

  /**
   * Paced, then one timed call of each of the three, the order rotating from one operation to the
   * next.
   */
  private TaskResult paired() {
    Blackhole.consumeCPU(PACE_TOKENS);
    Task task = nextTask();
    TaskResult monitored = null;
    TaskResult unmonitored = null;
    int first = (int) (pairs % 3);
    for (int i = 0; i < 3; i++) {
      int which = (first + i) % 3;
      long start = System.nanoTime();
      if (which == 0) {
        monitored = agent.execute(task);
        times.monitored.record(System.nanoTime() - start);
      } else if (which == 1) {
        unmonitored = twin.execute(task);
        times.unmonitored.record(System.nanoTime() - start);
      } else {
        handTimed(task);
        times.handTimed.record(System.nanoTime() - start);
      }
    }
    pairs++;
    return monitored == unmonitored ? monitored : unmonitored;
  }

  /** The twin between two clock reads, as {@link #clockFloor} times the task call. */
  private void handTimed(Task task) {
    long start = System.nanoTime();
    twin.execute(task);
    timedNanos += System.nanoTime() - start;
  }
}
