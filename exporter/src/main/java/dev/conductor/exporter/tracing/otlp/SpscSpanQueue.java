package dev.conductor.exporter.tracing.otlp;

import dev.conductor.exporter.tracing.Span;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded ring of spans between exactly one producer (the agent's exporter thread) and exactly
 * one consumer (the {@code conductor-otlp} thread). No locks: {@link #offer} never waits and
 * allocates nothing, it fails when the ring is full.
 *
 * <p>Invariants: only the producer writes {@code tail}, only the consumer writes {@code head}; a
 * slot is written by the producer only while it lies outside {@code [head, tail)} and read or
 * cleared by the consumer only while inside. Each side publishes its index with a release store
 * ({@code lazySet}) after touching the slot, and reads the other side's index with a volatile load
 * before touching one: the slot's contents are visible to whoever sees the index move.
 */
final class SpscSpanQueue {
  private final Span[] slots;
  private final AtomicLong head = new AtomicLong(); // next slot to take; consumer writes
  private final AtomicLong tail = new AtomicLong(); // next slot to fill; producer writes

  SpscSpanQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    slots = new Span[capacity];
  }

  int capacity() {
    return slots.length;
  }

  /** Producer only. False when full: the span was not queued. */
  boolean offer(Span span) {
    long t = tail.get();
    if (t - head.get() >= slots.length) {
      return false;
    }
    slots[(int) (t % slots.length)] = span;
    tail.lazySet(t + 1);
    return true;
  }

  /** Consumer only. Moves up to {@code max} spans, oldest first, into {@code into}. */
  int drainTo(List<Span> into, int max) {
    long h = head.get();
    int count = (int) Math.min(tail.get() - h, max);
    for (int i = 0; i < count; i++) {
      int slot = (int) ((h + i) % slots.length);
      into.add(slots[slot]);
      slots[slot] = null;
    }
    head.lazySet(h + count);
    return count;
  }

  /** Either side; exact on the producer's and the consumer's own thread, else a snapshot. */
  int size() {
    long h = head.get();
    return (int) (tail.get() - h);
  }
}
