package dev.conductor.exporter.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
  private static final long MS = 1_000_000L;

  private static TracingSettings settings(double ratio, int maxTraces, int maxSpans) {
    return new TracingSettings(
        true, ratio, 1000 * MS, maxTraces, maxSpans, "test", "", Map.of(), 1000, 10, 10, 1000);
  }

  private static Span span(long traceLow, long id, long parent, long durationMs, boolean failed) {
    return new Span(
        7,
        traceLow,
        id,
        parent,
        "s" + id,
        SpanKind.INTERNAL,
        1000 * MS * id,
        1000 * MS * id + durationMs * MS,
        failed,
        null,
        null,
        Map.of(),
        "main");
  }

  @Test
  void aRatioOfOneKeepsEveryTraceAndTheOldestGoFirst() {
    List<Span> exported = new ArrayList<>();
    TraceStore store = new TraceStore(settings(1.0, 10, 100), exported::add);
    for (long trace = 1; trace <= 25; trace++) {
      store.add(span(trace, 1, 0, 5, false));
    }
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.trace(7, 1)).as("evicted").isEmpty();
    assertThat(store.trace(7, 25)).isPresent();
    assertThat(exported).hasSize(25);
    assertThat(store.traces(summary -> true, 3))
        .extracting(TraceSummary::traceIdLow)
        .as("newest first")
        .containsExactly(25L, 24L, 23L);
  }

  @Test
  void aRatioOfZeroStillKeepsFailedAndSlowTracesWholeAndExportsEachSpanOnce() {
    List<Span> exported = new ArrayList<>();
    TraceStore store = new TraceStore(settings(0.0, 10, 100), exported::add);
    store.add(span(1, 1, 0, 5, false)); // an ordinary trace: not kept
    store.add(span(2, 1, 0, 5, false)); // its root first, then a failing child
    store.add(span(2, 2, 1, 5, true));
    store.add(span(3, 1, 0, 2000, false)); // slow
    store.add(span(2, 3, 1, 5, false)); // a later span of a kept trace

    assertThat(store.trace(7, 1)).isEmpty();
    assertThat(store.trace(7, 2)).hasValueSatisfying(spans -> assertThat(spans).hasSize(3));
    assertThat(store.trace(7, 3)).isPresent();
    assertThat(exported).extracting(Span::traceIdLow).containsExactlyInAnyOrder(2L, 2L, 2L, 3L);
  }

  @Test
  void aTraceFoundFailingLaterGetsExactlyItsSpansStillWaitingWhateverTheRingEvicted() {
    // A reference model of the waiting ring (1,024 spans, oldest out first) against the store, over
    // traces whose spans interleave and of which a few fail at some point.
    TraceStore store = new TraceStore(settings(0.0, 100_000, 100), span -> {});
    java.util.ArrayDeque<long[]> waiting = new java.util.ArrayDeque<>();
    java.util.Map<Long, Integer> keptSpans = new java.util.HashMap<>();
    java.util.Random random = new java.util.Random(11);
    int capacity = 1024; // max(1024, 4 x the 100 spans a trace keeps)
    for (int i = 1; i <= 60_000; i++) {
      long trace = 1 + i / 40 + random.nextInt(60); // each trace spans a few hundred adds
      boolean failed = random.nextInt(400) == 0;
      store.add(span(trace, i, 0, 1, failed));
      if (keptSpans.containsKey(trace)) {
        keptSpans.merge(trace, 1, (kept, one) -> Math.min(100, kept + one));
      } else if (failed) {
        int taken = 0;
        for (java.util.Iterator<long[]> it = waiting.iterator(); it.hasNext(); ) {
          if (it.next()[0] == trace) {
            it.remove();
            taken++;
          }
        }
        keptSpans.put(trace, taken + 1);
      } else {
        if (waiting.size() == capacity) {
          waiting.pollFirst();
        }
        waiting.addLast(new long[] {trace});
      }
    }
    assertThat(keptSpans).hasSizeGreaterThan(50);
    assertThat(store.waitingCountsMatch()).as("the filter counts the ring's spans").isTrue();
    for (java.util.Map.Entry<Long, Integer> trace : keptSpans.entrySet()) {
      assertThat(store.trace(7, trace.getKey()))
          .as("trace %d", trace.getKey())
          .hasValueSatisfying(spans -> assertThat(spans).hasSize(trace.getValue()));
    }
  }

  @Test
  void theSampleDecisionDependsOnTheTraceIdAloneAndFollowsTheRatio() {
    TraceStore store = new TraceStore(settings(0.25, 10, 100), span -> {});
    java.util.Random random = new java.util.Random(1);
    int sampled = 0;
    for (int i = 0; i < 100_000; i++) {
      long low = random.nextLong();
      boolean decision = store.sampled(0, low);
      assertThat(store.sampled(99, low)).isEqualTo(decision);
      sampled += decision ? 1 : 0;
    }
    assertThat(sampled).isBetween(24_000, 26_000);
  }

  @Test
  void aTraceKeepsAtMostItsSpanBoundAndCountsTheRest() {
    TraceStore store = new TraceStore(settings(1.0, 10, 3), span -> {});
    for (long id = 1; id <= 5; id++) {
      store.add(span(1, id, id == 1 ? 0 : 1, 5, false));
    }
    assertThat(store.trace(7, 1)).hasValueSatisfying(spans -> assertThat(spans).hasSize(3));
    assertThat(store.spansDiscarded()).isEqualTo(2);
  }

  @Test
  void aTraceThatTakesAnEvictedTracesPlaceHoldsOnlyItsOwnSpans() {
    TraceStore store = new TraceStore(settings(1.0, 2, 10), span -> {});
    for (long id = 1; id <= 3; id++) {
      store.add(span(1, id, id == 1 ? 0 : 1, 5, false)); // trace 1: three spans
    }
    store.add(span(2, 4, 0, 5, false));
    store.add(span(3, 5, 0, 5, false)); // evicts trace 1, takes its place
    store.add(span(3, 6, 5, 5, false));
    store.add(span(2, 7, 4, 5, false)); // trace 2 still there, and grows

    assertThat(store.trace(7, 1)).isEmpty();
    assertThat(store.isKept(7, 1)).isFalse();
    assertThat(store.trace(7, 3))
        .hasValueSatisfying(
            spans -> assertThat(spans).extracting(Span::spanId).containsExactly(5L, 6L));
    assertThat(store.trace(7, 2))
        .hasValueSatisfying(
            spans -> assertThat(spans).extracting(Span::spanId).containsExactly(4L, 7L));
    assertThat(store.traces(summary -> true, 10))
        .extracting(TraceSummary::traceIdLow)
        .containsExactly(3L, 2L);
  }

  @Test
  void aPinnedTraceOutlivesItsEvictionFromTheRingAmongTheNewestSetAside() {
    TraceStore store = new TraceStore(settings(1.0, 2, 10), span -> {});
    store.add(span(1, 1, 0, 5, false));
    store.add(span(1, 2, 1, 5, false));
    assertThat(store.pin(7, 1)).isTrue();
    assertThat(store.pin(7, 1)).as("a second exemplar pointing at it").isTrue();
    store.add(span(2, 3, 0, 5, false));
    store.add(span(3, 4, 0, 5, false)); // the ring holds two: trace 1 leaves it

    assertThat(store.traces(summary -> true, 10))
        .extracting(TraceSummary::traceIdLow)
        .containsExactly(3L, 2L);
    assertThat(store.isKept(7, 1)).isTrue();
    assertThat(store.size()).as("two in the ring, one set aside").isEqualTo(3);
    assertThat(store.trace(7, 1))
        .hasValueSatisfying(
            spans -> assertThat(spans).extracting(Span::spanId).containsExactly(1L, 2L));

    store.add(span(1, 9, 1, 5, false)); // a late span of the trace set aside joins it there
    assertThat(store.trace(7, 1))
        .hasValueSatisfying(
            spans -> assertThat(spans).extracting(Span::spanId).containsExactly(1L, 2L, 9L));
    assertThat(store.traces(summary -> true, 10))
        .as("no partial trace of it in the ring")
        .extracting(TraceSummary::traceIdLow)
        .containsExactly(3L, 2L);

    store.unpin(7, 1);
    store.unpin(7, 1);
    assertThat(store.isKept(7, 1)).as("set aside, unpinned or not").isTrue();

    store.pin(7, 2);
    store.pin(7, 3);
    store.add(span(4, 5, 0, 5, false));
    store.add(span(5, 6, 0, 5, false)); // traces 2 and 3 go aside: as many as the store keeps
    assertThat(store.isKept(7, 2)).isTrue();
    assertThat(store.isKept(7, 3)).isTrue();
    assertThat(store.isKept(7, 1)).as("the oldest set aside makes room").isFalse();
    assertThat(store.trace(7, 1)).isEmpty();
  }

  @Test
  void noMoreTracesArePinnedThanTheStoreKeeps() {
    TraceStore store = new TraceStore(settings(1.0, 2, 10), span -> {});
    assertThat(store.pin(7, 1)).isTrue();
    assertThat(store.pin(7, 2)).isTrue();
    assertThat(store.pin(7, 3)).isFalse();
    assertThat(store.pin(7, 1)).as("one already pinned can be pinned again").isTrue();
  }

  @Test
  void summariesNameTheRootAndSpanTheWholeTrace() {
    TraceStore store = new TraceStore(settings(1.0, 10, 10), span -> {});
    store.add(span(1, 3, 2, 5, false));
    store.add(span(1, 2, 0, 4000, true));
    TraceSummary summary = store.traces(s -> true, 1).get(0);
    assertThat(summary.rootName()).isEqualTo("s2");
    assertThat(summary.failed()).isTrue();
    assertThat(summary.spanCount()).isEqualTo(2);
    assertThat(summary.durationMillis()).isEqualTo(4000.0);
    assertThat(summary.traceId()).isEqualTo("0000000000000007" + "0000000000000001");
  }
}
