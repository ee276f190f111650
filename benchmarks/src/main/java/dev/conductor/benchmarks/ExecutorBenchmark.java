package dev.conductor.benchmarks;

import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.bootstrap.Woven;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
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
 * Cost of handing a task to a {@link ThreadPoolExecutor}, which the agent weaves with no config at
 * all: {@code execute} on the submitting thread, {@code beforeExecute} and {@code afterExecute} on
 * the worker (three events per task).
 *
 * <ul>
 *   <li>{@link #executeControl}: no agent;
 *   <li>{@link #executeWithAgent}: the agent with {@code conductor-bench-executors.yaml}, which has
 *       no instrumentation point;
 *   <li>{@link #executeControlNewTasks} and {@link #executeWithAgentNewTasks}: the same with a new
 *       task object for every submit, as most hosts submit (a lambda, a {@code FutureTask}): the
 *       first identity hash of an object is a call into the JVM, so any per-task lookup by identity
 *       shows here and not with reused tasks;
 *   <li>{@link #executeRecordedByHand}: no agent; the pool publishes the agent's three events by
 *       hand, alternating between no recording, one event pool for both threads, a pool per thread
 *       and the agent's own hooks (the unshaded {@code Woven}, called where the weaving calls
 *       them): where the agent's added cost comes from, measured inside one fork, where the spread
 *       between forks does not blur it.
 * </ul>
 *
 * <p><b>No twin in the same fork.</b> The weaving is of the JDK class itself, for the whole JVM, so
 * unlike {@link TaskRecordingBenchmark} and {@link EnqueueBenchmark} there can be no uninstrumented
 * copy next to the instrumented one. The two variants run the same operation in two forks, and what
 * the agent adds is the difference of the forks' mean timed {@code execute}, compared as the
 * timed-call means of the paired benchmarks are, never as JMH scores: the scores include the
 * pacing, which moves by more than the effect from fork to fork. The timed call itself still moves
 * by a few nanoseconds between forks (JIT decisions, where objects landed), so a single pair of
 * forks is not enough: docs/PERFORMANCE.md runs several, alternating.
 *
 * <p><b>The pool</b> has one worker and an {@link ArrayBlockingQueue} of capacity 1, and the tasks
 * follow {@link SingleWorkerHandOff}: task {@code n} runs until task {@code n + 1} has been
 * submitted. So the queue holds at most one task by construction (a second one would be rejected
 * and fail the run, never queue up), each timed {@code execute} finds the worker busy and only
 * queues the task (no thread start, no wake-up of a parked worker, whose system call would cost
 * more than the agent and vary more), and the worker always finds the next task waiting. An
 * unbounded queue with a pacing the worker keeps up with would leave the worker parked at most
 * submits, and a {@link java.util.concurrent.SynchronousQueue} needs a parked worker for each
 * hand-over; both would time a wake-up. A caller-runs design would skip {@code beforeExecute} and
 * {@code afterExecute}. The array queue allocates nothing per task, unlike a {@link
 * java.util.concurrent.LinkedBlockingQueue}'s node, so any byte per call is the agent's.
 *
 * <p>Each operation burns {@value #PACE_TOKENS} {@link Blackhole#consumeCPU} tokens (about 7 us on
 * the machine of PERFORMANCE.md, twice the paired benchmarks' pacing: three events per task), so
 * that the agent's exporter keeps up and drops nothing; then it times {@code pool.execute(task)}
 * and two references: an empty timed region (two clock reads back to back) and the increment of a
 * counter the worker incremented last, which moves one cache line from the worker's core. A
 * hand-over moves several lines (the queue's lock and indices, the task), and so does the agent's
 * event pool when both threads publish to it, so the cost of one line is what to look at first when
 * two forks disagree: on a virtual machine it depends on where the host placed the two virtual
 * CPUs, and it can change from one fork, or one second, to the next. The worker times the gap from
 * the end of one task to the start of the next: {@code afterExecute}, taking the task from the
 * queue and {@code beforeExecute}. After each iteration the fork prints the counters of {@link
 * IterationCounters}, the mean and median of each timed region and of the worker's gap, and the
 * bytes the worker thread allocated per task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExecutorBenchmark {
  static final int PACE_TOKENS = 3000;

  /**
   * Distinct tasks per mode, reused round robin: one is submitted again 63 tasks after it ended.
   */
  private static final int TASKS = 64;

  /** Submit, start and end. */
  private static final int EVENTS_PER_TASK = 3;

  /** A timed call at least this long was almost certainly preempted; counted separately. */
  private static final long DISTURBED_NANOS = 5_000;

  /** Modes of {@link #executeRecordedByHand}; the other variants use {@link #PLAIN} only. */
  private static final int PLAIN = 0;

  private static final int SHARED_POOL = 1;
  private static final int POOL_PER_THREAD = 2;
  private static final int WOVEN = HandRecordedPool.WOVEN;
  private static final int MODES = 5;

  private static final String[] MODE_NAMES = {
    "plain", "shared pool", "pool per thread", "agent's hooks", "agent's method hooks"
  };

  /** {@link #executeRecordedByHand} changes mode every 2^10 tasks (about 9 ms). */
  private static final int BLOCK_SHIFT = 10;

  private final SingleWorkerHandOff handOff = new SingleWorkerHandOff(MODES);
  private final Runnable[][] tasks = new Runnable[MODES][TASKS];
  private ThreadPoolExecutor pool;
  private volatile Thread worker;

  /** {@link #executeRecordedByHand} only: where the benchmark thread publishes, by mode. */
  private final EventBuffer[] submitBuffers = new EventBuffer[MODES];

  private boolean byHand;
  private boolean newTasks;
  private Drainer drainer;
  private EventBuffer[] handBuffers = new EventBuffer[0];

  /** {@link #executeRecordedByHand} only: the buffer the agent's hooks were installed with. */
  private EventBuffer wovenBuffer;

  private long handDropped;

  /** Tasks of the protocol submitted so far; task {@code submitted} is running. */
  private long submitted;

  private IterationCounters counters;
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private long workerBytes;
  private final NanosHistogram[] executeTimes = {
    new NanosHistogram(),
    new NanosHistogram(),
    new NanosHistogram(),
    new NanosHistogram(),
    new NanosHistogram()
  };
  private final NanosHistogram clockPairs = new NanosHistogram();
  private final NanosHistogram crossCoreTimes = new NanosHistogram();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws ReflectiveOperationException {
    String name = params.getBenchmark();
    String variant = name.substring(name.lastIndexOf('.') + 1);
    byHand = variant.equals("executeRecordedByHand");
    newTasks = variant.endsWith("NewTasks");
    for (int mode = 0; mode < MODES; mode++) {
      for (int i = 0; i < TASKS; i++) {
        tasks[mode][i] = handOff.new Task(mode);
      }
    }
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "bench-pool-worker");
          thread.setDaemon(true);
          worker = thread;
          return thread;
        };
    if (byHand) {
      EventBuffer shared = new EventBuffer(16384);
      EventBuffer submitter = new EventBuffer(16384);
      EventBuffer ofWorker = new EventBuffer(16384);
      EventBuffer woven = new EventBuffer(16384);
      wovenBuffer = woven;
      RecordingPiecesBenchmark.installOneTaskPoint(woven, null);
      Tracing.install(1024, new int[0], new int[0]);
      submitBuffers[SHARED_POOL] = shared;
      submitBuffers[POOL_PER_THREAD] = submitter;
      handBuffers = new EventBuffer[] {shared, submitter, ofWorker, woven};
      drainer = new Drainer(handBuffers);
      pool = new HandRecordedPool(new EventBuffer[] {null, shared, ofWorker, null, null}, factory);
    } else {
      pool =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(1),
              factory,
              new ThreadPoolExecutor.AbortPolicy());
    }
    AgentCheck.Buffer agentBuffer = null;
    if (AgentCheck.agentWanted()) {
      // premain ran before JMH loaded ThreadPoolExecutor, so the pool class was woven as it loaded.
      agentBuffer = AgentCheck.requireAgent(this::runNothing);
      System.out.println(
          "["
              + variant
              + "] agent attached with "
              + System.getProperty(AgentCheck.MARKER_PROPERTY)
              + ".yaml, buffer capacity "
              + agentBuffer.capacity());
    } else {
      AgentCheck.requireNoAgent();
      runNothing();
    }
    counters = new IterationCounters(variant, agentBuffer);
  }

  /** Runs a task of no consequence on the pool and waits for its end: starts the worker. */
  private void runNothing() {
    long done = pool.getCompletedTaskCount();
    // A task of the protocol's type (HandRecordedPool reads its mode), which never waits.
    handOff.stop();
    pool.execute(tasks[PLAIN][0]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.getCompletedTaskCount() == done) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the pool did not run a task in 10 s");
      }
      Thread.onSpinWait();
    }
    handOff.reset();
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    handOff.awaitStarted(submitted);
    workerBytes = threads.getThreadAllocatedBytes(worker.getId());
    counters.start(submitted);
    handDropped = handDropped();
    for (int mode = 0; mode < MODES; mode++) {
      executeTimes[mode].reset();
      handOff.gaps[mode].reset();
    }
    clockPairs.reset();
    crossCoreTimes.reset();
  }

  private long handDropped() {
    long dropped = 0;
    for (EventBuffer buffer : handBuffers) {
      dropped += buffer.dropped();
    }
    return dropped;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    // After this, the worker is inside the last task submitted and writes nothing more.
    handOff.awaitStarted(submitted);
    StringBuilder line = counters.line(submitted, EVENTS_PER_TASK);
    long workerAllocated = threads.getThreadAllocatedBytes(worker.getId()) - workerBytes;
    long gapCount = 0;
    for (NanosHistogram gaps : handOff.gaps) {
      gapCount += gaps.count();
    }
    if (byHand) {
      line.append(", events dropped by hand ").append(handDropped() - handDropped);
      line.append(", drained from the agent's hooks so far ").append(drainer.drained(wovenBuffer));
      for (int mode = 0; mode < MODES; mode++) {
        line.append(
            String.format(
                Locale.ROOT,
                "; %s: execute mean %.1f ns, median %d ns, worker gap mean %.1f ns, median %d ns",
                MODE_NAMES[mode],
                executeTimes[mode].mean(),
                executeTimes[mode].median(),
                handOff.gaps[mode].mean(),
                handOff.gaps[mode].median()));
      }
    } else {
      NanosHistogram execute = executeTimes[PLAIN];
      NanosHistogram gaps = handOff.gaps[PLAIN];
      line.append(
          String.format(
              Locale.ROOT,
              ", timed execute: mean %.1f ns, median %d ns, 90th percentile %d ns (%d of %d over"
                  + " %d us); worker gap: mean %.1f ns, median %d ns, 90th percentile %d ns (%d over"
                  + " %d us)",
              execute.mean(),
              execute.median(),
              execute.quantile(0.9),
              execute.atLeast(DISTURBED_NANOS),
              execute.count(),
              DISTURBED_NANOS / 1000,
              gaps.mean(),
              gaps.median(),
              gaps.quantile(0.9),
              gaps.atLeast(DISTURBED_NANOS),
              DISTURBED_NANOS / 1000));
    }
    line.append(
        String.format(
            Locale.ROOT,
            "; clock pair: mean %.1f ns, median %d ns; cross-core line: mean %.1f ns, median %d ns;"
                + " worker bytes/task %.4f, queued now %d",
            clockPairs.mean(),
            clockPairs.median(),
            crossCoreTimes.mean(),
            crossCoreTimes.median(),
            gapCount == 0 ? 0.0 : (double) workerAllocated / gapCount,
            pool.getQueue().size()));
    System.out.println(line);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    handOff.stop();
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the pool did not terminate");
    }
    if (drainer != null) {
      drainer.stop();
    }
  }

  @Benchmark
  public long executeControl() {
    return handOver();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.EXECUTORS_MARKER, TaskRecordingBenchmark.FAST_DRAIN})
  public long executeWithAgent() {
    return handOver();
  }

  @Benchmark
  public long executeControlNewTasks() {
    return handOver();
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {AgentForkProfiler.EXECUTORS_MARKER, TaskRecordingBenchmark.FAST_DRAIN})
  public long executeWithAgentNewTasks() {
    return handOver();
  }

  /**
   * No agent: the pool records its tasks by hand as the agent would ({@link HandRecordedPool}),
   * changing every 1024 tasks between five modes, so that they are compared inside one fork: no
   * recording, one event pool for both threads, an event pool per thread, and the agent's own hooks
   * ({@code Woven}, installed with an event buffer of their own and tracing on, as the agent
   * installs them) as the woven worker loop calls them and as the hooks on {@code beforeExecute}
   * and {@code afterExecute} call them (an agent attached late). One {@link Drainer} thread empties
   * the four buffers.
   */
  @Benchmark
  public long executeRecordedByHand() {
    return handOver();
  }

  /**
   * Paced, then three timed regions back to back: nothing (the clock pair), one cross-core cache
   * line ({@link SingleWorkerHandOff#crossCoreIncrement}) and {@code execute}, recorded by hand in
   * {@link #executeRecordedByHand}; then the release of the task that was running. The histograms
   * are written outside the timed regions.
   */
  private long handOver() {
    Blackhole.consumeCPU(PACE_TOKENS);
    long running = submitted;
    long next = running + 1;
    handOff.awaitStarted(running);
    int mode = byHand ? (int) ((next >>> BLOCK_SHIFT) % MODES) : PLAIN;
    Runnable task = newTasks ? handOff.new Task(mode) : tasks[mode][(int) (next % TASKS)];
    EventBuffer buffer = submitBuffers[mode];
    long t0 = System.nanoTime();
    long t1 = System.nanoTime();
    long count = handOff.crossCoreIncrement();
    long t2 = System.nanoTime();
    if (mode >= WOVEN) {
      Object state = Woven.executeEnter(task);
      pool.execute(task);
      Woven.executeExit(state, pool, task, null);
    } else if (buffer == null) {
      pool.execute(task);
    } else {
      long start = System.nanoTime();
      pool.execute(task);
      HandRecordedPool.submitted(buffer, pool, task, start);
    }
    long t3 = System.nanoTime();
    submitted = next;
    handOff.release(running);
    clockPairs.record(t1 - t0);
    crossCoreTimes.record(t2 - t1);
    executeTimes[mode].record(t3 - t2);
    return t3 + count;
  }
}
