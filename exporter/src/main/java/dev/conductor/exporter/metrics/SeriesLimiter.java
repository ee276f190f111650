package dev.conductor.exporter.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The series of one metric, each kept with its data point, and a cap on how many there are.
 *
 * <p>Known combinations of label values get their data point back. Once {@code maxSeries} are
 * known, a new combination has every application-derived label replaced by {@value #OVERFLOW}, so a
 * host that puts task IDs or user input into a label cannot grow the scrape or the agent's memory
 * without bound. Labels with a fixed set of values (a status, a severity) are marked as such and
 * kept.
 *
 * <p>No allocation when the series is known, which is every event in steady state: the values are
 * written into a reused key (no varargs array, no list, no iterator) and the data point comes from
 * this map, not from the metric's {@code labelValues(String...)}, which wraps its array in a list
 * and hashes it through an iterator. The map holds exactly the known series, so the cap bounds it.
 *
 * <p>Exporter thread only, or under a lock the caller holds for every call.
 *
 * @param <D> what is kept per series: a data point, or the data points of several metrics that
 *     share these labels
 */
public final class SeriesLimiter<D> {
  public static final String OVERFLOW = "other";

  private final String metric;
  private final int maxSeries;
  private final boolean[] bounded;
  private final Function<String[], D> newSeries;
  private final Map<LabelKey, D> series = new HashMap<>();
  private final LabelKey probe;
  private volatile long overflowed; // single writer: the exporter thread (or the lock holder)

  /**
   * @param newSeries creates what is kept for a new series from its (possibly folded) label values;
   *     called once per series
   * @param boundedLabels one flag per label, true for a label whose values are already a small
   *     fixed set and need no cap
   */
  public SeriesLimiter(
      String metric, int maxSeries, Function<String[], D> newSeries, boolean... boundedLabels) {
    this.metric = metric;
    this.maxSeries = maxSeries;
    this.newSeries = newSeries;
    this.bounded = boundedLabels.clone();
    this.probe = new LabelKey(bounded.length);
  }

  /** The data point to record under for these label values, created on first use. */
  public D get(String value) {
    return lookUp(probe.set(value));
  }

  public D get(String v0, String v1) {
    return lookUp(probe.set(v0, v1));
  }

  public D get(String v0, String v1, String v2) {
    return lookUp(probe.set(v0, v1, v2));
  }

  private D lookUp(LabelKey key) {
    D known = series.get(key);
    if (known != null) {
      return known;
    }
    if (series.size() >= maxSeries) {
      overflowed++;
      key.fold(bounded, OVERFLOW);
      known = series.get(key);
      if (known != null) {
        return known;
      }
      // The folded combination is added past the cap: it is one of a small, fixed number (one per
      // combination of bounded values).
    }
    D created = newSeries.apply(key.values());
    series.put(key.copy(), created);
    return created;
  }

  public String metric() {
    return metric;
  }

  /**
   * Counts one more observation folded into the overflow series, for a caller that keeps the data
   * point {@link #get} gave it for a combination past the cap rather than asking again.
   */
  public void countOverflow() {
    overflowed++;
  }

  /** Observations folded into the overflow series, since start. */
  public long overflowed() {
    return overflowed;
  }
}
