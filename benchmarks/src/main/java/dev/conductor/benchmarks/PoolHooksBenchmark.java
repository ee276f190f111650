package dev.conductor.benchmarks;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.bootstrap.Woven;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 * The pool worker's side of a task in the agent, on one thread and without a pool: the thread pool
 * hooks of {@code Woven}, called as the woven {@code ThreadPoolExecutor.runWorker} calls them
 * around one task (after {@code beforeExecute}, before {@code afterExecute}), in a JVM without the
 * agent (the unshaded {@code conductor-bootstrap} module, installed with an event buffer as the
 * agent installs it, tracing on).
 *
 * <p>{@link ExecutorBenchmark} times the same work inside a real pool, between two tasks, where it
 * can only be compared across forks, whose spread (10–20 ns) is as large as most changes to the
 * hooks. Here the hooks run back to back in one fork, so a change of a few nanoseconds shows:
 *
 * <ul>
 *   <li>{@link #clockPair}: the two clock reads the hooks make (a task's start and end), the floor;
 *   <li>{@link #workerHooks}: the hooks, the benchmark thread draining its own events every {@value
 *       #DRAIN_BATCH} tasks, so that everything stays on one core: what the hooks cost in
 *       instructions, the drain included.
 * </ul>
 *
 * <p>The difference of the two scores is what the hooks' own instructions add to the clock reads,
 * which they can overlap (the CPU runs them while a clock read is pending). What a worker pays in a
 * real pool is more: the cache lines its hooks write are read by the exporter on the other core
 * (see {@link ExecutorBenchmark#executeRecordedByHand}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class PoolHooksBenchmark {
  /** Fewer than a ring's pool event slots (256): the hooks never take the shared pool's path. */
  private static final int DRAIN_BATCH = 64;

  private static final Consumer<Event> NOTHING = event -> {};

  /** Distinct tasks, reused round robin, as a pool's tasks are distinct objects. */
  private static final int TASKS = 64;

  private final Runnable[] tasks = new Runnable[TASKS];
  private ThreadPoolExecutor pool;
  private Thread worker;
  private EventBuffer buffer;
  private Object workerState;
  private long calls;

  @Setup(Level.Trial)
  public void setUp() throws ReflectiveOperationException {
    AgentCheck.requireNoAgent();
    for (int i = 0; i < TASKS; i++) {
      tasks[i] = new NamedTask(i);
    }
    // Never started: only its identity and class reach the hooks.
    pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1));
    worker = Thread.currentThread();
    buffer = new EventBuffer(EventBufferBenchmark.CAPACITY);
    RecordingPiecesBenchmark.installOneTaskPoint(buffer, null);
    Tracing.install(1024, new int[0], new int[0]);
    workerState = Woven.workerLoopEnter(); // once per worker, on the loop's entry
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (buffer.dropped() != 0) {
      throw new IllegalStateException(buffer.dropped() + " events dropped: not the full path");
    }
  }

  @Benchmark
  public void clockPair(Blackhole blackhole) {
    blackhole.consume(System.nanoTime());
    blackhole.consume(System.nanoTime());
  }

  @Benchmark
  public void workerHooks() {
    runHooks();
    if ((calls & (DRAIN_BATCH - 1)) == 0) {
      buffer.drain(NOTHING);
    }
  }

  /** One task's hooks, as the woven {@code ThreadPoolExecutor.runWorker} calls them. */
  private void runHooks() {
    Runnable task = tasks[(int) (calls++ & (TASKS - 1))];
    Woven.workerTaskStarts(workerState, pool, worker, task);
    Woven.workerTaskEnded(workerState, pool, task, null);
  }

  private static final class NamedTask implements Runnable {
    private final int number;

    NamedTask(int number) {
      this.number = number;
    }

    @Override
    public void run() {}

    @Override
    public String toString() {
      return "task-" + number;
    }
  }
}
