package dev.conductor.exporter.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Caps the number of label combinations of one metric.
 *
 * <p>Known combinations pass unchanged. Once {@code maxSeries} are known, a new combination has
 * every application-derived label replaced by {@value #OVERFLOW}, so a host that puts task IDs or
 * user input into a label cannot grow the scrape or the agent's memory without bound. Labels with a
 * fixed set of values (a status, a severity) are marked as such and kept. Exporter thread only.
 */
public final class SeriesLimiter {
  public static final String OVERFLOW = "other";

  private final String metric;
  private final int maxSeries;
  private final boolean[] bounded;
  private final Set<List<String>> known = new HashSet<>();
  private volatile long overflowed; // single writer: the exporter thread

  /**
   * @param boundedLabels one flag per label, true for a label whose values are already a small
   *     fixed set and need no cap
   */
  public SeriesLimiter(String metric, int maxSeries, boolean... boundedLabels) {
    this.metric = metric;
    this.maxSeries = maxSeries;
    this.bounded = boundedLabels.clone();
  }

  /** Returns the label values to record under: {@code values} itself or its overflow form. */
  public String[] limit(String... values) {
    List<String> key = Arrays.asList(values);
    if (known.contains(key)) {
      return values;
    }
    if (known.size() < maxSeries) {
      known.add(List.of(values));
      return values;
    }
    overflowed++;
    String[] folded = values.clone();
    for (int i = 0; i < folded.length; i++) {
      if (!bounded[i]) {
        folded[i] = OVERFLOW;
      }
    }
    // The folded combination is recorded without counting against the limit: it is one of a
    // small, fixed number (one per combination of bounded values).
    known.add(List.of(folded));
    return folded;
  }

  public String metric() {
    return metric;
  }

  /** Observations folded into the overflow series, since start. */
  public long overflowed() {
    return overflowed;
  }
}
