package dev.conductor.benchmarks;

import java.util.Locale;

/**
 * The timed calls of a paired benchmark in one iteration: each operation times the instrumented
 * code and its never-instrumented twin, and the difference is what the agent adds.
 */
final class PairedTimes {
  final NanosHistogram monitored = new NanosHistogram();
  final NanosHistogram unmonitored = new NanosHistogram();

  /**
   * The twin between two clock reads by hand, for the benchmarks that also time that: the clock
   * floor, measured in the same operations as the cost it is the budget of.
   */
  final NanosHistogram handTimed = new NanosHistogram();

  void reset() {
    monitored.reset();
    unmonitored.reset();
    handTimed.reset();
  }

  /** The clock floor (hand-timed minus twin) and what the agent adds as a multiple of it. */
  String describeFloor() {
    double floor = handTimed.mean() - unmonitored.mean();
    return String.format(
        Locale.ROOT,
        "clock floor %.1f ns, added/floor %.2f",
        floor,
        (monitored.mean() - unmonitored.mean()) / floor);
  }

  /**
   * The end of an iteration's line: means, medians and their differences, and the 90th and 99th
   * percentiles: where a mean that moves more than the median comes from.
   */
  String describe(String what) {
    return String.format(
        Locale.ROOT,
        ", %s: monitored %.1f ns, unmonitored %.1f ns, added %.1f ns;"
            + " medians %d and %d ns, added %d ns; 90th percentiles %d and %d ns, 99th %d and %d ns",
        what,
        monitored.mean(),
        unmonitored.mean(),
        monitored.mean() - unmonitored.mean(),
        monitored.median(),
        unmonitored.median(),
        monitored.median() - unmonitored.median(),
        monitored.quantile(0.9),
        unmonitored.quantile(0.9),
        monitored.quantile(0.99),
        unmonitored.quantile(0.99));
  }
}
