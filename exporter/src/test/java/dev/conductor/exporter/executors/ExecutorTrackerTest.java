package dev.conductor.exporter.executors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.metrics.ErrorMetrics;
import dev.conductor.exporter.metrics.LabelValues;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecutorTrackerTest {

  @Test
  void aPoolFirstSeenAtAStartIsNamedAfterItsWorkerAlsoWhenTheEventCarriesNoName() {
    PrometheusRegistry registry = new PrometheusRegistry();
    ExecutorTracker tracker = tracker(registry, Map.of());
    ThreadPoolExecutor named = newPool();
    ThreadPoolExecutor fromRing = newPool();
    try {
      // Through the shared pool the event names its worker; from the worker's own ring it does
      // not, and the exporter reads the ring owner's name (here, as for a span, the event's own
      // thread name stands in for it).
      Event shared = start(named);
      shared.executorName = "crawler-7";
      tracker.accept(shared);
      Event ring = start(fromRing);
      ring.threadName = "indexer-12";
      tracker.accept(ring);

      assertThat(poolLabels(registry)).contains("crawler", "indexer");
    } finally {
      named.shutdown();
      fromRing.shutdown();
    }
  }

  /**
   * A thread pool's queue length is what waits in its queue, read when scraped: tasks that leave it
   * without starting (shutdownNow) leave the gauge too, where counting submits and starts kept
   * them.
   */
  @Test
  void aThreadPoolsQueueLengthIsItsQueueAlsoAfterShutdownNow() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    ExecutorTracker tracker = tracker(registry, Map.of());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1, 1, 1, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try {
      Event created = new Event();
      created.kind = Event.EXECUTOR_CREATED;
      created.executor = pool;
      created.executorName = "com.acme.Crawler";
      tracker.accept(created);
      Runnable blocking = () -> awaitQuietly(release);
      pool.execute(blocking); // occupies the only worker
      Event started = start(pool);
      started.task = blocking;
      started.threadName = "pool-1-thread-1";
      tracker.accept(started);
      for (int i = 0; i < 3; i++) {
        Runnable waiting = () -> {};
        pool.execute(waiting);
        Event submit = new Event();
        submit.kind = Event.EXECUTOR_SUBMIT;
        submit.executor = pool;
        submit.task = waiting;
        submit.startNanos = System.nanoTime();
        tracker.accept(submit);
      }
      assertThat(gauge(registry, "conductor_executor_queue_length")).isEqualTo(3.0);

      pool.shutdownNow();
      assertThat(gauge(registry, "conductor_executor_queue_length")).isZero();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double gauge(PrometheusRegistry registry, String name) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals(name)) {
        return ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) snapshot)
            .getDataPoints().stream()
                .filter(point -> "Crawler".equals(point.getLabels().get("pool")))
                .mapToDouble(
                    io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot
                        ::getValue)
                .sum();
      }
    }
    throw new AssertionError("no " + name);
  }

  @Test
  void aPoolIsNamedAfterThreadsItsFactoryNamedElseAfterItsCreatorUnlessTheConfigRenamesIt() {
    PrometheusRegistry registry = new PrometheusRegistry();
    ExecutorTracker tracker = tracker(registry, Map.of("com.acme.Indexer", "indexing"));
    ThreadPoolExecutor fetchers = newPool();
    ThreadPoolExecutor plain = newPool();
    ThreadPoolExecutor renamed = newPool();
    try {
      created(tracker, fetchers, "com.acme.Crawler");
      created(tracker, plain, "com.acme.Crawler");
      created(tracker, renamed, "com.acme.Indexer");
      String[] workers = {"fetcher-3", "pool-7-thread-1", "index-worker-2"};
      ThreadPoolExecutor[] pools = {fetchers, plain, renamed};
      for (int i = 0; i < pools.length; i++) {
        Event start = start(pools[i]);
        start.threadName = workers[i];
        tracker.accept(start);
      }
      assertThat(poolLabels(registry))
          .contains("fetcher", "Crawler", "indexing")
          .doesNotContain("pool-thread", "index-worker", "Indexer");
    } finally {
      fetchers.shutdown();
      plain.shutdown();
      renamed.shutdown();
    }
  }

  /**
   * A pool keeps the series it was first given, and a pool past the cap counts each of its events
   * as folded into "other", as when every event looked its name up among the series.
   */
  @Test
  void aPoolPastTheCapCountsEveryEventAsFolded() {
    PrometheusRegistry registry = new PrometheusRegistry();
    ExecutorTracker tracker = tracker(registry, Map.of(), 2);
    ThreadPoolExecutor[] pools = {newPool(), newPool(), newPool()};
    String[] workers = {"fetcher-1", "indexer-1", "mailer-1"};
    try {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < pools.length; i++) {
          Event start = start(pools[i]);
          // a later worker name does not rename a pool already named
          start.threadName = round == 0 ? workers[i] : "renamed-" + i;
          tracker.accept(start);
        }
      }
      assertThat(poolLabels(registry))
          .contains("fetcher", "indexer", "other")
          .doesNotContain("mailer", "renamed");
      assertThat(tracker.limiter().overflowed()).isEqualTo(3);
    } finally {
      for (ThreadPoolExecutor pool : pools) {
        pool.shutdown();
      }
    }
  }

  private static void created(ExecutorTracker tracker, Object pool, String creator) {
    Event event = new Event();
    event.kind = Event.EXECUTOR_CREATED;
    event.executor = pool;
    event.executorName = creator;
    tracker.accept(event);
  }

  private static ExecutorTracker tracker(PrometheusRegistry registry, Map<String, String> renames) {
    return tracker(registry, renames, 100);
  }

  private static ExecutorTracker tracker(
      PrometheusRegistry registry, Map<String, String> renames, int maxPools) {
    LabelValues labels = new LabelValues(100);
    return new ExecutorTracker(
        registry,
        labels,
        new ErrorMetrics(registry, labels, 100),
        new double[] {1},
        new double[] {1},
        100,
        maxPools,
        renames);
  }

  private static ThreadPoolExecutor newPool() {
    return new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new SynchronousQueue<>());
  }

  private static Event start(ThreadPoolExecutor pool) {
    Event event = new Event();
    event.kind = Event.EXECUTOR_START;
    event.executor = pool;
    event.task = new Object();
    event.startNanos = System.nanoTime();
    return event;
  }

  private static java.util.List<String> poolLabels(PrometheusRegistry registry) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      snapshot.getDataPoints().forEach(point -> names.add(point.getLabels().get("pool")));
    }
    return names;
  }
}
