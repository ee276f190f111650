package dev.conductor.bootstrap;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The fields of a {@link ThreadEvents} ring, grouped by which thread writes them, each group on
 * cache lines of its own.
 *
 * <p>Why: the owner thread writes its indices on every recorded event, and the exporter, on another
 * core, writes {@code consumed} on every drain and reads the ring's owner for every span it builds.
 * Sharing a line, each such write makes the other thread's next access of that line wait for it to
 * come back from the other core: measured, about half of the recorded calls of a busy thread were
 * 100–300 ns slower while the exporter drained its ring. HotSpot lays out a superclass's fields
 * before its subclass's, so the groups are classes in a chain, with 64 bytes of unused fields
 * between groups.
 */
abstract class RingFields {
  /** The thread that fills the ring; read by the exporter for span thread names. */
  final Thread owner;

  final EventBuffer buffer;

  /**
   * The events, made on first use of each slot; replaced once, by a larger array, when the ring
   * grows. Written by the owner only while the exporter has drained everything (see {@link
   * ThreadEvents#claim}); read by the exporter after it has read {@code produced}.
   */
  Event[] slots;

  RingFields(Thread owner, EventBuffer buffer, int size) {
    this.owner = owner;
    this.buffer = buffer;
    this.slots = new Event[size];
  }
}

/** Unused: keeps {@link RingConsumedField#consumed} off the lines of the fields before it. */
abstract class RingPadAfterFields extends RingFields {
  long pad00, pad01, pad02, pad03, pad04, pad05, pad06, pad07;

  RingPadAfterFields(Thread owner, EventBuffer buffer, int size) {
    super(owner, buffer, size);
  }
}

/** The exporter's side of the ring. */
abstract class RingConsumedField extends RingPadAfterFields {
  // Field updaters rather than VarHandles: a VarHandle's first use spins method handle classes,
  // which the host thread that records first would pay for, at its startup.
  private static final AtomicLongFieldUpdater<RingConsumedField> CONSUMED =
      AtomicLongFieldUpdater.newUpdater(RingConsumedField.class, "consumed");

  /** Events drained; written by the exporter with release stores (lazySet), read by the owner. */
  volatile long consumed;

  RingConsumedField(Thread owner, EventBuffer buffer, int size) {
    super(owner, buffer, size);
  }

  private static final AtomicLongFieldUpdater<RingConsumedField> POOL_CONSUMED =
      AtomicLongFieldUpdater.newUpdater(RingConsumedField.class, "poolConsumed");

  /** Pool events drained; as {@link #consumed}, for the ring's pool events. */
  volatile long poolConsumed;

  /** The exporter has drained the events before {@code index}: a release store, no fence. */
  final void consumedUpTo(long index) {
    CONSUMED.lazySet(this, index);
  }

  /** The exporter has drained the pool events before {@code index}: a release store, no fence. */
  final void poolConsumedUpTo(long index) {
    POOL_CONSUMED.lazySet(this, index);
  }

  // Exporter thread only.

  /** The pool runs passed on; see {@link ThreadEvents#passRunningTask}. */
  final PassedRuns poolRunsPassed = new PassedRuns();

  /** The task calls passed on; see {@link ThreadEvents#passOpenCall}. */
  final PassedRuns callsPassed = new PassedRuns();
}

/** Unused: keeps the owner's fields off the line of {@link RingConsumedField#consumed}. */
abstract class RingPadAfterConsumed extends RingConsumedField {
  long pad10, pad11, pad12, pad13, pad14, pad15, pad16, pad17;

  RingPadAfterConsumed(Thread owner, EventBuffer buffer, int size) {
    super(owner, buffer, size);
  }
}

/**
 * The owner's side of a {@link ThreadEvents} ring, at the end of the chain of classes below, which
 * hold its other fields.
 */
abstract class RingOwnerFields extends RingPadAfterConsumed {
  private static final AtomicLongFieldUpdater<RingOwnerFields> PRODUCED =
      AtomicLongFieldUpdater.newUpdater(RingOwnerFields.class, "produced");

  /** Events published; written by the owner with release stores (lazySet), read by the exporter. */
  volatile long produced;

  // Owner thread only.
  long next;
  long consumedSeen;

  /** The event of the open claim, or null; see {@link ThreadEvents#isOpenClaim}. */
  Event open;

  /** The ring is full and may grow: it does once the exporter has drained it. */
  boolean growing;

  /**
   * This ring holds one of its buffer's leaves to grow ({@link EventBuffer#mayGrowRing}), under
   * which both its events and its pool events may grow; given back when the ring is dropped.
   */
  boolean holdsLeaveToGrow;

  /**
   * Claims refused because the ring was full or growing: the caller used the shared pool. Written
   * by the owner only, read racily by the exporter for the agent's health figures.
   */
  long fullClaims;

  private static final AtomicLongFieldUpdater<RingOwnerFields> POOL_PRODUCED =
      AtomicLongFieldUpdater.newUpdater(RingOwnerFields.class, "poolProduced");

  /** Pool events published ({@link ThreadEvents#publishPoolEvent}); as {@link #produced}. */
  volatile long poolProduced;

  // Owner thread only.
  long poolNext;
  long poolConsumedSeen;

  /** The pool events are full and may grow: they do once the exporter has drained them. */
  boolean poolGrowing;

  /**
   * The pool events, made on the first one; read by the exporter after it has read {@code
   * poolProduced}.
   */
  PoolEventSlots poolSlots;

  private static final AtomicLongFieldUpdater<RingOwnerFields> RUNS =
      AtomicLongFieldUpdater.newUpdater(RingOwnerFields.class, "runs");

  /**
   * The pool task running on the owner thread, which the exporter reads while it runs ({@link
   * ThreadEvents#runStarted}). {@code runs} is a sequence lock over the fields after it: odd while
   * the owner writes them, even once they are whole; the value each run leaves is its number.
   * Written by the owner with release stores only.
   */
  volatile long runs;

  Object runPool;

  /** The running task; null once it ended, so that the ring keeps no task alive. */
  Object runTask;

  long runStart;

  private static final AtomicLongFieldUpdater<RingOwnerFields> CALLS =
      AtomicLongFieldUpdater.newUpdater(RingOwnerFields.class, "calls");

  /**
   * The outermost task call open on the owner thread, of a point whose starts are tracked, which
   * the exporter reads while it runs ({@link ThreadEvents#callStarted}): a sequence lock over
   * {@link #callStart}, as {@link #runs} is over the run's fields. Written by the owner with
   * release stores only.
   */
  volatile long calls;

  /** The open call's start, labels included; made on the owner's first call. */
  Event callStart;

  RingOwnerFields(Thread owner, EventBuffer buffer, int size) {
    super(owner, buffer, size);
  }

  /** The owner has published the events before {@code index}: a release store, no fence. */
  final void producedUpTo(long index) {
    PRODUCED.lazySet(this, index);
  }

  /** The owner has published the pool events before {@code index}: a release store, no fence. */
  final void poolProducedUpTo(long index) {
    POOL_PRODUCED.lazySet(this, index);
  }

  /** The owner sets {@link #calls}: a release store, no fence. */
  final void callsAt(long sequence) {
    CALLS.lazySet(this, sequence);
  }

  /** The owner sets {@link #runs}: a release store, no fence. */
  final void runsAt(long sequence) {
    RUNS.lazySet(this, sequence);
  }
}
