package dev.conductor.benchmarks;

import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.TaskEvent;
import java.util.Locale;
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
 * The event pool alone ({@code dev.conductor.bootstrap.EventBuffer}, the same class the agent puts
 * in the bootstrap loader), with the agent's default capacity of 16384:
 *
 * <ul>
 *   <li>{@link #claimPublish}: what a host thread does per recorded call (one claim, a few plain
 *       writes, one publish) while a {@link Drainer} thread empties the buffer as the exporter
 *       does;
 *   <li>{@link #claimPublishDrainInline}: the same plus draining that one event on the same thread:
 *       no second thread, no drops, both queue round trips on one core;
 *   <li>{@link #claimWhenFull}: the drop path, when all events are in flight.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventBufferBenchmark {
  static final int CAPACITY = 16_384;
  static final long DRAIN_INTERVAL_MS = 100;

  /** A buffer drained by a background thread, like the agent's. */
  @State(Scope.Benchmark)
  public static class Drained {
    EventBuffer buffer;
    Drainer drainer;
    long calls;
    private long iterationCalls;
    private long iterationDropped;

    @Setup(Level.Trial)
    public void setUp() {
      buffer = new EventBuffer(CAPACITY);
      drainer = new Drainer(buffer, DRAIN_INTERVAL_MS);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
      iterationCalls = calls;
      iterationDropped = buffer.dropped();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
      long made = calls - iterationCalls;
      long dropped = buffer.dropped() - iterationDropped;
      System.out.printf(
          Locale.ROOT,
          "[claimPublish] calls %d, dropped %d (%.1f%%)%n",
          made,
          dropped,
          made == 0 ? 0.0 : 100.0 * dropped / made);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      drainer.stop();
    }
  }

  /** A buffer drained by the benchmark thread itself. */
  @State(Scope.Thread)
  public static class Inline {
    final EventBuffer buffer = new EventBuffer(CAPACITY);
    final Consumer<TaskEvent> sink = event -> {};
    long calls;
  }

  /** A buffer whose every event is claimed and never returned. */
  @State(Scope.Thread)
  public static class Full {
    final EventBuffer buffer = new EventBuffer(CAPACITY);

    @Setup(Level.Trial)
    public void exhaust() {
      while (buffer.claim() != null) {
        // take every free event
      }
    }
  }

  @Benchmark
  public TaskEvent claimPublish(Drained state) {
    EventBuffer buffer = state.buffer;
    long call = state.calls++;
    TaskEvent event = buffer.claim();
    if (event != null) {
      event.point = 0;
      event.startNanos = call;
      event.durationNanos = 1;
      buffer.publish(event);
    }
    return event;
  }

  @Benchmark
  public int claimPublishDrainInline(Inline state) {
    EventBuffer buffer = state.buffer;
    TaskEvent event = buffer.claim();
    event.point = 0;
    event.startNanos = state.calls++;
    event.durationNanos = 1;
    buffer.publish(event);
    return buffer.drain(state.sink);
  }

  @Benchmark
  public TaskEvent claimWhenFull(Full state) {
    return state.buffer.claim();
  }
}
