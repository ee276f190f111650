package dev.conductor.exporter.drain;

/**
 * How long the exporter thread pauses after a drain, from what the drain found.
 *
 * <ul>
 *   <li>Nothing: the full interval.
 *   <li>Half the shared pool or more: no pause, so that a burst is absorbed before the pool runs
 *       out.
 *   <li>A trickle, so few events that a whole interval at the same rate would fill neither the
 *       fullest ring nor the shared pool beyond an eighth: the full interval too. Coming back
 *       sooner buys nothing but wake-ups, and at such rates a drain's own cost, in code the JIT has
 *       barely compiled, is most of the exporter's CPU. A sudden burst then meets the same pause as
 *       one after an idle interval.
 *   <li>Otherwise events are flowing: a tenth of the interval, or less when a thread's own ring was
 *       more than a quarter filled since the last drain. A thread that records faster than that
 *       fills its ring before the exporter comes back, and its further events go through the shared
 *       pool, which costs the thread more per event (see {@code ThreadEvents}). The pause is then
 *       cut so that, at the rate the fullest ring filled, it is about a quarter full at the next
 *       drain: room for a burst or an overslept pause; never below {@link #MIN_PAUSE_NANOS}, which
 *       bounds the exporter's wake-ups.
 * </ul>
 */
final class DrainPacing {
  /** About the shortest sleep Linux gives a parked thread with the default timer slack. */
  static final long MIN_PAUSE_NANOS = 50_000;

  private final long intervalNanos;
  private final int poolCapacity;
  private final int ringSize;

  DrainPacing(long intervalNanos, int poolCapacity, int ringSize) {
    this.intervalNanos = intervalNanos;
    this.poolCapacity = poolCapacity;
    this.ringSize = ringSize;
  }

  /**
   * @param drained events the drain took in all
   * @param fullestRing the most it took from one thread's ring
   * @param sinceLastDrainNanos time since the previous drain began: what the rings filled in
   * @return nanoseconds to pause; 0 to drain again at once
   */
  long pauseAfter(int drained, int fullestRing, long sinceLastDrainNanos) {
    if (drained == 0) {
      return intervalNanos;
    }
    if (drained >= poolCapacity / 2) {
      return 0;
    }
    if (sinceLastDrainNanos > 0 && isTrickle(drained, fullestRing, sinceLastDrainNanos)) {
      return intervalNanos;
    }
    long pause = intervalNanos / 10;
    if (fullestRing > ringSize / 4 && sinceLastDrainNanos > 0) {
      // the time in which the fullest ring, at the rate it filled, fills a quarter
      long quarterRing = (long) ((double) sinceLastDrainNanos * (ringSize / 4) / fullestRing);
      pause = Math.max(MIN_PAUSE_NANOS, Math.min(pause, quarterRing));
    }
    return pause;
  }

  private boolean isTrickle(int drained, int fullestRing, long sinceLastDrainNanos) {
    double intervals = (double) intervalNanos / sinceLastDrainNanos;
    return fullestRing * intervals < ringSize / 8.0 && drained * intervals < poolCapacity / 8.0;
  }
}
