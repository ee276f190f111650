package dev.conductor.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.tracing.Span;
import dev.conductor.exporter.tracing.SpanKind;
import dev.conductor.exporter.tracing.TraceStore;
import dev.conductor.exporter.tracing.TracingSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The task duration histogram's exemplars, as a scrape sees them. */
class DurationExemplarsTest {
  private static final LabelValues LABELS = new LabelValues(128);

  private final PrometheusRegistry registry = new PrometheusRegistry();

  /** Keeps two traces: a third evicts the oldest. */
  private final TraceStore traces =
      new TraceStore(
          new TracingSettings(
              true, 1.0, Long.MAX_VALUE, 2, 16, "test", "", Map.of(), 1000, 512, 4096, 1000),
          span -> {});

  private final TaskMetrics metrics = taskMetrics(registry, traces);

  @Test
  void aTaskEndShowsItsSpanAsTheExemplarOfItsBucket() {
    endTask("agent-1", 1, 50_000_000); // 50 ms: the bucket up to 0.1 s

    HistogramDataPointSnapshot series = series("agent-1");
    assertThat(series.getCount()).isEqualTo(1);
    assertThat(series.getExemplars().size()).isEqualTo(1);
    Exemplar exemplar = series.getExemplars().get(0);
    assertThat(exemplar.getValue()).isEqualTo(0.05);
    assertThat(exemplar.getLabels().get("trace_id"))
        .isEqualTo("0000000000000001" + "0000000000000001");
    assertThat(exemplar.getLabels().get("span_id")).isEqualTo("0000000000000065");
    assertThat(series.getExemplars().get(0.01, 0.1)).as("in its bucket").isSameAs(exemplar);
  }

  @Test
  void anExemplarStillLeadsToItsTraceAfterNewerTracesPushedItOutOfTheStoresRing() {
    endTask("agent-1", 1, 50_000_000);
    storeTrace(2);
    storeTrace(3); // the store's ring keeps two: trace 1 leaves it, pinned by the exemplar

    assertThat(traces.traces(summary -> true, 10)).hasSize(2);
    assertThat(traces.trace(1, 1)).isPresent();
    assertThat(series("agent-1").getExemplars().size()).isEqualTo(1);
  }

  @Test
  void anExemplarWhoseTraceCouldNotBePinnedIsLeftOutOnceTheStoreDropsItAndTheCountsStay() {
    endTask("agent-1", 1, 50_000_000);
    endTask("agent-2", 2, 50_000_000); // two pins: as many as the store keeps traces
    endTask("agent-3", 3, 50_000_000);
    assertThat(series("agent-3").getExemplars().size()).isEqualTo(1);

    storeTrace(4);
    storeTrace(5); // trace 3 leaves the ring, unpinned

    assertThat(traces.isKept(3, 3)).isFalse();
    assertThat(series("agent-3").getExemplars().size()).as("it would lead nowhere").isZero();
    assertThat(series("agent-3").getCount()).isEqualTo(1);
    assertThat(series("agent-1").getExemplars().size()).isEqualTo(1);
    assertThat(series("agent-2").getExemplars().size()).isEqualTo(1);
  }

  @Test
  void withoutTracingTheHistogramHasNoExemplars() {
    PrometheusRegistry plain = new PrometheusRegistry();
    TaskMetrics untraced = taskMetrics(plain, null);
    untraced.record(taskEnd("agent-1", 1, 50_000_000));

    HistogramSnapshot durations = durations(plain);
    assertThat(durations.getDataPoints()).hasSize(1);
    assertThat(durations.getDataPoints().get(0).getExemplars().size()).isZero();
  }

  /** Buckets up to 10 ms, 100 ms and 1 s; exemplars with {@code traces}, none without. */
  private static TaskMetrics taskMetrics(PrometheusRegistry registry, TraceStore traces) {
    return new TaskMetrics(
        registry,
        new ErrorMetrics(registry, LABELS, 100),
        LABELS,
        List.of("Agent.execute"),
        new double[] {0.01, 0.1, 1},
        100,
        traces);
  }

  /** A task of trace (n, n), span 100 + n, whose span is stored first, as the exporter does. */
  private void endTask(String agent, long n, long nanos) {
    storeTrace(n);
    metrics.record(taskEnd(agent, n, nanos));
  }

  /** A trace (n, n) of one span, 100 + n. */
  private void storeTrace(long n) {
    traces.add(
        new Span(
            n,
            n,
            100 + n,
            0,
            "execute t",
            SpanKind.INTERNAL,
            0,
            50_000_000,
            false,
            null,
            null,
            Map.of(),
            "worker"));
  }

  private static Event taskEnd(String agent, long n, long nanos) {
    Event event = new Event();
    event.kind = Event.TASK_END;
    event.taskType = "t";
    event.agentId = agent;
    event.status = "success";
    event.durationNanos = nanos;
    event.traceIdHigh = n;
    event.traceIdLow = n;
    event.spanId = 100 + n;
    return event;
  }

  private HistogramDataPointSnapshot series(String agent) {
    for (HistogramDataPointSnapshot point : durations(registry).getDataPoints()) {
      if (agent.equals(point.getLabels().get("agent_id"))) {
        return point;
      }
    }
    throw new AssertionError("no series for " + agent);
  }

  private static HistogramSnapshot durations(PrometheusRegistry registry) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals("conductor_task_duration_seconds")) {
        return (HistogramSnapshot) snapshot;
      }
    }
    throw new AssertionError("no duration histogram");
  }
}
