package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventBufferTest {

  /**
   * Threads without a ring of their own (virtual threads, or more than the buffer has rings for)
   * all claim from the shared pool at once while the exporter returns events: no event is lost on
   * the way back, so the pool keeps its full capacity.
   */
  @Test
  void theSharedPoolLosesNoEventWhileThreadsClaimFromItTogether() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    int threads = 4;
    int perThread = 200_000;
    AtomicLong published = new AtomicLong();
    List<Thread> claimers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      claimers.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  Event event = buffer.claim();
                  if (event != null) {
                    buffer.publish(event);
                    published.incrementAndGet();
                  }
                }
              }));
    }
    claimers.forEach(Thread::start);
    long drained = 0;
    while (claimers.stream().anyMatch(Thread::isAlive)) {
      drained += buffer.drain(event -> {});
    }
    drained += buffer.drain(event -> {});
    assertThat(drained).isEqualTo(published.get());
    for (int i = 0; i < buffer.capacity(); i++) {
      assertThat(buffer.claim()).as("event %d of the pool", i).isNotNull();
    }
  }

  @Test
  void fullBufferDropsAndCountsInsteadOfBlocking() {
    EventBuffer buffer = new EventBuffer(4);
    for (int i = 0; i < 4; i++) {
      Event event = buffer.claim();
      assertThat(event).isNotNull();
      buffer.publish(event);
    }
    assertThat(buffer.claim()).isNull();
    assertThat(buffer.claim()).isNull();
    assertThat(buffer.dropped()).isEqualTo(2);
    assertThat(buffer.pending()).isEqualTo(4);

    assertThat(buffer.drain(event -> {})).isEqualTo(4);
    assertThat(buffer.claim()).as("drained events return to the pool").isNotNull();
  }

  @Test
  void aPartlyMadePoolHoldsItsFullCapacityOnceTheExporterSideFillsIt() {
    EventBuffer buffer = new EventBuffer(8, 2);
    assertThat(buffer.capacity()).isEqualTo(8);
    assertThat(buffer.claim()).isNotNull();
    assertThat(buffer.claim()).isNotNull();

    buffer.fillRemaining();
    for (int i = 0; i < 6; i++) {
      assertThat(buffer.claim()).isNotNull();
    }
    assertThat(buffer.claim()).as("never more than the capacity").isNull();
    buffer.fillRemaining();
    assertThat(buffer.claim()).as("filling twice makes nothing more").isNull();
    assertThat(buffer.dropped()).isEqualTo(2);
  }

  /**
   * Before the exporter's first drain, a host that records at full speed must not lose events while
   * the pool is only partly made: a claim makes what the exporter has not made yet.
   */
  @Test
  void beforeThePoolIsFilledAClaimMakesItsEventUpToTheCapacity() {
    EventBuffer buffer = new EventBuffer(8, 2);
    List<Event> claimed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Event event = buffer.claim();
      assertThat(event).as("claim %d", i).isNotNull();
      claimed.add(event);
    }
    assertThat(buffer.claim()).as("never more than the capacity").isNull();
    assertThat(buffer.dropped()).isEqualTo(1);

    buffer.fillRemaining(); // everything is made: nothing more to make
    claimed.forEach(buffer::publish);
    assertThat(buffer.drain(event -> {})).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      assertThat(buffer.claim()).as("all eight back in the pool").isNotNull();
    }
    assertThat(buffer.claim()).isNull();
  }

  @Test
  void drainedEventsAreClearedSoNoApplicationObjectStaysReachable() {
    EventBuffer buffer = new EventBuffer(2);
    Event event = buffer.claim();
    event.taskType = "analysis";
    event.thrown = new IllegalStateException();
    buffer.publish(event);
    List<Object> seen = new ArrayList<>();
    buffer.drain(e -> seen.add(e.taskType));
    assertThat(seen).containsExactly("analysis");
    assertThat(event.taskType).isNull();
    assertThat(event.thrown).isNull();
  }

  @Test
  void everyEventFromManyThreadsIsDrainedOrCountedAsDropped() throws Exception {
    EventBuffer buffer = new EventBuffer(256);
    int threads = 4;
    int perThread = 200_000;
    AtomicLong drained = new AtomicLong();
    AtomicLong durationSum = new AtomicLong();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread consumer =
        new Thread(
            () -> {
              while (producing.get() || buffer.pending() > 0) {
                buffer.drain(
                    e -> {
                      drained.incrementAndGet();
                      durationSum.addAndGet(e.durationNanos);
                    });
              }
            });
    consumer.start();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  Event event = buffer.claim();
                  if (event != null) {
                    event.durationNanos = 1;
                    buffer.publish(event);
                  }
                }
              });
      producer.start();
      producers.add(producer);
    }
    start.countDown();
    for (Thread producer : producers) {
      producer.join();
    }
    producing.set(false);
    consumer.join();
    buffer.drain(e -> drained.incrementAndGet());

    assertThat(drained.get() + buffer.dropped()).isEqualTo((long) threads * perThread);
    assertThat(durationSum.get()).isEqualTo(drained.get());
  }
}
