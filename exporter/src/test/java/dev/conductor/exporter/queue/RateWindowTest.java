package dev.conductor.exporter.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Events per second over a window of whole seconds, against a count of the same events by hand. */
class RateWindowTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void countsTheEventsOfTheLastSecondsWhateverTheirOrderWithinReach() {
    Random random = new Random(3);
    int windowSeconds = 5;
    RateWindow window = new RateWindow(windowSeconds);
    long start = -7 * SECOND + 123; // nanoTime may be negative
    long[] events = new long[20_000];
    long now = start;
    for (int i = 0; i < events.length; i++) {
      now += random.nextInt(2_000_000); // about 1,000 events a second
      // mostly in order, sometimes a little late, as threads' events reach the exporter
      long at = random.nextInt(10) == 0 ? now - random.nextInt(300_000_000) : now;
      events[i] = at;
      window.add(at);
      if (i % 997 == 0) {
        assertThat(window.perSecond(now))
            .as("after %d events", i)
            .isEqualTo(expected(events, i, now, windowSeconds));
      }
    }
    assertThat(window.perSecond(now))
        .isEqualTo(expected(events, events.length - 1, now, windowSeconds));
    assertThat(window.perSecond(now + 10 * SECOND)).as("all out of the window").isZero();
  }

  /** Events 0..last whose second is one of the window's seconds ending with now's. */
  private static double expected(long[] events, int last, long now, int windowSeconds) {
    long nowSecond = Math.floorDiv(now, SECOND);
    long newestSeen = Long.MIN_VALUE;
    long total = 0;
    for (int i = 0; i <= last; i++) {
      long second = Math.floorDiv(events[i], SECOND);
      newestSeen = Math.max(newestSeen, second);
      // an event older than the window when it arrived is not counted, as by the window
      boolean counted = second > newestSeen - windowSeconds;
      if (counted && second > nowSecond - windowSeconds && second <= nowSecond) {
        total++;
      }
    }
    return (double) total / windowSeconds;
  }
}
