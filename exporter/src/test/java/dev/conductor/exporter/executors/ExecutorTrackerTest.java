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
    LabelValues labels = new LabelValues(100);
    ExecutorTracker tracker =
        new ExecutorTracker(
            registry,
            labels,
            new ErrorMetrics(registry, labels, 100),
            new double[] {1},
            new double[] {1},
            100,
            100,
            Map.of());
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
