package dev.conductor.exporter.queue;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events per second over a sliding window of whole seconds, e.g. completed tasks over the last 60
 * s. One writer (the exporter thread) adds; any thread reads. Memory is two arrays of window-many
 * longs, whatever the rate.
 */
public final class RateWindow {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int seconds;
  private final AtomicLongArray counts;
  private final AtomicLongArray slotSecond;

  public RateWindow(int seconds) {
    this.seconds = seconds;
    this.counts = new AtomicLongArray(seconds);
    this.slotSecond = new AtomicLongArray(seconds);
    for (int i = 0; i < seconds; i++) {
      slotSecond.set(i, Long.MIN_VALUE);
    }
  }

  /** Counts one event that happened at {@code nanoTime}. Exporter thread only. */
  public void add(long nanoTime) {
    long second = Math.floorDiv(nanoTime, NANOS_PER_SECOND);
    int slot = (int) Math.floorMod(second, (long) seconds);
    if (slotSecond.get(slot) != second) {
      if (slotSecond.get(slot) > second) {
        return; // older than the window
      }
      counts.set(slot, 0);
      slotSecond.set(slot, second);
    }
    counts.incrementAndGet(slot);
  }

  /** Mean events per second over the window that ends at {@code nanoTime}. Any thread. */
  public double perSecond(long nanoTime) {
    long now = Math.floorDiv(nanoTime, NANOS_PER_SECOND);
    long total = 0;
    for (int i = 0; i < seconds; i++) {
      long second = slotSecond.get(i);
      if (second > now - seconds && second <= now) {
        total += counts.get(i);
      }
    }
    return (double) total / seconds;
  }
}
