package dev.conductor.benchmarks;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event pool alone ({@code dev.conductor.bootstrap.EventBuffer}, the class the agent defines in
 * the bootstrap loader, here from the unshaded module), at the agent's default capacity of 16384:
 *
 * <ul>
 *   <li>{@link #claimPublish}: what a host thread does per recorded call (one claim, a few plain
 *       writes, one publish). The benchmark thread drains the pool itself every {@value
 *       #DRAIN_BATCH} calls, so no call ever finds it empty; the drain's share per call (one poll,
 *       one clear, one offer) is part of the figure. No second thread, so no cross-core traffic:
 *       the floor of the queue operations;
 *   <li>{@link #claimWhenFull}: the drop path, when every event is in flight.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventBufferBenchmark {
  static final int CAPACITY = 16_384;
  static final int DRAIN_BATCH = 1024;

  /** A pool drained by the benchmark thread itself. */
  @State(Scope.Thread)
  public static class Pool {
    final EventBuffer buffer = new EventBuffer(CAPACITY);
    final Consumer<Event> sink = event -> {};
    long calls;

    @Setup(Level.Trial)
    public void setUp() {
      AgentCheck.requireNoAgent();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (buffer.dropped() != 0) {
        throw new IllegalStateException(buffer.dropped() + " events dropped; the figure is void");
      }
    }
  }

  /** A pool whose every event is claimed and never returned. */
  @State(Scope.Thread)
  public static class Full {
    final EventBuffer buffer = new EventBuffer(CAPACITY);

    @Setup(Level.Trial)
    public void exhaust() {
      AgentCheck.requireNoAgent();
      while (buffer.claim() != null) {
        // take every free event
      }
    }
  }

  @Benchmark
  public Event claimPublish(Pool state) {
    EventBuffer buffer = state.buffer;
    long call = ++state.calls;
    Event event = buffer.claim();
    event.kind = Event.TASK_END;
    event.point = 0;
    event.startNanos = call;
    event.durationNanos = 1;
    buffer.publish(event);
    if ((call & (DRAIN_BATCH - 1)) == 0) {
      buffer.drain(state.sink);
    }
    return event;
  }

  @Benchmark
  public Event claimWhenFull(Full state) {
    return state.buffer.claim();
  }
}
