package dev.conductor.benchmarks;

import java.util.Locale;

/**
 * The timed calls of a paired benchmark in one iteration: each operation times the instrumented
 * code and its never-instrumented twin, and the difference is what the agent adds.
 */
final class PairedTimes {
  final NanosHistogram monitored = new NanosHistogram();
  final NanosHistogram unmonitored = new NanosHistogram();

  void reset() {
    monitored.reset();
    unmonitored.reset();
  }

  /** The end of an iteration's line: means, medians and their differences. */
  String describe(String what) {
    return String.format(
        Locale.ROOT,
        ", %s: monitored %.1f ns, unmonitored %.1f ns, added %.1f ns;"
            + " medians %d and %d ns, added %d ns",
        what,
        monitored.mean(),
        unmonitored.mean(),
        monitored.mean() - unmonitored.mean(),
        monitored.median(),
        unmonitored.median(),
        monitored.median() - unmonitored.median());
  }
}
