package dev.conductor.bootstrap;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
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
 */
public final class EventBuffer {
  private final int capacity;
  private final SpmcAtomicArrayQueue<Event> free;
  private final MpscAtomicArrayQueue<Event> published;
  private final LongAdder dropped = new LongAdder();

  /** Events made so far; written by whichever thread fills, one at a time (see below). */
  private int made;

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
    for (; made < upTo; made++) {
      free.offer(new Event());
    }
  }

  /**
   * Takes a free event for the caller to fill, or returns null (and counts a drop) when all events
   * are in flight. Any thread; never blocks.
   */
  public Event claim() {
    Event event = free.relaxedPoll();
    if (event == null) {
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
   * Passes every published event to {@code sink}, then clears it and returns it to the pool.
   * Exporter thread only.
   *
   * @return the number of events drained
   */
  public int drain(Consumer<Event> sink) {
    return published.drain(
        event -> {
          try {
            sink.accept(event);
          } finally {
            event.clear();
            free.relaxedOffer(event);
          }
        });
  }

  public int capacity() {
    return capacity;
  }

  /** Events published and not yet drained; a racy estimate for the fill gauge. */
  public int pending() {
    return published.size();
  }

  /** Events dropped because the pool was empty, since start. */
  public long dropped() {
    return dropped.sum();
  }
}
