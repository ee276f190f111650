package dev.conductor.exporter.drain;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The one exporter thread: empties the event buffer into the aggregates on a short interval, sooner
 * while events flow ({@link DrainPacing}). A failure while recording one event is counted and the
 * loop goes on; the loop never dies while the agent runs.
 */
public final class ExporterLoop implements Runnable {
  private final EventBuffer buffer;
  private final EventRouter sink;
  private final DrainPacing pacing;
  private final Consumer<Throwable> onFailure;
  private final Consumer<Event> recorder = this::recordSafely; // once, not once per drain
  private volatile long lastDrainNanos = System.nanoTime();
  private long lastDrainStartNanos = System.nanoTime(); // loop thread only
  private volatile long drainedTotal; // single writer: the loop thread
  private volatile boolean running = true;
  private volatile Thread thread;

  public ExporterLoop(
      EventBuffer buffer, EventRouter sink, long intervalMillis, Consumer<Throwable> onFailure) {
    this.buffer = buffer;
    this.sink = sink;
    this.pacing =
        new DrainPacing(
            TimeUnit.MILLISECONDS.toNanos(intervalMillis),
            buffer.capacity(),
            EventBuffer.ringSize());
    this.onFailure = onFailure;
  }

  /** Starts the loop on a daemon thread of its own. */
  public void start() {
    Thread loopThread = new Thread(this, "conductor-exporter");
    loopThread.setDaemon(true);
    thread = loopThread;
    loopThread.start();
  }

  @Override
  public void run() {
    buffer.fillRemaining(); // before the first drain: this thread is the free pool's one producer
    while (running) {
      drainAndPause();
    }
    drainOnce(); // what was published before stop() still counts
  }

  /**
   * One turn of the loop. A method of its own so that the JIT compiles it after some calls: the
   * loop above is entered once and stays interpreted until an on-stack replacement, which at a few
   * drains a second never comes (2% of the exporter's samples were there on a busy host).
   */
  private void drainAndPause() {
    long start = System.nanoTime();
    int drained = drainOnce();
    long pause = pacing.pauseAfter(drained, buffer.lastFullestRing(), start - lastDrainStartNanos);
    lastDrainStartNanos = start;
    if (pause > 0) {
      LockSupport.parkNanos(pause);
    }
  }

  /** Drains what is there now. Loop thread only: the buffer allows a single consumer. */
  private int drainOnce() {
    int drained = 0;
    try {
      drained = buffer.drain(recorder);
    } catch (Throwable e) {
      onFailure.accept(e);
    }
    drainedTotal += drained;
    long now = System.nanoTime();
    try {
      sink.afterDrain(now);
    } catch (RuntimeException e) {
      onFailure.accept(e);
    }
    lastDrainNanos = now;
    return drained;
  }

  private void recordSafely(Event event) {
    try {
      sink.accept(event);
    } catch (RuntimeException e) {
      onFailure.accept(e);
    }
  }

  /** Events taken from the buffer and recorded (or failed to record), since start. */
  public long drainedTotal() {
    return drainedTotal;
  }

  public double secondsSinceLastDrain() {
    return (System.nanoTime() - lastDrainNanos) / 1e9;
  }

  /** True while the loop thread is alive; the health check reads this. */
  public boolean isAlive() {
    Thread loopThread = thread;
    return loopThread != null && loopThread.isAlive();
  }

  public void stop() {
    running = false;
    Thread loopThread = thread;
    if (loopThread != null) {
      LockSupport.unpark(loopThread);
    }
  }

  /**
   * Stops the loop and waits, at most {@code maxMillis}, for its last drain: what the host
   * published before is then recorded.
   */
  public void stopAndWait(long maxMillis) {
    stop();
    Thread loopThread = thread;
    if (loopThread != null && loopThread != Thread.currentThread()) {
      try {
        loopThread.join(maxMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
