package dev.conductor.benchmarks;

/**
 * Durations in nanoseconds, counted in 1 ns buckets up to {@value #LAST_BUCKET} ns (longer ones in
 * the last bucket, but summed exactly): the mean and the median of the timed calls of one
 * iteration. The median is printed next to the mean because a timed call that the OS preempts
 * (another thread of the fork, or of the machine, took its core) adds tens of microseconds to the
 * mean and nothing to the median.
 *
 * <p>Single writer: one thread records; another thread may read only after a happens-before edge
 * with the last {@link #record} (a volatile write read back). {@link #record} allocates nothing.
 */
final class NanosHistogram {
  static final int LAST_BUCKET = 8191;

  private final long[] counts = new long[LAST_BUCKET + 1];
  private long count;
  private long sum;

  void record(long nanos) {
    counts[(int) Math.max(0, Math.min(nanos, LAST_BUCKET))]++;
    count++;
    sum += nanos;
  }

  void reset() {
    java.util.Arrays.fill(counts, 0);
    count = 0;
    sum = 0;
  }

  long count() {
    return count;
  }

  double mean() {
    return count == 0 ? Double.NaN : (double) sum / count;
  }

  /** The lower median, in whole nanoseconds; {@value #LAST_BUCKET} means "at least". */
  long median() {
    return quantile(0.5);
  }

  /**
   * The value below which a share {@code q} of the durations fall, in whole nanoseconds (the lower
   * one of two); {@value #LAST_BUCKET} means "at least".
   */
  long quantile(double q) {
    long rank = (long) ((count - 1) * q);
    long seen = 0;
    for (int nanos = 0; nanos <= LAST_BUCKET; nanos++) {
      seen += counts[nanos];
      if (seen > rank) {
        return nanos;
      }
    }
    return -1;
  }

  /** Recorded durations of at least {@code nanos}: the preempted or otherwise disturbed ones. */
  long atLeast(long nanos) {
    long above = 0;
    for (int i = (int) Math.min(nanos, LAST_BUCKET); i <= LAST_BUCKET; i++) {
      above += counts[i];
    }
    return above;
  }
}
