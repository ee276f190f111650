package dev.conductor.exporter.metrics;

import dev.conductor.exporter.tracing.TraceIds;
import dev.conductor.exporter.tracing.TraceStore;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task duration histogram as scrapes see it: its snapshot with the exemplars the exporter kept,
 * the latest per bucket of each series, each pointing at a task's span in a trace still stored.
 *
 * <p>Why not the client's exemplars: its sampler, for each exemplar it takes, schedules a task on a
 * scheduler thread of its own to accept the next one, and the exemplar's labels are validated and
 * its ids formatted on the exporter thread, in code that at a low rate is never compiled. At the
 * demo's 20 tasks a second that was a quarter of the agent's CPU (PERFORMANCE.md, thirteenth
 * session). Here keeping an exemplar is a few numbers written into its bucket's slot; they become
 * text only when scraped. Each kept exemplar pins its trace in the store ({@link TraceStore#pin}),
 * so that it still leads to it after newer traces pushed it out of the store's ring; one whose
 * trace the store could not pin and has dropped since is left out.
 */
final class DurationExemplars implements Collector {
  private final ExporterHistogram histogram;
  private final TraceStore traces;
  private final Map<Labels, Series> series = new ConcurrentHashMap<>();

  /**
   * @param histogram the duration histogram, built and not registered: this collector is
   */
  DurationExemplars(ExporterHistogram histogram, TraceStore traces) {
    this.histogram = histogram;
    this.traces = traces;
  }

  /** The exemplar slots of a new series; exporter thread, once per series. */
  Series newSeries(String[] labelNames, String[] labelValues) {
    Series created = new Series(histogram, traces);
    series.put(Labels.of(labelNames, labelValues), created);
    return created;
  }

  @Override
  public HistogramSnapshot collect() {
    HistogramSnapshot snapshot = histogram.collect();
    if (series.isEmpty()) {
      return snapshot;
    }
    List<HistogramDataPointSnapshot> points = new ArrayList<>(snapshot.getDataPoints().size());
    for (HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
      Series kept = series.get(point.getLabels());
      Exemplars exemplars = kept == null ? Exemplars.EMPTY : kept.exemplars();
      points.add(
          exemplars.size() == 0
              ? point
              : new HistogramDataPointSnapshot(
                  point.getClassicBuckets(),
                  point.getSum(),
                  point.getLabels(),
                  exemplars,
                  point.getCreatedTimestampMillis()));
    }
    return new HistogramSnapshot(snapshot.getMetadata(), points);
  }

  /** The histogram's name, type and labels, for the registry's checks of what is registered. */
  @Override
  public MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return histogram.getMetricFamilyDescriptor();
  }

  /**
   * One series' latest exemplar per bucket: written by the exporter thread at most once a second,
   * read by scrapes; the lock is taken that rarely on the exporter's side.
   */
  static final class Series {
    private final ExporterHistogram histogram;
    private final TraceStore traces;
    private final long[] traceHighs;
    private final long[] traceLows;
    private final long[] spanIds;
    private final double[] values;
    private final long[] timestamps;
    private final boolean[] pinned;

    private Series(ExporterHistogram histogram, TraceStore traces) {
      this.histogram = histogram;
      this.traces = traces;
      int buckets = histogram.buckets();
      traceHighs = new long[buckets];
      traceLows = new long[buckets];
      spanIds = new long[buckets];
      values = new double[buckets];
      timestamps = new long[buckets];
      pinned = new boolean[buckets];
    }

    /** Keeps an observation's span as its bucket's exemplar, pinning its trace for it. */
    synchronized void keep(double value, long traceHigh, long traceLow, long spanId, long millis) {
      int bucket = histogram.bucketOf(value);
      if (pinned[bucket]) {
        traces.unpin(traceHighs[bucket], traceLows[bucket]);
      }
      pinned[bucket] = traces.pin(traceHigh, traceLow);
      traceHighs[bucket] = traceHigh;
      traceLows[bucket] = traceLow;
      spanIds[bucket] = spanId;
      values[bucket] = value;
      timestamps[bucket] = millis;
    }

    /** The kept exemplars whose traces are still stored, as text. */
    synchronized Exemplars exemplars() {
      List<Exemplar> shown = new ArrayList<>();
      for (int bucket = 0; bucket < spanIds.length; bucket++) {
        if (spanIds[bucket] != 0 && traces.isKept(traceHighs[bucket], traceLows[bucket])) {
          shown.add(
              Exemplar.builder()
                  .value(values[bucket])
                  .traceId(TraceIds.traceId(traceHighs[bucket], traceLows[bucket]))
                  .spanId(TraceIds.spanId(spanIds[bucket]))
                  .timestampMillis(timestamps[bucket])
                  .build());
        }
      }
      return Exemplars.of(shown);
    }
  }
}
