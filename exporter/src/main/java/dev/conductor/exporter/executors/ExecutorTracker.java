package dev.conductor.exporter.executors;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.ExecutorRecorder;
import dev.conductor.exporter.metrics.ErrorMetrics;
import dev.conductor.exporter.metrics.ExporterHistogram;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.SeriesLimiter;
import dev.conductor.exporter.queue.PendingTasks;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread pool metrics, {@code conductor_executor_*{pool}}, from the pool events.
 *
 * <p>Pools are told apart by identity in a weak map, so a pool the host drops is forgotten with it:
 * the values hold only the pool's series, never the pool. Metrics are kept per name. Queue wait is
 * joined from submit to start by the task's identity, like queue time; for scheduled pools, whose
 * submit wraps the task, it is how late each run starts. A thread pool's queue length is read from
 * its queue when scraped; other pools' is counted from submits and starts. Handlers run on the
 * exporter thread; gauges read concurrent counters from scrape threads.
 */
public final class ExecutorTracker {
  private static final double NANOS_PER_SECOND = 1e9;

  private final LabelValues labels;
  private final ErrorMetrics errors;
  private final Map<String, String> renames;

  /**
   * Each pool seen, held weakly, with the series it reports under, or {@link #AGENT_OWNED_POOL}.
   * One look-up per event: a pool's name and series, once found, do not change, so its events need
   * not name it again and look the name up among the series.
   */
  private final Map<Object, Known> known = new WeakHashMap<>();

  /** What {@link #known} holds for the agent's own pools (its bundled libraries'). */
  private static final Known AGENT_OWNED_POOL = new Known(null, false);

  /** The creating class of each pool not named yet, held as weakly. */
  private final Map<Object, String> createdBy = new WeakHashMap<>();

  private final Map<String, Activity> activities = new ConcurrentHashMap<>();
  private final PendingTasks<Submitted> waiting;
  private final PendingTasks<Long> startedEarly;

  /**
   * Fork/join tasks run by a thread outside their pool (a caller that helps while it waits for a
   * result), by the pool they were submitted to: such runs come without a pool.
   */
  private final PendingTasks<Pool> helped;

  private final SeriesLimiter<Pool> pools;
  private final ExporterHistogram queueWaitSeconds;
  private final ExporterHistogram runSeconds;
  private final Counter completedTotal;
  private final Counter rejectedTotal;

  /** Tasks waiting and running per pool name. */
  private static final class Activity {
    /** Submitted and not started, counted from the events: pools whose queue is not read. */
    final AtomicLong queued = new AtomicLong();

    final AtomicLong active = new AtomicLong();

    /**
     * Thread pools of this name, held weakly: their queues are read when scraped, so the length is
     * what waits in them now, also after tasks left without starting ({@code shutdownNow}, {@code
     * remove}), and also for a scheduled pool, whose submits are not recorded (each task is wrapped
     * before it is queued). A size is at most a short lock of the queue, on the scrape's thread.
     */
    final List<WeakReference<ThreadPoolExecutor>> readPools = new CopyOnWriteArrayList<>();

    long queueLength() {
      long length = queued.get();
      for (WeakReference<ThreadPoolExecutor> reference : readPools) {
        ThreadPoolExecutor pool = reference.get();
        if (pool == null) {
          readPools.remove(reference);
        } else {
          length += pool.getQueue().size();
        }
      }
      return length;
    }
  }

  /**
   * One pool name and its data points. Each is created on first use, as {@code labelValues} did, so
   * that a pool that never rejected a task shows no rejected series.
   */
  private final class Pool {
    final String name;
    private Activity activity;
    private ExporterHistogram.Series queueWait;
    private ExporterHistogram.Series runTime;
    private CounterDataPoint completed;
    private CounterDataPoint rejected;

    Pool(String name) {
      this.name = name;
    }

    Activity activity() {
      if (activity == null) {
        activity = activities.computeIfAbsent(name, p -> new Activity());
      }
      return activity;
    }

    ExporterHistogram.Series queueWait() {
      if (queueWait == null) {
        queueWait = queueWaitSeconds.labelValues(name);
      }
      return queueWait;
    }

    ExporterHistogram.Series runTime() {
      if (runTime == null) {
        runTime = runSeconds.labelValues(name);
      }
      return runTime;
    }

    CounterDataPoint completed() {
      if (completed == null) {
        completed = completedTotal.labelValues(name);
      }
      return completed;
    }

    CounterDataPoint rejected() {
      if (rejected == null) {
        rejected = rejectedTotal.labelValues(name);
      }
      return rejected;
    }
  }

  public ExecutorTracker(
      PrometheusRegistry registry,
      LabelValues labels,
      ErrorMetrics errors,
      double[] queueWaitBuckets,
      double[] runBuckets,
      int maxPending,
      int maxPools,
      Map<String, String> renames) {
    this.labels = labels;
    this.renames = Map.copyOf(renames);
    this.errors = errors;
    this.waiting = new PendingTasks<>(maxPending, Submitted::leaveQueue);
    // Forgotten starts hold nothing back; a forgotten helper's done is then not counted.
    this.startedEarly = new PendingTasks<>(Math.max(64, maxPending / 16), forgotten -> {});
    this.helped = new PendingTasks<>(Math.max(64, maxPending / 16), forgotten -> {});
    this.pools =
        new SeriesLimiter<>("conductor_executor_run_seconds", maxPools, v -> new Pool(v[0]), false);
    this.queueWaitSeconds =
        new ExporterHistogram(
            "conductor_executor_queue_wait_seconds",
            "Time a pool task waited from execute/submit to the start of its run",
            queueWaitBuckets,
            "pool");
    registry.register(queueWaitSeconds);
    this.runSeconds =
        new ExporterHistogram(
            "conductor_executor_run_seconds", "Run time of pool tasks", runBuckets, "pool");
    registry.register(runSeconds);
    this.completedTotal =
        Counter.builder()
            .name("conductor_executor_completed_tasks_total")
            .help("Pool tasks that finished running")
            .labelNames("pool")
            .withoutExemplars()
            .register(registry);
    this.rejectedTotal =
        Counter.builder()
            .name("conductor_executor_rejected_tasks_total")
            .help("Tasks the pool rejected")
            .labelNames("pool")
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_executor_queue_length")
        .help("Pool tasks submitted and not yet started")
        .labelNames("pool")
        .callback(cb -> activities.forEach((pool, a) -> cb.call(a.queueLength(), pool)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_executor_active_threads")
        .help("Pool workers running a task now")
        .labelNames("pool")
        .callback(cb -> activities.forEach((pool, a) -> cb.call(a.active.get(), pool)))
        .register(registry);
  }

  public void accept(Event event) {
    if (event.kind == Event.EXECUTOR_CREATED) {
      if (ExecutorRecorder.AGENT_OWNED.equals(event.executorName)) {
        known.putIfAbsent(event.executor, AGENT_OWNED_POOL);
      } else if (!known.containsKey(event.executor)) {
        // Named when first needed: at its first task's start, its workers' names are known.
        createdBy.putIfAbsent(event.executor, event.executorName);
      }
      return;
    }
    Known seen = known.get(event.executor);
    if (seen == AGENT_OWNED_POOL) {
      return; // the agent's own pools (its bundled libraries') are not the host's business
    }
    switch (event.kind) {
      case Event.EXECUTOR_SUBMIT:
        onSubmit(event, seen);
        break;
      case Event.EXECUTOR_START:
        if (event.executor == null) {
          onHelpedStart(event);
        } else {
          onStart(event, seen);
        }
        break;
      case Event.EXECUTOR_DONE:
        if (event.executor == null) {
          Pool pool = helped.remove(null, event.task);
          if (pool != null) {
            onDone(pool, event);
          }
        } else {
          onDone(pool(event, seen), event);
        }
        break;
      case Event.EXECUTOR_REJECTED:
        onRejected(event, seen);
        break;
      default:
        throw new IllegalArgumentException("not an executor event: " + event.kind);
    }
  }

  private void onSubmit(Event event, Known seen) {
    Long startedAt = startedEarly.remove(null, event.task);
    if (startedAt != null) {
      observeWait(pool(event, seen), startedAt - event.startNanos);
      return;
    }
    // A thread pool's queue is read instead, and its name can wait for its first start.
    Pool pool = null;
    if (!(event.executor instanceof ThreadPoolExecutor)) {
      pool = pool(event, seen);
      pool.activity().queued.incrementAndGet();
    }
    Submitted previous = waiting.put(null, event.task, new Submitted(pool, event.startNanos));
    if (previous != null) {
      previous.leaveQueue(); // the same runnable submitted again
    }
  }

  /**
   * A thread pool rejects before the submit is recorded; a fork/join pool's rejection comes after
   * (its submits are recorded on entry), so the task no longer waits.
   */
  private void onRejected(Event event, Known seen) {
    pool(event, seen).rejected().inc();
    Submitted submitted = waiting.remove(null, event.task);
    if (submitted != null) {
      submitted.leaveQueue();
    }
  }

  private void onStart(Event event, Known seen) {
    Pool pool = pool(event, seen);
    pool.activity().active.incrementAndGet();
    if (event.executor instanceof ScheduledThreadPoolExecutor) {
      // Its submits are not recorded (it wraps each task before queueing it); the start carries
      // how late the task began against its scheduled time instead.
      observeWait(pool, event.durationNanos);
      return;
    }
    Submitted submitted = waiting.remove(null, event.task);
    if (submitted != null) {
      submitted.leaveQueue();
      observeWait(pool, event.startNanos - submitted.nanos());
    } else if (!(event.executor instanceof ForkJoinPool)) {
      // A fork/join pool's submits are published before the task is queued, so a start without
      // one is a subtask a worker took from another's queue, which no submit will follow.
      startedEarly.put(null, event.task, event.startNanos);
    }
  }

  /**
   * A fork/join task run by a thread outside the pool: counted for the pool it was submitted to;
   * anything else (a task invoked directly, never submitted) is not a pool's task.
   */
  private void onHelpedStart(Event event) {
    Submitted submitted = waiting.remove(null, event.task);
    if (submitted == null) {
      return;
    }
    Pool pool = submitted.pool();
    if (pool == null) {
      // Submitted to a thread pool (a CompletableFuture stage is both kinds of task): its own
      // worker's start is the one that counts.
      waiting.put(null, event.task, submitted);
      return;
    }
    submitted.leaveQueue();
    pool.activity().active.incrementAndGet();
    observeWait(pool, event.startNanos - submitted.nanos());
    helped.put(null, event.task, pool);
  }

  private void onDone(Pool pool, Event event) {
    Activity current = pool.activity();
    if (current.active.get() > 0) {
      current.active.decrementAndGet();
    }
    pool.completed().inc();
    pool.runTime().observe(event.durationNanos / NANOS_PER_SECOND);
    if (event.thrown != null) {
      errors.record(event.thrown.getClass().getSimpleName(), pool.name, ErrorMetrics.ERROR);
    }
  }

  private void observeWait(Pool pool, long nanos) {
    pool.queueWait().observe(Math.max(0, nanos) / NANOS_PER_SECOND);
  }

  /**
   * The pool's series, by bounded name (see {@link #nameOf}).
   *
   * @param seen what {@link #known} holds for the event's pool; null the first time
   */
  private Pool pool(Event event, Known seen) {
    Known pool = seen;
    if (pool == null) {
      long foldedBefore = pools.overflowed();
      Pool series = pools.get(labels.of(nameOf(event)));
      pool = new Known(series, pools.overflowed() != foldedBefore);
      known.put(event.executor, pool);
      watchQueue(series, event.executor);
    } else if (pool.folded()) {
      pools.countOverflow(); // each event of a pool past the cap, as a look-up would have
    }
    return pool.series();
  }

  /**
   * A pool's name, from the first event that needs one: the name configured for its creating class;
   * else its workers' names, when its thread factory gave them names of their own; else its
   * creating class; else, for a pool created before the agent started, its workers' names anyway.
   */
  private String nameOf(Event event) {
    Object executor = event.executor;
    if (executor == ForkJoinPool.commonPool()) {
      return PoolNames.COMMON_POOL;
    }
    String creator = createdBy.remove(executor);
    String fromCreator = creator == null ? null : PoolNames.fromCreator(creator);
    if (creator != null) {
      String configured = renames.getOrDefault(creator, renames.get(fromCreator));
      if (configured != null) {
        return configured;
      }
    }
    String worker = workerName(event);
    String fromWorker = worker == null ? null : PoolNames.fromThread(worker);
    if (fromWorker != null && (fromCreator == null || PoolNames.isFactoryGiven(fromWorker))) {
      return renamed(fromWorker, fromWorker);
    }
    if (fromCreator != null) {
      return fromCreator;
    }
    String type = executor.getClass().getSimpleName();
    return renamed(type, type);
  }

  /** A thread pool's queue is read when scraped (see {@link Activity#readPools}). */
  private static void watchQueue(Pool pool, Object executor) {
    if (executor instanceof ThreadPoolExecutor threadPool) {
      pool.activity().readPools.add(new WeakReference<>(threadPool));
    }
  }

  /**
   * The worker of a start: named in the event when it came through the shared pool, else the owner
   * of the thread's ring it came from.
   */
  private static String workerName(Event event) {
    if (event.executorName != null) {
      return event.executorName;
    }
    return event.kind == Event.EXECUTOR_START || event.kind == Event.EXECUTOR_DONE
        ? event.threadName()
        : null;
  }

  /** The configured name for a pool known by {@code fullName} or {@code shortName}, if any. */
  private String renamed(String fullName, String shortName) {
    String configured = renames.get(fullName);
    return configured != null ? configured : renames.getOrDefault(shortName, shortName);
  }

  public SeriesLimiter<?> limiter() {
    return pools;
  }

  /**
   * A pool's series, and whether its name was folded into the overflow series by the cap.
   *
   * @param series null for {@link #AGENT_OWNED_POOL}
   */
  private record Known(Pool series, boolean folded) {}

  /**
   * A submit waiting for its start, for the queue wait.
   *
   * @param pool the pool whose {@link Activity#queued} counts it; null for a thread pool, whose
   *     queue is read instead
   */
  private record Submitted(Pool pool, long nanos) {
    void leaveQueue() {
      if (pool != null) {
        pool.activity().queued.decrementAndGet();
      }
    }
  }
}
