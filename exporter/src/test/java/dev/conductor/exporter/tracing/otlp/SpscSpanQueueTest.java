package dev.conductor.exporter.tracing.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.exporter.tracing.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SpscSpanQueueTest {
  @Test
  void offerFailsOnceCapacitySpansAreQueuedAndSucceedsAgainAfterADrain() {
    SpscSpanQueue queue = new SpscSpanQueue(3);
    assertThat(queue.offer(TestSpans.numbered(0))).isTrue();
    assertThat(queue.offer(TestSpans.numbered(1))).isTrue();
    assertThat(queue.offer(TestSpans.numbered(2))).isTrue();
    assertThat(queue.offer(TestSpans.numbered(3))).isFalse();
    assertThat(queue.size()).isEqualTo(3);

    List<Span> drained = new ArrayList<>();
    assertThat(queue.drainTo(drained, 2)).isEqualTo(2);
    assertThat(queue.offer(TestSpans.numbered(4))).isTrue();
    assertThat(queue.drainTo(drained, 10)).isEqualTo(2);

    assertThat(drained)
        .extracting(Span::name)
        .containsExactly("task 0", "task 1", "task 2", "task 4");
    assertThat(queue.size()).isZero();
  }

  /**
   * One producer and one consumer at full speed on a small ring that wraps many times: every span
   * arrives once, in order, and the consumer never sees a slot before its span is written.
   */
  @Test
  void oneProducerAndOneConsumerLoseDuplicateAndReorderNothing() throws Exception {
    SpscSpanQueue queue = new SpscSpanQueue(64);
    int total = 2_000_000;
    Span[] spans = new Span[256];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = TestSpans.numbered(i);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread consumer =
        new Thread(
            () -> {
              List<Span> batch = new ArrayList<>();
              long next = 0;
              try {
                while (next < total) {
                  batch.clear();
                  queue.drainTo(batch, 17);
                  for (Span span : batch) {
                    if (span != spans[(int) (next % spans.length)]) {
                      throw new AssertionError("at " + next + ": " + span);
                    }
                    next++;
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    consumer.start();
    for (int i = 0; i < total && failure.get() == null; ) {
      if (queue.offer(spans[i % spans.length])) {
        i++;
      } else {
        Thread.onSpinWait();
      }
    }
    consumer.join(60_000);

    assertThat(consumer.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
    assertThat(queue.size()).isZero();
  }
}
