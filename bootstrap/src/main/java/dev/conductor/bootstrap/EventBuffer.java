package dev.conductor.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.jctools.queues.atomic.SpmcAtomicArrayQueue;

/**
 * A fixed pool of {@link Event}s that any host thread fills and one exporter thread drains.
 *
 * <p>Two JCTools queues hold every event at all times: {@code free} (one producer, the exporter
 * returning drained events; many consumers, the host threads claiming them) and {@code published}
 * (many producers, one consumer). Because all events are allocated up front, recording allocates
 * nothing; when the pool is empty the event is dropped and counted instead of blocking or growing.
 * The atomic (field-updater) queue variants avoid {@code sun.misc.Unsafe}, which JDK 24+ warns
 * about.
 *
 * <p>Besides the shared pool, each platform thread that records gets a ring of its own ({@link
 * ThreadEvents}, at most {@link #MAX_RINGS} of them): the hot events go there, and into the shared
 * pool only when the ring is full. Lifecycle events (an agent's start, stop and health, a pool's
 * creation) always go through the shared pool, and a drain takes it first after noting how far each
 * ring was filled: whatever such an event caused on another thread, it is recorded before.
 */
public final class EventBuffer {
  private final int capacity;
  private final SpmcAtomicArrayQueue<Event> free;
  private final MpscAtomicArrayQueue<Event> published;
  private final LongAdder dropped = new LongAdder();

  /** Full-ring claims of the rings dropped so far (their threads ended); exporter thread only. */
  private volatile long retiredFullClaims;

  /** Threads with a ring of their own, at most; further threads use the shared pool only. */
  static final int MAX_RINGS = 1024;

  /**
   * Rings that may grow to {@link ThreadEvents#GROWN_SIZE} events and {@link
   * PoolEventSlots#GROWN_SIZE} pool events, at most: about 9 MB of events and 1 MB of pool events
   * when all of them are full, on top of what every ring holds at first.
   */
  static final int MAX_GROWN_RINGS = 16;

  /** Rings grown and not yet dropped. */
  private final AtomicInteger grownRings = new AtomicInteger();

  private final AtomicReferenceArray<ThreadEvents> rings = new AtomicReferenceArray<>(MAX_RINGS);

  /** One past the highest ring slot ever taken; bounds the exporter's scan. */
  private final AtomicInteger ringSlots = new AtomicInteger();

  // Exporter thread only: what each ring had published when a drain began, and whether its thread
  // had ended by then.
  private final ThreadEvents[] drainRings = new ThreadEvents[MAX_RINGS];
  private final long[] drainUpTo = new long[MAX_RINGS];
  private final long[] drainPoolUpTo = new long[MAX_RINGS];
  private final boolean[] ownerEnded = new boolean[MAX_RINGS];

  /** The most events the last drain took from one ring; exporter thread only. */
  private int lastFullestRing;

  /**
   * Events made so far, never more than {@link #capacity}: by the thread that fills the pool, and
   * by host threads that found it empty before it was filled ({@link #claim}).
   */
  private final AtomicInteger made = new AtomicInteger();

  /** A buffer of {@code capacity} events, all made now. */
  public EventBuffer(int capacity) {
    this(capacity, capacity);
  }

  /**
   * A buffer of {@code capacity} events of which only {@code madeNow} are made now; the exporter
   * side makes the rest with {@link #fillRemaining} before it first drains. Making 16,384 events in
   * a cold JVM takes some 14 ms, which the agent keeps off the host's startup path.
   */
  public EventBuffer(int capacity, int madeNow) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity must be at least 2, was " + capacity);
    }
    this.free = new SpmcAtomicArrayQueue<>(capacity);
    this.published = new MpscAtomicArrayQueue<>(capacity);
    // JCTools rounds capacities up to a power of two; fill exactly what the queue holds.
    this.capacity = free.capacity();
    fill(Math.max(2, Math.min(madeNow, this.capacity)));
  }

  /**
   * Makes the events the constructor left out. Exporter side only, and never while a drain runs:
   * {@code free} has a single producer, which is whoever returns events to it.
   */
  public void fillRemaining() {
    fill(capacity);
  }

  private void fill(int upTo) {
    while (mayMake(upTo)) {
      free.offer(new Event());
    }
  }

  /** Counts one more event made, if fewer than {@code upTo} are: true when the caller makes it. */
  private boolean mayMake(int upTo) {
    int count;
    while ((count = made.get()) < upTo) {
      if (made.compareAndSet(count, count + 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes a free event for the caller to fill, or returns null (and counts a drop) when all events
   * are in flight. Any thread; never blocks.
   *
   * <p>Until the exporter has made the whole pool, a thread that finds it empty makes the event
   * itself: the exporter's first drain comes some 0.4 s after premain on a busy two-core machine,
   * and a host that starts at full speed used up the events made in premain and its rings and
   * dropped events before it (PERFORMANCE.md, thirteenth session). The event joins the pool when
   * the exporter gives it back; never more than {@link #capacity} are made, so the pool's queue
   * always has room for them.
   */
  public Event claim() {
    Event event = free.relaxedPoll();
    if (event == null) {
      if (mayMake(capacity)) {
        return new Event();
      }
      dropped.increment();
    }
    return event;
  }

  /** Hands a filled event to the exporter. Any thread; never fails, never blocks. */
  public void publish(Event event) {
    // Cannot fail: the published queue is as large as the pool, so it always has room.
    published.relaxedOffer(event);
  }

  /**
   * A ring for {@code thread}, registered for draining, or null when {@link #MAX_RINGS} threads
   * already have one. Once per thread, on its first recorded event.
   */
  ThreadEvents newRing(Thread thread) {
    ThreadEvents ring = new ThreadEvents(thread, this);
    for (int i = 0; i < MAX_RINGS; i++) {
      if (rings.get(i) == null && rings.compareAndSet(i, null, ring)) {
        int seen;
        while ((seen = ringSlots.get()) <= i && !ringSlots.compareAndSet(seen, i + 1)) {
          // another thread moved it; look again
        }
        return ring;
      }
    }
    return null;
  }

  /**
   * Leave for one more ring to grow, or false when {@link #MAX_GROWN_RINGS} have. Once per ring, by
   * its owner; the leave is given back when the ring is dropped.
   */
  boolean mayGrowRing() {
    int grown;
    while ((grown = grownRings.get()) < MAX_GROWN_RINGS) {
      if (grownRings.compareAndSet(grown, grown + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Rings that have grown and are still in use. */
  public int grownRings() {
    return grownRings.get();
  }

  /**
   * The {@link Event#EXECUTOR_START} of a run, or the {@link Event#TASK_START} of a task call, that
   * a thread's ring holds, passed on by the drain (see {@link ThreadEvents#runStarted} and {@link
   * ThreadEvents#callStarted}). Exporter thread only.
   */
  final Event runStartScratch = new Event();

  /** A pool event of a ring, passed on by the drain (see {@link PoolEventSlots}). Exporter only. */
  private final Event poolEventScratch = new Event();

  /**
   * Passes every published event to {@code sink}, then clears it and gives it back: first the
   * shared pool's, then each ring's up to where it was when the drain began. A ring whose thread
   * had ended by then is dropped once drained. Exporter thread only.
   *
   * <p>One thread's events keep their order: an event its ring refused went to the shared pool
   * while older ones waited in the ring, so those are passed on just before it ({@link
   * Event#overflowOf}). Events of different threads have no order but this one: the shared pool's
   * lifecycle events (a pool's creation, an agent's start) come before the rings' events drained
   * with them.
   *
   * @return the number of events drained
   */
  public int drain(Consumer<Event> sink) {
    int slots = ringSlots.get();
    for (int i = 0; i < slots; i++) {
      ThreadEvents ring = rings.get(i);
      drainRings[i] = ring;
      if (ring != null) {
        ownerEnded[i] = !ring.owner.isAlive(); // before the snapshot: an ended thread adds nothing
        drainUpTo[i] = ring.published();
        // After the events: a pool event published before an event drained now is drained too.
        drainPoolUpTo[i] = ring.poolPublished();
      }
    }
    int drained = drainShared(sink);
    int fullest = 0;
    for (int i = 0; i < slots; i++) {
      ThreadEvents ring = drainRings[i];
      if (ring == null) {
        continue; // a ring registered since is drained next time
      }
      drainRings[i] = null;
      int fromPool = ring.drainPool(drainPoolUpTo[i], poolEventScratch, sink);
      int fromRing = ring.drain(drainUpTo[i], sink);
      ring.passRunningTask(runStartScratch, sink);
      ring.passOpenCall(runStartScratch, sink);
      fullest = Math.max(fullest, Math.max(fromRing, fromPool));
      drained += fromRing + fromPool;
      if (ownerEnded[i]) {
        retiredFullClaims += ring.fullClaims(); // single writer: the exporter
        if (ring.holdsLeaveToGrow) { // its owner has ended: its last write is seen
          grownRings.decrementAndGet();
        }
        rings.set(i, null);
      }
    }
    lastFullestRing = fullest;
    return drained;
  }

  /**
   * The most events the last {@link #drain} took from one thread's ring, out of {@link
   * #ringSize()}: how close the busiest thread came to filling its ring. Exporter thread only.
   */
  public int lastFullestRing() {
    return lastFullestRing;
  }

  /** Events one thread's ring holds at first; a ring that fills may grow. */
  public static int ringSize() {
    return ThreadEvents.SIZE;
  }

  /**
   * Drains the shared pool: every event published before the drain began, and whatever its thread
   * published before it into its ring.
   *
   * <p>Not the queue's relaxed drain: that stops at a slot whose producer has claimed it and not
   * yet written it, and an event of another thread published after it would then wait for the next
   * drain, while its thread's later events, in its ring, were drained now, out of order. A {@code
   * poll} waits for that write, which a host thread does right after its claim. The pool holds at
   * most {@link #capacity} events, so as many polls take all that was published before.
   */
  private int drainShared(Consumer<Event> sink) {
    int drained = 0;
    for (int i = 0; i < capacity; i++) {
      Event event = published.poll();
      if (event == null) {
        break;
      }
      drained++;
      try {
        ThreadEvents overflowed = event.overflowOf;
        if (overflowed != null) {
          // What its thread put in its ring before this event is passed on first.
          drained +=
              event.overflowOfPool
                  ? overflowed.drainPool(event.overflowAt, poolEventScratch, sink)
                  : overflowed.drain(event.overflowAt, sink);
          overflowed.passStartBefore(event, sink);
        }
        sink.accept(event);
      } finally {
        event.clear();
        // Not relaxedOffer: that fails, and the event would be lost to the pool, when a host
        // thread has claimed the slot the event goes back to and not yet emptied it. offer waits
        // for that instead, and fails only on a full queue, which cannot be: the event was out.
        free.offer(event);
      }
    }
    return drained;
  }

  public int capacity() {
    return capacity;
  }

  /** Events published and not yet drained, in the pool and the rings; a racy estimate. */
  public int pending() {
    return published.size() + (int) sumOverRings(ThreadEvents::pending);
  }

  /** Events that can be in flight now: the pool's and those of the rings threads have. */
  public int slots() {
    return capacity + (int) sumOverRings(ThreadEvents::capacityWithPoolEvents);
  }

  /**
   * Events that went to the shared pool because their thread's ring was full, since start: a thread
   * recording faster than the exporter drains. A racy sum.
   */
  public long ringFullClaims() {
    return retiredFullClaims + sumOverRings(ThreadEvents::fullClaims);
  }

  /**
   * The sum of {@code value} over the rings threads have now; for figures read off the host path.
   */
  private long sumOverRings(ToLongFunction<ThreadEvents> value) {
    long sum = 0;
    int slots = ringSlots.get();
    for (int i = 0; i < slots; i++) {
      ThreadEvents ring = rings.get(i);
      if (ring != null) {
        sum += value.applyAsLong(ring);
      }
    }
    return sum;
  }

  /** Events dropped because the pool was empty, since start. */
  public long dropped() {
    return dropped.sum();
  }
}
