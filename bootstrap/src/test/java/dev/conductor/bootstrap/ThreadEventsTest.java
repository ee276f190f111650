package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadEventsTest {

  @Test
  void aThreadsEventsAreDrainedInOrderAndTheirSlotsReused() {
    EventBuffer buffer = new EventBuffer(64);
    ThreadEvents ring = buffer.newRing(Thread.currentThread());
    List<Long> seen = new ArrayList<>();
    long n = 0;
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 200; i++) {
        Event event = ring.claim();
        assertThat(event).isNotNull();
        event.startNanos = n++;
        ring.publish();
      }
      assertThat(buffer.pending()).isEqualTo(200);
      buffer.drain(e -> seen.add(e.startNanos));
    }
    assertThat(seen).hasSize(1000);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }

  @Test
  void aFullRingOrAnOpenClaimSendsTheCallerToTheSharedPool() {
    EventBuffer buffer = new EventBuffer(64);
    ThreadEvents ring = buffer.newRing(Thread.currentThread());
    assertThat(ring.claim()).isNotNull();
    assertThat(ring.claim()).as("a claim is open: a nested one must not take its slot").isNull();
    ring.publish();
    for (int i = 1; i < ThreadEvents.SIZE; i++) {
      assertThat(ring.claim()).isNotNull();
      ring.publish();
    }
    assertThat(ring.claim()).as("full").isNull();
    assertThat(buffer.ringFullClaims()).as("only the full ring's refusal counts").isEqualTo(1);
    buffer.drain(e -> {});
    assertThat(buffer.lastFullestRing()).isEqualTo(ThreadEvents.SIZE);
    assertThat(ring.claim()).as("room again once drained").isNotNull();
  }

  @Test
  void fullRingClaimsStayCountedAfterTheirThreadsRingIsDropped() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    Thread worker =
        new Thread(
            () -> {
              ThreadEvents ring = buffer.newRing(Thread.currentThread());
              for (int i = 0; i < ThreadEvents.SIZE + 3; i++) {
                Event event = ring.claim();
                if (event != null) {
                  ring.publish();
                }
              }
            });
    worker.start();
    worker.join();
    assertThat(buffer.ringFullClaims()).isEqualTo(3);
    buffer.drain(e -> {});
    assertThat(buffer.slots()).as("the ring is gone").isEqualTo(64);
    assertThat(buffer.ringFullClaims()).isEqualTo(3);
  }

  @Test
  void recordersUseTheRingAndPublishToIt() {
    EventBuffer buffer = new EventBuffer(64);
    installWithoutPoints(buffer);
    Event task = Recorders.claim(Event.TASK_END, 0, 1);
    assertThat(task.ring).as("a hot event comes from the thread's ring").isNotNull();
    Recorders.publish(CallDepth.current(), task);
    Event created = Recorders.claim(Event.EXECUTOR_CREATED, 0, 2);
    assertThat(created.ring).as("a lifecycle event comes from the shared pool").isNull();
    Recorders.publish(CallDepth.current(), created);

    List<Integer> kinds = new ArrayList<>();
    buffer.drain(e -> kinds.add(e.kind));
    assertThat(kinds)
        .as("the shared pool is drained first: a pool's creation before its tasks")
        .containsExactly(Event.EXECUTOR_CREATED, Event.TASK_END);
  }

  @Test
  void aThreadsEventsKeepTheirOrderWhenItsRingOverflowsOrAClaimIsOpen() {
    EventBuffer buffer = new EventBuffer(64);
    installWithoutPoints(buffer);
    long n = 0;
    // No drain yet (the exporter has not started, say): the ring fills, then the pool takes over.
    for (int i = 0; i < ThreadEvents.SIZE + 3; i++) {
      Event event = Recorders.claim(Event.TASK_END, 0, n++);
      Recorders.publish(CallDepth.current(), event);
    }
    // A nested claim while one is open (a label getter that is itself recorded) ends first.
    buffer.drain(e -> {});
    Event outer = Recorders.claim(Event.TASK_END, 0, -1);
    Event nested = Recorders.claim(Event.TASK_END, 0, -1);
    assertThat(nested.ring).as("the nested claim comes from the shared pool").isNull();
    nested.startNanos = n++;
    Recorders.publish(CallDepth.current(), nested);
    outer.startNanos = n++;
    Recorders.publish(CallDepth.current(), outer);

    List<Long> seen = new ArrayList<>();
    buffer.drain(e -> seen.add(e.startNanos));
    assertThat(seen).containsExactly(ThreadEvents.SIZE + 3L, ThreadEvents.SIZE + 4L);

    EventBuffer fresh = new EventBuffer(64);
    installWithoutPoints(fresh);
    for (int i = 0; i < ThreadEvents.SIZE + 3; i++) {
      Recorders.publish(CallDepth.current(), Recorders.claim(Event.TASK_END, 0, i));
    }
    List<Long> order = new ArrayList<>();
    fresh.drain(e -> order.add(e.startNanos));
    assertThat(order).hasSize(ThreadEvents.SIZE + 3);
    for (int i = 0; i < order.size(); i++) {
      assertThat(order.get(i)).as("event %d", i).isEqualTo(i);
    }
  }

  @Test
  void theRingOfAThreadThatEndedIsDrainedThenDropped() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    Thread worker =
        new Thread(
            () -> {
              ThreadEvents ring = buffer.newRing(Thread.currentThread());
              for (int i = 0; i < 3; i++) {
                ring.claim().startNanos = i;
                ring.publish();
              }
            });
    worker.start();
    worker.join();
    assertThat(buffer.slots()).isEqualTo(64 + ThreadEvents.SIZE);
    List<Long> seen = new ArrayList<>();
    buffer.drain(e -> seen.add(e.startNanos));
    assertThat(seen).containsExactly(0L, 1L, 2L);
    assertThat(buffer.slots()).as("the ended thread's ring is gone").isEqualTo(64);
  }

  @Test
  void ringsAreBoundedInNumber() {
    EventBuffer buffer = new EventBuffer(64);
    for (int i = 0; i < EventBuffer.MAX_RINGS; i++) {
      assertThat(buffer.newRing(Thread.currentThread())).isNotNull();
    }
    assertThat(buffer.newRing(Thread.currentThread())).isNull();
  }

  @Test
  void aRingThatFillsGrowsOnceTheExporterHasDrainedItAndKeepsItsOrder() {
    EventBuffer buffer = new EventBuffer(64);
    ThreadEvents ring = buffer.newRing(Thread.currentThread());
    List<Long> seen = new ArrayList<>();
    long n = 0;
    for (int i = 0; i < ThreadEvents.SIZE; i++) {
      publish(ring, n++);
    }
    assertThat(ring.claim()).as("full").isNull();
    assertThat(buffer.grownRings()).as("the ring took one of the buffer's leaves").isEqualTo(1);
    assertThat(ring.claim()).as("refused until the exporter has drained the ring").isNull();
    assertThat(ring.capacity()).isEqualTo(ThreadEvents.SIZE);

    buffer.drain(e -> seen.add(e.startNanos));
    for (int i = 0; i < ThreadEvents.GROWN_SIZE; i++) {
      publish(ring, n++);
    }
    assertThat(ring.capacity()).isEqualTo(ThreadEvents.GROWN_SIZE);
    assertThat(buffer.slots()).isEqualTo(64 + ThreadEvents.GROWN_SIZE);
    assertThat(ring.claim()).as("a grown ring does not grow again").isNull();
    assertThat(buffer.grownRings()).isEqualTo(1);
    buffer.drain(e -> seen.add(e.startNanos));
    assertThat(seen).hasSize(ThreadEvents.SIZE + ThreadEvents.GROWN_SIZE);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).as("event %d", i).isEqualTo(i);
    }
  }

  @Test
  void aThreadsEventsKeepTheirOrderWhileItsRingWaitsToGrow() {
    EventBuffer buffer = new EventBuffer(64);
    installWithoutPoints(buffer);
    long n = 0;
    for (int i = 0; i < ThreadEvents.SIZE + 10; i++) {
      // the last ten go through the shared pool: the ring is full, then waits to be drained
      Recorders.publish(CallDepth.current(), Recorders.claim(Event.TASK_END, 0, n++));
    }
    List<Long> order = new ArrayList<>();
    buffer.drain(e -> order.add(e.startNanos));
    for (int i = 0; i < 10; i++) {
      Recorders.publish(CallDepth.current(), Recorders.claim(Event.TASK_END, 0, n++));
    }
    assertThat(CallDepth.current().ring().capacity()).isEqualTo(ThreadEvents.GROWN_SIZE);
    buffer.drain(e -> order.add(e.startNanos));
    assertThat(order).hasSize(ThreadEvents.SIZE + 20);
    for (int i = 0; i < order.size(); i++) {
      assertThat(order.get(i)).as("event %d", i).isEqualTo(i);
    }
  }

  @Test
  void onlySoManyRingsGrowAndARingDroppedGivesItsLeaveBack() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    List<Thread> fillers = new ArrayList<>();
    for (int t = 0; t <= EventBuffer.MAX_GROWN_RINGS; t++) {
      Thread filler =
          new Thread(
              () -> {
                ThreadEvents ring = buffer.newRing(Thread.currentThread());
                for (int i = 0; i <= ThreadEvents.SIZE; i++) {
                  publish(ring, i);
                }
              });
      filler.start();
      filler.join();
      fillers.add(filler);
    }
    assertThat(buffer.grownRings()).isEqualTo(EventBuffer.MAX_GROWN_RINGS);
    buffer.drain(e -> {});
    assertThat(buffer.grownRings()).as("their threads ended: the rings are dropped").isZero();
    ThreadEvents ring = buffer.newRing(Thread.currentThread());
    for (int i = 0; i <= ThreadEvents.SIZE; i++) {
      publish(ring, i);
    }
    assertThat(buffer.grownRings()).isEqualTo(1);
  }

  @Test
  void publishingTouchesOnlyASlotTheExporterHasDrained() {
    EventBuffer buffer = new EventBuffer(64);
    ThreadEvents ring = buffer.newRing(Thread.currentThread());
    Event first = ring.claim();
    first.point = 7;
    first.status = "done";
    ring.publish();
    for (int i = 1; i < ThreadEvents.SIZE; i++) {
      publish(ring, i);
    }
    // The ring is full and the next slot is the first event's, not drained yet.
    assertThat(first.point).isEqualTo(7);
    assertThat(first.status).isEqualTo("done");
    List<Object> statuses = new ArrayList<>();
    buffer.drain(e -> statuses.add(e.status));
    assertThat(statuses.get(0)).isEqualTo("done");
  }

  @Test
  void aThreadsEventsArriveOnceAndInOrderWhileTheExporterDrainsAndTheRingGrows() throws Exception {
    EventBuffer buffer = new EventBuffer(1024);
    int firstDrained = 100; // drained before the rest, so that the ring fills some way into a lap
    int total = 300_000;
    java.util.concurrent.CountDownLatch published = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
    int[] capacityAtEnd = new int[1];
    Thread producer =
        new Thread(
            () -> {
              installWithoutPoints(buffer);
              CallDepth depth = CallDepth.current();
              for (int i = 0; i < total; i++) {
                if (i == firstDrained) {
                  published.countDown();
                  awaitQuietly(drained);
                }
                Event event = Recorders.claim(depth, Event.TASK_END, 0, i);
                while (event == null) { // the shared pool was empty too: wait for the drainer
                  Thread.onSpinWait();
                  event = Recorders.claim(depth, Event.TASK_END, 0, i);
                }
                Recorders.publish(depth, event);
              }
              capacityAtEnd[0] = depth.ring().capacity();
            });
    List<Long> seen = new ArrayList<>(total);
    producer.start();
    published.await();
    buffer.drain(e -> seen.add(e.startNanos));
    drained.countDown();
    while (producer.isAlive()) {
      Thread.sleep(1); // late, as the exporter can be: the ring fills, waits to be drained, grows
      buffer.drain(e -> seen.add(e.startNanos));
    }
    buffer.drain(e -> seen.add(e.startNanos));
    assertThat(capacityAtEnd[0]).as("the ring grew").isEqualTo(ThreadEvents.GROWN_SIZE);
    assertThat(buffer.ringFullClaims()).as("events went through the shared pool").isPositive();
    assertThat(seen).hasSize(total);
    for (int i = 0; i < total; i++) {
      if (seen.get(i) != i) {
        assertThat(seen.get(i)).as("event %d", i).isEqualTo(i);
      }
    }
  }

  private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Claims, stamps and publishes one event; a refused claim publishes nothing. */
  private static void publish(ThreadEvents ring, long startNanos) {
    Event event = ring.claim();
    if (event != null) {
      event.startNanos = startNanos;
      ring.publish();
    }
  }

  /**
   * The recorders on {@code buffer}, with one task point whose labels {@code capture} reads and
   * whose starts are recorded or not.
   */
  static void installTaskPoint(EventBuffer buffer, LabelCapture capture, boolean trackStarts) {
    Recorders.install(
        buffer,
        new LabelCapture[] {capture},
        new boolean[] {trackStarts},
        new LabelCapture[0],
        new LabelCapture[0],
        new LabelCapture[0]);
  }

  /** The recorders on {@code buffer}, with no point: claims and publishes only. */
  static void installWithoutPoints(EventBuffer buffer) {
    Recorders.install(
        buffer,
        new LabelCapture[0],
        new boolean[0],
        new LabelCapture[0],
        new LabelCapture[0],
        new LabelCapture[0]);
  }
}
