package dev.conductor.exporter.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A classic histogram observed by the exporter thread alone and read by scrapes: one array of
 * bucket counts and a sum per series, written with plain stores.
 *
 * <p>Why not the client's histogram: its data points are made for many writing threads, so each
 * observation is four atomic updates on as many objects (a buffer's count, the bucket's adder, the
 * sum's and the count's), which on the exporter's core, its caches cooled by the host's work
 * between two drains, were an eighth of its time per task (PERFORMANCE.md, fourteenth session).
 * Every histogram observed per task has a single writer, so a series here is two cache lines
 * written with plain stores. A scrape reads each count with opaque loads and gives {@code _count}
 * as the sum of the buckets it read, so {@code _count} always equals the {@code +Inf} bucket; the
 * sum may be one observation ahead or behind.
 *
 * <p>The client's {@link Histogram}, built and never observed, gives the name, help, labels and
 * type that the registry checks and the scrape shows, so the exposition is the client's own.
 */
public final class ExporterHistogram implements Collector {
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

  private final Histogram described;
  private final MetricMetadata metadata;
  private final String[] labelNames;
  private final double[] upperBounds; // ascending, +Inf last
  private final List<Series> series = new CopyOnWriteArrayList<>(); // a series added rarely

  /**
   * Register it as a collector.
   *
   * @param upperBounds the buckets' upper bounds, ascending; +Inf is added
   */
  public ExporterHistogram(String name, String help, double[] upperBounds, String... labelNames) {
    // The client checks the name, labels and bounds, as for a histogram of its own.
    this.described =
        Histogram.builder()
            .name(name)
            .help(help)
            .labelNames(labelNames)
            .withoutExemplars()
            .classicOnly()
            .classicUpperBounds(upperBounds)
            .build();
    this.metadata = described.collect().getMetadata();
    this.labelNames = labelNames.clone();
    this.upperBounds = withInfinity(upperBounds);
  }

  /** Ascending, each once, +Inf last: as the client makes its own buckets of the same bounds. */
  private static double[] withInfinity(double[] upperBounds) {
    double[] sorted = upperBounds.clone();
    Arrays.sort(sorted);
    double[] bounds = new double[sorted.length + 1];
    int count = 0;
    for (double bound : sorted) {
      if (bound != Double.POSITIVE_INFINITY && (count == 0 || bound != bounds[count - 1])) {
        bounds[count++] = bound;
      }
    }
    bounds[count++] = Double.POSITIVE_INFINITY;
    return Arrays.copyOf(bounds, count);
  }

  /**
   * A new series with these label values, in the order of the label names; exporter thread, once
   * per series (its caller keeps it: see {@link SeriesLimiter}).
   */
  public Series labelValues(String... values) {
    if (values.length != labelNames.length) {
      throw new IllegalArgumentException(
          "expected " + labelNames.length + " label values, got " + values.length);
    }
    Series created = new Series(this, Labels.of(labelNames, values.clone()));
    series.add(created);
    return created;
  }

  /** How many buckets each series has, +Inf included. */
  int buckets() {
    return upperBounds.length;
  }

  /** The bucket a value falls in: the first whose upper bound is not below it. */
  int bucketOf(double value) {
    int bucket = 0;
    while (value > upperBounds[bucket]) {
      bucket++; // ends at +Inf at the latest
    }
    return bucket;
  }

  @Override
  public HistogramSnapshot collect() {
    List<HistogramDataPointSnapshot> points = new ArrayList<>(series.size());
    for (Series each : series) {
      points.add(each.snapshot());
    }
    return new HistogramSnapshot(metadata, points);
  }

  @Override
  public MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return described.getMetricFamilyDescriptor();
  }

  /** One series' bucket counts and sum. */
  public static final class Series {
    private static final VarHandle SUM;

    static {
      try {
        SUM = MethodHandles.lookup().findVarHandle(Series.class, "sum", double.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final ExporterHistogram histogram;
    private final long[] counts;
    private final Labels labels;
    private final long createdMillis = System.currentTimeMillis();
    private double sum;

    private Series(ExporterHistogram histogram, Labels labels) {
      this.histogram = histogram;
      this.counts = new long[histogram.buckets()];
      this.labels = labels;
    }

    /** Counts one value into its bucket. The exporter thread only: a single writer. */
    public void observe(double value) {
      if (Double.isNaN(value)) {
        return; // in no bucket: not counted (never the case for the durations observed here)
      }
      int bucket = histogram.bucketOf(value);
      COUNTS.setOpaque(counts, bucket, counts[bucket] + 1);
      SUM.setOpaque(this, sum + value);
    }

    private HistogramDataPointSnapshot snapshot() {
      long[] read = new long[counts.length];
      for (int i = 0; i < read.length; i++) {
        read[i] = (long) COUNTS.getOpaque(counts, i);
      }
      return new HistogramDataPointSnapshot(
          ClassicHistogramBuckets.of(histogram.upperBounds, read),
          (double) SUM.getOpaque(this),
          labels,
          Exemplars.EMPTY,
          createdMillis);
    }
  }
}
