package dev.conductor.exporter.tracing;

import java.util.ArrayList;
import java.util.List;

/**
 * The kept traces of {@link TraceStore}: a ring of {@code capacity} slots in the order the traces
 * were first kept; a new trace takes the oldest one's slot. Not thread-safe: the store locks around
 * it.
 *
 * <p>Flat arrays rather than objects per trace, so that keeping a trace allocates nothing (a map of
 * traces made a key, an entry and a list for each): the ids, a trace's first span in the slot
 * itself (most traces are one span, or an enqueue and its task), and later spans in a list kept
 * with the slot and reused by the traces that take it after. Traces are found by id through hash
 * buckets that chain slot numbers; the buckets are twice as many as the slots, so most lookups of
 * an id not kept end at an empty bucket, and the arrays stay small enough for the CPU's first-level
 * cache at the default 1,000 traces.
 */
final class TraceRing {
  private static final int NONE = -1;

  private final long[] highs;
  private final long[] lows;
  private final StoredSpan[] firsts;
  private final int[] counts;
  private final List<List<StoredSpan>> laters;

  /** Per bucket, the first slot of its chain, or {@link #NONE}. */
  private final int[] buckets;

  /** Per slot, the next slot of its bucket's chain, or {@link #NONE}. */
  private final int[] chained;

  private final int bucketMask;

  /** The slot the next new trace takes: the oldest trace's once the ring is full. */
  private int next;

  private int size;

  TraceRing(int capacity) {
    highs = new long[capacity];
    lows = new long[capacity];
    firsts = new StoredSpan[capacity];
    counts = new int[capacity];
    laters = new ArrayList<>(java.util.Collections.nCopies(capacity, (List<StoredSpan>) null));
    chained = new int[capacity];
    int bucketCount = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // >= 2 x slots
    buckets = new int[bucketCount];
    java.util.Arrays.fill(buckets, NONE);
    bucketMask = bucketCount - 1;
  }

  /** The slot of a kept trace, or -1. */
  int find(long high, long low) {
    for (int slot = buckets[bucket(high, low)]; slot != NONE; slot = chained[slot]) {
      if (highs[slot] == high && lows[slot] == low) {
        return slot;
      }
    }
    return NONE;
  }

  /** Starts a trace with no spans yet, in place of the oldest when the ring is full. */
  int open(long high, long low) {
    int slot = next;
    if (size == highs.length) {
      unlink(slot);
      firsts[slot] = null;
      List<StoredSpan> later = laters.get(slot);
      if (later != null) {
        later.clear();
      }
    } else {
      size++;
    }
    highs[slot] = high;
    lows[slot] = low;
    counts[slot] = 0;
    int bucket = bucket(high, low);
    chained[slot] = buckets[bucket];
    buckets[bucket] = slot;
    next = slot + 1 == highs.length ? 0 : slot + 1;
    return slot;
  }

  /** Takes an occupied slot out of its bucket's chain. */
  private void unlink(int slot) {
    int bucket = bucket(highs[slot], lows[slot]);
    if (buckets[bucket] == slot) {
      buckets[bucket] = chained[slot];
      return;
    }
    for (int before = buckets[bucket]; before != NONE; before = chained[before]) {
      if (chained[before] == slot) {
        chained[before] = chained[slot];
        return;
      }
    }
  }

  int count(int slot) {
    return counts[slot];
  }

  /** The slot the next {@link #open} takes, whose trace it evicts when the ring is full. */
  int nextSlot() {
    return next;
  }

  boolean isFull() {
    return size == highs.length;
  }

  long high(int slot) {
    return highs[slot];
  }

  long low(int slot) {
    return lows[slot];
  }

  void append(int slot, StoredSpan span) {
    if (counts[slot] == 0) {
      firsts[slot] = span;
    } else {
      List<StoredSpan> later = laters.get(slot);
      if (later == null) {
        later = new ArrayList<>(4);
        laters.set(slot, later);
      }
      later.add(span);
    }
    counts[slot]++;
  }

  /** The trace's spans, built where they were not yet, in the order they were added. */
  List<Span> spans(int slot) {
    List<Span> spans = new ArrayList<>(counts[slot]);
    if (counts[slot] > 0) {
      spans.add(firsts[slot].span());
    }
    if (counts[slot] > 1) {
      for (StoredSpan later : laters.get(slot)) {
        spans.add(later.span());
      }
    }
    return spans;
  }

  int size() {
    return size;
  }

  /** The slot of the {@code back}-th newest trace, 1 for the newest, up to {@link #size}. */
  int newest(int back) {
    return Math.floorMod(next - back, highs.length);
  }

  /** Trace ids are random, but a remote caller's need not be: mix both halves. */
  private int bucket(long high, long low) {
    long h = (high * 0x9E3779B97F4A7C15L) ^ low;
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    return (int) (h ^ (h >>> 32)) & bucketMask;
  }
}
