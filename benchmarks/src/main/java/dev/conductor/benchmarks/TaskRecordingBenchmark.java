package dev.conductor.benchmarks;

import com.example.benchapp.Agent;
import com.example.benchapp.Task;
import com.example.benchapp.TaskResult;
import java.lang.management.ManagementFactory;
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

/**
 * Cost of one instrumented task call, three ways, each in its own fork:
 *
 * <ul>
 *   <li>{@link #baseline}: the task method, no agent;
 *   <li>{@link #clockFloor}: the same call between two {@link System#nanoTime()} reads, by hand:
 *       the floor for anything that times a call;
 *   <li>{@link #withAgent}: the same call in a JVM started with the real agent jar and a task point
 *       on {@link Agent#execute} with the demo's five labels. Needs {@code -prof
 *       dev.conductor.benchmarks.AgentForkProfiler}, which adds the {@code -javaagent} option.
 * </ul>
 *
 * <p>Every fork checks in {@code @Setup} that the agent is attached if and only if it should be.
 * After each iteration the fork prints the calls made, the bytes allocated by the benchmark thread
 * alone per call (JMH's {@code -prof gc} counts every thread of the JVM, the agent's exporter
 * thread included) and, with the agent, how many events the agent dropped because its buffer was
 * full.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TaskRecordingBenchmark {
  private static final String[] TYPES = {"code_review", "refactor", "analysis", "documentation"};

  private Agent agent;
  private final Task[] tasks = new Task[TYPES.length];

  /** Calls so far; also picks the task, the same way in every variant. */
  private long calls;

  /** Sum of the durations timed by {@link #clockFloor}, so that the clock reads are used. */
  private long timedNanos;

  private String variant;
  private AgentCheck.Buffer agentBuffer;
  private com.sun.management.ThreadMXBean threads;
  private long iterationCalls;
  private long iterationBytes;
  private long iterationDropped;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String name = params.getBenchmark();
    variant = name.substring(name.lastIndexOf('.') + 1);
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Task("task-" + i, TYPES[i], i * 3);
    }
    if (AgentCheck.agentWanted()) {
      // premain ran before JMH loaded any benchmark class, so Agent was woven as it loaded.
      agent = new Agent("agent-1");
      agentBuffer = AgentCheck.requireAgent(() -> agent.execute(tasks[0]));
      System.out.println(
          "[" + variant + "] agent attached, buffer capacity " + agentBuffer.capacity());
    } else {
      AgentCheck.requireNoAgent();
      agent = new Agent("agent-1");
    }
    threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    iterationCalls = calls;
    iterationBytes = threads.getCurrentThreadAllocatedBytes();
    iterationDropped = agentBuffer == null ? 0 : agentBuffer.dropped();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long bytes = threads.getCurrentThreadAllocatedBytes() - iterationBytes;
    long made = calls - iterationCalls;
    StringBuilder line =
        new StringBuilder()
            .append('[')
            .append(variant)
            .append("] calls ")
            .append(made)
            .append(", benchmark-thread bytes/call ")
            .append(String.format(Locale.ROOT, "%.4f", made == 0 ? 0.0 : (double) bytes / made));
    if (agentBuffer != null) {
      long dropped = agentBuffer.dropped() - iterationDropped;
      line.append(", events dropped ")
          .append(dropped)
          .append(
              String.format(Locale.ROOT, " (%.1f%%)", made == 0 ? 0.0 : 100.0 * dropped / made));
    }
    System.out.println(line);
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
}
