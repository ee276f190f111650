package dev.conductor.exporter.queue;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.metrics.ExporterHistogram;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.SeriesLimiter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Queue time, backlog and throughput, joined from enqueue, start and end events off the host's
 * threads.
 *
 * <ul>
 *   <li>{@code conductor_task_queue_time_seconds{task_type, priority}}: from the start of the
 *       enqueue call to the start of the same task's execution, matched by task id or identity.
 *   <li>{@code conductor_task_queue_length{priority_level}}: enqueued and not yet started, for
 *       every level 0..levels-1 (a level that empties reads 0, never a stale value) and {@code
 *       other} for priorities outside that range.
 *   <li>{@code conductor_queue_throughput_tasks_per_second}: completed executions per second over
 *       the window — not queue events.
 *   <li>Backlog analysis: arrival and completion rates, growth, estimated time to drain, and how
 *       often the backlog reached {@code task_queue.max_size}.
 * </ul>
 *
 * <p>Event handlers run on the exporter thread only; the gauges are read by scrapes on any thread.
 */
public final class QueueTracker {
  private static final double NANOS_PER_SECOND = 1e9;
  private static final String OTHER_LEVEL = "other";

  private final LabelValues labels;
  private final SeriesLimiter<ExporterHistogram.Series> queueTimes;
  private final int levels;
  private final long maxSize;
  private final AtomicLongArray backlog;
  private final AtomicLong backlogOther = new AtomicLong();
  private final AtomicLong backlogTotal = new AtomicLong();
  private final PendingTasks<Enqueued> waiting;
  private final PendingTasks<Long> startedEarly;
  private final RateWindow arrivals;
  private final RateWindow completions;
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong maxSizeReached = new AtomicLong();
  private final Consumer<String> log;
  private boolean full;
  private boolean warnedUnmatchable;

  /** What is remembered of an enqueued task until it starts. */
  private record Enqueued(long enqueueNanos, int level, Object taskType, Object priority) {}

  public QueueTracker(
      PrometheusRegistry registry,
      LabelValues labels,
      QueueSettings settings,
      Consumer<String> log) {
    this.labels = labels;
    this.levels = settings.priorityLevels();
    this.maxSize = settings.maxSize();
    this.log = log;
    this.backlog = new AtomicLongArray(levels);
    this.waiting =
        new PendingTasks<>(
            settings.maxPending(),
            forgotten -> {
              release(forgotten.level());
              evicted.incrementAndGet();
            });
    // A start forgotten holds nothing back: its enqueue, if it ever comes, then waits.
    this.startedEarly =
        new PendingTasks<>(Math.max(64, settings.maxPending() / 16), forgotten -> {});
    this.arrivals = new RateWindow(settings.windowSeconds());
    this.completions = new RateWindow(settings.windowSeconds());
    ExporterHistogram queueTime =
        new ExporterHistogram(
            "conductor_task_queue_time_seconds",
            "Time from the enqueue call to the start of the same task's execution",
            settings.queueTimeBuckets(),
            "task_type",
            "priority");
    registry.register(queueTime);
    this.queueTimes =
        new SeriesLimiter<>(
            "conductor_task_queue_time_seconds",
            settings.maxSeries(),
            queueTime::labelValues,
            false,
            false);
    registerGauges(registry);
  }

  private void registerGauges(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name("conductor_task_queue_length")
        .help("Tasks enqueued and not yet started, by priority level")
        .labelNames("priority_level")
        .callback(
            callback -> {
              for (int level = 0; level < levels; level++) {
                callback.call(backlog.get(level), Integer.toString(level));
              }
              long other = backlogOther.get();
              if (other > 0) {
                callback.call(other, OTHER_LEVEL);
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_queue_throughput_tasks_per_second")
        .help("Task executions completed per second over the sliding window")
        .callback(callback -> callback.call(completions.perSecond(System.nanoTime())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_queue_arrival_rate_tasks_per_second")
        .help("Tasks enqueued per second over the sliding window")
        .callback(callback -> callback.call(arrivals.perSecond(System.nanoTime())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_queue_backlog_growth_tasks_per_second")
        .help("Arrival rate minus completion rate: above 0 the backlog grows")
        .callback(callback -> callback.call(growthPerSecond(System.nanoTime())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_queue_estimated_drain_seconds")
        .help("Backlog divided by the completion rate; +Inf when nothing completes")
        .callback(callback -> callback.call(estimatedDrainSeconds(System.nanoTime())))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_queue_max_size_reached_total")
        .help("Times the backlog reached task_queue.max_size")
        .callback(callback -> callback.call(maxSizeReached.get()))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_pending_tasks_evicted_total")
        .help("Enqueued tasks forgotten unstarted because agent.max_pending_tasks was reached")
        .callback(callback -> callback.call(evicted.get()))
        .register(registry);
  }

  /** An enqueue call returned. */
  public void onEnqueue(Event event) {
    arrivals.add(event.startNanos);
    String id = idOf(event);
    if (id == null && event.task == null) {
      // Nothing to match its start by: held in the backlog, it would never be released.
      warnUnmatchable();
      return;
    }
    Long startedAt = startedEarly.remove(id, event.task);
    if (startedAt != null) {
      // The worker was faster than the enqueue call's return: never waiting, nothing in backlog.
      observe(event.taskType, event.priority, startedAt - event.startNanos);
      return;
    }
    int level = level(event.priority);
    hold(level);
    Enqueued previous =
        waiting.put(
            id, event.task, new Enqueued(event.startNanos, level, event.taskType, event.priority));
    if (previous != null) {
      release(previous.level()); // enqueued again before it started: waiting once
    }
  }

  /** A task call started: the end of its queue time. */
  public void onStart(Event event) {
    String id = idOf(event);
    Enqueued enqueued = waiting.remove(id, event.task);
    if (enqueued == null) {
      startedEarly.put(id, event.task, event.startNanos);
      return;
    }
    release(enqueued.level());
    observe(
        event.taskType != null ? event.taskType : enqueued.taskType(),
        event.priority != null ? event.priority : enqueued.priority(),
        event.startNanos - enqueued.enqueueNanos());
  }

  /** A task call ended: one completion for the throughput. */
  public void onEnd(Event event) {
    completions.add(event.startNanos + event.durationNanos);
  }

  private void observe(Object taskType, Object priority, long nanos) {
    queueTimes
        .get(labels.of(taskType), labels.of(priority))
        .observe(Math.max(0, nanos) / NANOS_PER_SECOND);
  }

  private void warnUnmatchable() {
    if (!warnedUnmatchable) {
      warnedUnmatchable = true;
      log.accept(
          "an enqueue point gave neither a task object nor a task id (its task expression read"
              + " null): such tasks count as arrivals but not in conductor_task_queue_length or"
              + " queue time");
    }
  }

  private String idOf(Event event) {
    return event.taskId == null ? null : labels.full(event.taskId);
  }

  private int level(Object priority) {
    long value;
    if (priority instanceof Number number) {
      value = number.longValue();
    } else if (priority instanceof String text) {
      try {
        value = Long.parseLong(text.trim());
      } catch (NumberFormatException notANumber) {
        return -1;
      }
    } else {
      return -1;
    }
    return value >= 0 && value < levels ? (int) value : -1;
  }

  private void hold(int level) {
    if (level >= 0) {
      backlog.incrementAndGet(level);
    } else {
      backlogOther.incrementAndGet();
    }
    long total = backlogTotal.incrementAndGet();
    if (total >= maxSize && !full) {
      full = true;
      maxSizeReached.incrementAndGet();
      log.accept(
          "the task queue reached task_queue.max_size ("
              + maxSize
              + " waiting); see conductor_queue_max_size_reached_total");
    }
  }

  private void release(int level) {
    if (level >= 0) {
      backlog.decrementAndGet(level);
    } else {
      backlogOther.decrementAndGet();
    }
    if (backlogTotal.decrementAndGet() < maxSize) {
      full = false;
    }
  }

  double growthPerSecond(long now) {
    return arrivals.perSecond(now) - completions.perSecond(now);
  }

  double estimatedDrainSeconds(long now) {
    long waitingNow = backlogTotal.get();
    if (waitingNow <= 0) {
      return 0;
    }
    double rate = completions.perSecond(now);
    return rate > 0 ? waitingNow / rate : Double.POSITIVE_INFINITY;
  }

  /** Tasks waiting now, all levels. */
  public long backlog() {
    return backlogTotal.get();
  }

  public SeriesLimiter<?> limiter() {
    return queueTimes;
  }
}
