package dev.conductor.exporter.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainPacingTest {
  private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int POOL = 16_384;
  private static final int RING = 256;
  private final DrainPacing pacing = new DrainPacing(INTERVAL, POOL, RING);

  @Test
  void anIdleDrainWaitsTheWholeInterval() {
    assertThat(pacing.pauseAfter(0, 0, INTERVAL)).isEqualTo(INTERVAL);
  }

  @Test
  void aSharedPoolHalfFullIsDrainedAgainAtOnce() {
    assertThat(pacing.pauseAfter(POOL / 2, 0, INTERVAL)).isZero();
  }

  @Test
  void flowingEventsBringTheExporterBackInATenthOfTheInterval() {
    assertThat(pacing.pauseAfter(500, RING / 4, INTERVAL)).isEqualTo(INTERVAL / 10);
  }

  @Test
  void aTrickleOfEventsWaitsTheWholeIntervalToo() {
    long since = TimeUnit.MILLISECONDS.toNanos(10);
    // 3 events in 10 ms from one ring: 30 in an interval, under an eighth of the ring (32)
    assertThat(pacing.pauseAfter(3, 3, since)).isEqualTo(INTERVAL);
    // 4 in 10 ms: 40 in an interval, over an eighth
    assertThat(pacing.pauseAfter(4, 4, since)).isEqualTo(INTERVAL / 10);
    // one event from each of many rings, or through the shared pool: the total counts too
    assertThat(pacing.pauseAfter(POOL / 40, 1, since)).isEqualTo(INTERVAL / 10);
  }

  @Test
  void aRingFilledFastIsDrainedWhileAQuarterFullAtTheRateItFilled() {
    long since = TimeUnit.MILLISECONDS.toNanos(10);
    // 256 events in 10 ms: 64 more take 2.5 ms
    assertThat(pacing.pauseAfter(300, RING, since)).isEqualTo(TimeUnit.MICROSECONDS.toNanos(2500));
    // 128 events in 10 ms: 64 more take 5 ms
    assertThat(pacing.pauseAfter(300, RING / 2, since)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
  }

  @Test
  void thePauseNeverDropsBelowTheShortestSleep() {
    assertThat(pacing.pauseAfter(300, RING, 1_000)).isEqualTo(DrainPacing.MIN_PAUSE_NANOS);
  }

  @Test
  void aShortIntervalIsNeverLengthened() {
    DrainPacing fast = new DrainPacing(TimeUnit.MILLISECONDS.toNanos(10), POOL, RING);
    // a full ring in 20 ms: a quarter takes 5 ms, more than a tenth of this interval
    assertThat(fast.pauseAfter(300, RING, TimeUnit.MILLISECONDS.toNanos(20)))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
  }
}
