package dev.conductor.bootstrap;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One host thread's own events: a ring that only this thread fills and only the exporter drains.
 *
 * <p>Why: with one pool shared by every thread, each recorded call claims an event that some other
 * thread or the exporter touched last, from a 2 MB pool reused oldest first, and pays two CAS on
 * queue indices that other cores write too. A ring of {@link #SIZE} events per thread stays in that
 * thread's cache, and publishing is one release store. The events are made on first use of each
 * slot, so a thread that records little holds little; the rings are bounded in number by {@link
 * EventBuffer}, which drops a ring once its thread has ended and it is drained.
 *
 * <p>Producer side (the owner thread): {@link #claim} then {@link #publish}. A claim while another
 * of this thread's claims is not yet published (a label getter that is itself instrumented) returns
 * null, and the caller takes an event from the shared pool instead; so does a claim on a full ring.
 */
final class ThreadEvents {
  static final int SIZE = 256;
  private static final int MASK = SIZE - 1;

  // Field updaters rather than VarHandles: a VarHandle's first use spins method handle classes,
  // which the host thread that records first would pay for, at its startup.
  private static final AtomicLongFieldUpdater<ThreadEvents> PRODUCED =
      AtomicLongFieldUpdater.newUpdater(ThreadEvents.class, "produced");
  private static final AtomicLongFieldUpdater<ThreadEvents> CONSUMED =
      AtomicLongFieldUpdater.newUpdater(ThreadEvents.class, "consumed");

  final Thread owner;
  final EventBuffer buffer;
  private final Event[] slots = new Event[SIZE];

  /** Events published; written by the owner with release stores (lazySet), read by the exporter. */
  private volatile long produced;

  /** Events drained; written by the exporter with release stores (lazySet), read by the owner. */
  private volatile long consumed;

  // Owner thread only.
  private long next;
  private long consumedSeen;
  private boolean claimOpen;

  /**
   * Claims refused because the ring was full: the caller used the shared pool. Written by the owner
   * only, read racily by the exporter for the agent's health figures.
   */
  private long fullClaims;

  ThreadEvents(Thread owner, EventBuffer buffer) {
    this.owner = owner;
    this.buffer = buffer;
  }

  /** An event to fill, or null when the ring is full or a claim is open. Owner thread only. */
  Event claim() {
    if (claimOpen) {
      return null;
    }
    long index = next;
    if (index - consumedSeen >= SIZE) {
      consumedSeen = consumed;
      if (index - consumedSeen >= SIZE) {
        fullClaims++;
        return null;
      }
    }
    int slot = (int) index & MASK;
    Event event = slots[slot];
    if (event == null) {
      event = new Event();
      event.ring = this;
      slots[slot] = event;
    }
    claimOpen = true;
    return event;
  }

  /** Hands the event of the open claim to the exporter. Owner thread only. */
  void publish() {
    claimOpen = false;
    next++;
    PRODUCED.lazySet(this, next); // a release store: no fence on the host's path
  }

  /**
   * Claims made so far: the index the next event of this ring will have. Owner thread only, for an
   * event that goes to the shared pool instead ({@link Event#overflowAt}).
   */
  long claimsMade() {
    return next;
  }

  /** Events published so far; the exporter's snapshot of what to drain. */
  long published() {
    return produced;
  }

  /** Claims refused because the ring was full, since the ring was made; a racy read. */
  long fullClaims() {
    return fullClaims;
  }

  /** Events published and not yet drained; a racy estimate. */
  int pending() {
    return (int) Math.max(0, produced - consumed);
  }

  /**
   * Passes the events published before {@code upTo} to {@code sink}, then clears them and gives
   * their slots back. Exporter thread only.
   */
  int drain(long upTo, java.util.function.Consumer<Event> sink) {
    long index = consumed;
    int drained = 0;
    try {
      while (index < upTo) {
        Event event = slots[(int) index & MASK];
        index++; // consumed even if the sink throws: a bad event is not retried forever
        drained++;
        try {
          sink.accept(event);
        } finally {
          event.clear();
        }
      }
    } finally {
      CONSUMED.lazySet(this, index);
    }
    return drained;
  }
}
