package dev.conductor.bootstrap;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One table of {@link ContextHandoff}: trace contexts keyed by the task object's identity.
 *
 * <p>A fixed table with no allocation: each slot holds a key and four longs, guarded by a sequence
 * number that is odd while the slot is written, so readers never see half a context. Taking an
 * entry only clears its key. A key is looked for in {@link #PROBES} neighbouring slots. The table
 * never grows: a put that finds its slots taken overwrites one (counted), or, with {@link
 * #putDisplacing}, moves one to another table first.
 */
final class HandoffTable {
  private static final int PROBES = 4;

  private final int mask;
  private final AtomicReferenceArray<Object> keys;
  private final AtomicIntegerArray versions;

  /** Per slot: trace id high, trace id low, parent span id, enqueue time. */
  private final long[] values;

  private final LongAdder overwritten = new LongAdder();

  /**
   * Set by the first put, never cleared. Until then {@link #take} looks at nothing: in a host whose
   * pools are never handed a traced task, a task's start costs no identity hash (whose first
   * computation, on a task made for one submit, is a call into the JVM that writes the task's
   * header) and no look at the table's slots, which other cores write.
   */
  private volatile boolean used;

  HandoffTable(int slots) {
    int size = Integer.highestOneBit(Math.max(PROBES, slots - 1) << 1);
    this.mask = size - 1;
    this.keys = new AtomicReferenceArray<>(size);
    this.versions = new AtomicIntegerArray(size);
    this.values = new long[size * 4];
  }

  /** Slots in the table. */
  int slots() {
    return mask + 1;
  }

  /** Leaves a context for {@code key}'s runner. Never blocks; may overwrite an older entry. */
  void put(Object key, long traceHigh, long traceLow, long parentSpan, long enqueuedAt) {
    int occupied = writeInFreeSlot(key, traceHigh, traceLow, parentSpan, enqueuedAt);
    if (occupied >= 0
        && write(
            occupied, versions.get(occupied), key, traceHigh, traceLow, parentSpan, enqueuedAt)) {
      overwritten.increment();
    }
  }

  /** {@link #writeInFreeSlot}: the context was written. */
  private static final int WRITTEN = -1;

  /** {@link #writeInFreeSlot}: every slot of the key was being written by another thread. */
  private static final int NO_SLOT = -2;

  /**
   * Writes the context in a slot of the key's that is free or holds the same key.
   *
   * @return {@link #WRITTEN}; else the first slot that holds another key, to take over; else {@link
   *     #NO_SLOT}
   */
  private int writeInFreeSlot(
      Object key, long traceHigh, long traceLow, long parentSpan, long enqueuedAt) {
    if (!used) {
      used = true; // before the entry: a taker that the task reached after this put sees it
    }
    int home = System.identityHashCode(key);
    int occupied = NO_SLOT;
    for (int probe = 0; probe < PROBES; probe++) {
      int slot = (home + probe) & mask;
      int version = versions.get(slot);
      if ((version & 1) != 0) {
        continue; // being written by another thread
      }
      Object held = keys.get(slot);
      if (held == null || held == key) {
        if (write(slot, version, key, traceHigh, traceLow, parentSpan, enqueuedAt)) {
          return WRITTEN;
        }
      } else if (occupied == NO_SLOT) {
        occupied = slot;
      }
    }
    return occupied;
  }

  /**
   * Leaves a context for {@code key}'s runner in a free slot, or else in one whose context is first
   * moved to {@code spill}: this table's entries are never lost, only displaced. False when every
   * slot of the key is being written by another thread; the caller then puts it elsewhere.
   */
  boolean putDisplacing(
      Object key,
      long traceHigh,
      long traceLow,
      long parentSpan,
      long enqueuedAt,
      HandoffTable spill,
      ContextHandoff.Taken scratch) {
    int occupied = writeInFreeSlot(key, traceHigh, traceLow, parentSpan, enqueuedAt);
    if (occupied < 0) {
      return occupied == WRITTEN;
    }
    // Written only if nothing rewrote the slot since its context was copied out.
    int version = moveTo(occupied, spill, scratch);
    return version >= 0
        && write(occupied, version, key, traceHigh, traceLow, parentSpan, enqueuedAt);
  }

  /**
   * Copies the context in {@code slot} to {@code spill}, before the slot is rewritten: its task,
   * looking here first and there next, finds it in one or the other (or a stale copy stays there,
   * if the task took it here meanwhile, until something overwrites it).
   *
   * @return the slot's version the copy was read at; -1 when the slot was being rewritten
   */
  private int moveTo(int slot, HandoffTable spill, ContextHandoff.Taken scratch) {
    int version = versions.get(slot);
    if ((version & 1) != 0) {
      return -1;
    }
    Object held = keys.get(slot);
    if (!readWhole(slot, version, scratch)) {
      return -1;
    }
    if (held != null) {
      spill.put(held, scratch.traceHigh, scratch.traceLow, scratch.parentSpan, scratch.enqueuedAt);
    }
    return version;
  }

  /**
   * Reads the context in {@code slot} into {@code into}; false, with {@code into} unusable, when
   * the slot was rewritten meanwhile.
   */
  private boolean readWhole(int slot, int version, ContextHandoff.Taken into) {
    int base = slot * 4;
    into.traceHigh = values[base];
    into.traceLow = values[base + 1];
    into.parentSpan = values[base + 2];
    into.enqueuedAt = values[base + 3];
    VarHandle.acquireFence(); // the reads above complete before the version is checked again
    return versions.get(slot) == version;
  }

  /**
   * Takes the context left for {@code key} into {@code into}'s scratch fields; false when there is
   * none.
   */
  boolean take(Object key, ContextHandoff.Taken into) {
    if (!used) {
      return false;
    }
    int home = System.identityHashCode(key);
    for (int probe = 0; probe < PROBES; probe++) {
      int slot = (home + probe) & mask;
      int version = versions.get(slot);
      if ((version & 1) != 0 || keys.get(slot) != key || !readWhole(slot, version, into)) {
        continue;
      }
      // Frees the slot unless a writer took it meanwhile; the context read above is whole either
      // way, since the version did not move while it was read.
      keys.compareAndSet(slot, key, null);
      return true;
    }
    return false;
  }

  /** Removes what was left for {@code key}, if anything: the hand-over did not happen. */
  void remove(Object key) {
    if (!used) {
      return;
    }
    int home = System.identityHashCode(key);
    for (int probe = 0; probe < PROBES; probe++) {
      int slot = (home + probe) & mask;
      int version = versions.get(slot);
      if ((version & 1) == 0 && keys.get(slot) == key) {
        keys.compareAndSet(slot, key, null);
      }
    }
  }

  /** Entries of tasks that never ran, overwritten by newer ones, since start. */
  long overwritten() {
    return overwritten.sum();
  }

  private boolean write(
      int slot,
      int version,
      Object key,
      long traceHigh,
      long traceLow,
      long parentSpan,
      long enqueuedAt) {
    if (!versions.compareAndSet(slot, version, version + 1)) {
      return false;
    }
    int base = slot * 4;
    values[base] = traceHigh;
    values[base + 1] = traceLow;
    values[base + 2] = parentSpan;
    values[base + 3] = enqueuedAt;
    // Release stores: a reader that sees the new version (a volatile read) sees the values and the
    // key written before it, and they cost no full fence on the submitting thread.
    keys.lazySet(slot, key);
    versions.lazySet(slot, version + 2);
    return true;
  }
}
