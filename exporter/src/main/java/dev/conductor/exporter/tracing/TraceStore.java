package dev.conductor.exporter.tracing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The traces kept in memory for the API, with their sampling.
 *
 * <p>A trace is kept when its id falls in the sample ratio (decided from the id alone, so every JVM
 * of a distributed trace decides the same), or as soon as one of its spans failed or was slow. The
 * spans of traces not kept (yet) wait in a bounded ring of recent spans, so that a trace found
 * failing later is kept whole when its earlier spans are still there. Kept spans also go to the
 * {@link SpanSink} (OTLP export), once each.
 *
 * <p>Bounded: at most {@code maxTraces} traces (the oldest goes first), {@code maxSpansPerTrace}
 * spans each (further ones are counted, not kept), and the ring. Written by the exporter thread,
 * read by HTTP threads: every method is synchronized, and reads return copies.
 *
 * <p>The kept traces live in a {@link TraceRing}: keeping a span allocates nothing but the span,
 * where a map of traces made a key, an entry and a list for every trace.
 *
 * <p>A trace that a metric's exemplar points at is pinned ({@link #pin}): when the ring evicts it,
 * its spans move aside, where the newest {@code maxTraces} such traces stay, pinned or not by then.
 * At 15,000 tasks a second the ring keeps a trace some 70 ms, so without this no exemplar would
 * still lead to its trace by the next scrape; with it, an exemplar scraped a minute or two ago
 * still does (each series takes at most one a second). At most {@code maxTraces} traces are pinned
 * at once, and as many set aside.
 */
public final class TraceStore {
  private final long sampleBound;
  private final long slowNanos;
  private final int maxSpansPerTrace;
  private final SpanSink sink;
  private final TraceRing kept;
  private final ArrayDeque<StoredSpan> waiting = new ArrayDeque<>();
  private final int waitingCapacity;

  /**
   * How many waiting spans fall in each cell, by trace id: a counting filter. A trace whose cell
   * counts 0 has no span waiting, so keeping a new trace skips the scan of the ring, which with a
   * sample ratio below 1 would otherwise run for every trace kept, over a thousand spans or more. A
   * cell shared by two traces costs only a scan that finds nothing.
   */
  private final int[] waitingByCell;

  private final LongAdder spansDiscarded = new LongAdder();

  /** Pinned traces, with how many pins each has. */
  private final Map<TraceKey, Integer> pins = new HashMap<>();

  private final int maxPinned;

  /** The spans of pinned traces that the ring evicted: the newest {@link #maxPinned}. */
  private final Map<TraceKey, List<Span>> setAside =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TraceKey, List<Span>> eldest) {
          return size() > maxPinned;
        }
      };

  /** For look-ups, so that they allocate no key. */
  private final TraceKey probe = new TraceKey();

  public TraceStore(TracingSettings settings, SpanSink sink) {
    // The low 63 bits of the trace id's lower half, compared against ratio * 2^63.
    this.sampleBound =
        settings.sampleRatio() >= 1.0
            ? Long.MAX_VALUE
            : (long) (settings.sampleRatio() * (double) Long.MAX_VALUE);
    this.slowNanos = settings.slowThresholdNanos();
    this.maxSpansPerTrace = settings.maxSpansPerTrace();
    this.waitingCapacity = Math.max(1024, settings.maxSpansPerTrace() * 4);
    // About 16 cells a waiting span, within 1 MB.
    this.waitingByCell = new int[Math.min(1 << 18, Integer.highestOneBit(waitingCapacity) << 4)];
    this.sink = sink;
    this.kept = new TraceRing(settings.maxTraces());
    this.maxPinned = settings.maxTraces();
  }

  /** Whether the sample ratio alone keeps the trace with this id. */
  public boolean sampled(long traceIdHigh, long traceIdLow) {
    return sampleBound == Long.MAX_VALUE || (traceIdLow & Long.MAX_VALUE) < sampleBound;
  }

  /** Adds a finished span. Exporter thread. */
  public synchronized void add(StoredSpan span) {
    long high = span.traceIdHigh();
    long low = span.traceIdLow();
    int slot = kept.find(high, low);
    if (slot < 0) {
      if (addToSetAside(high, low, span)) {
        return;
      }
      boolean keep = sampled(high, low) || span.failed() || span.durationNanos() >= slowNanos;
      if (!keep) {
        wait(span);
        return;
      }
      setAsideIfPinned();
      slot = kept.open(high, low);
      takeWaiting(high, low, slot);
    }
    keep(slot, span);
  }

  /** Whether spans of this trace are kept (for exemplars, which must point at a stored trace). */
  public synchronized boolean isKept(long traceIdHigh, long traceIdLow) {
    return kept.find(traceIdHigh, traceIdLow) >= 0
        || (!setAside.isEmpty() && setAside.containsKey(probe.set(traceIdHigh, traceIdLow)));
  }

  /**
   * Sets the trace aside if the ring evicts it before as many {@link #unpin} calls. False, and
   * nothing pinned, when {@code maxTraces} traces already are. Exporter thread.
   */
  public synchronized boolean pin(long traceIdHigh, long traceIdLow) {
    Integer count = pins.get(probe.set(traceIdHigh, traceIdLow));
    if (count == null && pins.size() >= maxPinned) {
      return false;
    }
    pins.put(probe.copy(), count == null ? 1 : count + 1);
    return true;
  }

  /** Takes back one {@link #pin}; a trace already set aside stays there until newer ones come. */
  public synchronized void unpin(long traceIdHigh, long traceIdLow) {
    Integer count = pins.get(probe.set(traceIdHigh, traceIdLow));
    if (count == null) {
      return;
    }
    if (count > 1) {
      pins.put(probe.copy(), count - 1);
    } else {
      pins.remove(probe);
    }
  }

  /**
   * A late span of a trace set aside joins it there, rather than opening a partial trace of its own
   * in the ring (which the trace's id would then find first). False when the trace is not aside.
   */
  private boolean addToSetAside(long high, long low, StoredSpan span) {
    if (setAside.isEmpty()) {
      return false;
    }
    List<Span> aside = setAside.get(probe.set(high, low));
    if (aside == null) {
      return false;
    }
    if (roomFor(aside.size())) {
      aside.add(span.span());
      export(span);
    }
    return true;
  }

  /** Before the ring evicts its oldest trace: moves its spans aside if it is pinned. */
  private void setAsideIfPinned() {
    if (pins.isEmpty() || !kept.isFull()) {
      return;
    }
    int oldest = kept.nextSlot();
    if (pins.containsKey(probe.set(kept.high(oldest), kept.low(oldest)))) {
      setAside.put(probe.copy(), kept.spans(oldest));
    }
  }

  /** The spans of one trace in start order, if it is kept. */
  public synchronized Optional<List<Span>> trace(long traceIdHigh, long traceIdLow) {
    int slot = kept.find(traceIdHigh, traceIdLow);
    List<Span> aside = slot >= 0 ? null : setAside.get(probe.set(traceIdHigh, traceIdLow));
    if (slot < 0 && aside == null) {
      return Optional.empty();
    }
    List<Span> copy = slot >= 0 ? kept.spans(slot) : new ArrayList<>(aside);
    copy.sort(Comparator.comparingLong(Span::startEpochNanos));
    return Optional.of(copy);
  }

  /**
   * Summaries of the kept traces that {@code filter} accepts, newest first, at most {@code limit}.
   */
  public synchronized List<TraceSummary> traces(Predicate<TraceSummary> filter, int limit) {
    List<TraceSummary> found = new ArrayList<>();
    for (int back = 1; back <= kept.size() && found.size() < limit; back++) {
      TraceSummary summary = TraceSummary.of(kept.spans(kept.newest(back)));
      if (filter.test(summary)) {
        found.add(summary);
      }
    }
    return found;
  }

  /** Traces stored: those of the ring and those set aside for exemplars. */
  public synchronized int size() {
    return kept.size() + setAside.size();
  }

  /** Spans not kept because their trace already had {@code maxSpansPerTrace}, since start. */
  public long spansDiscarded() {
    return spansDiscarded.sum();
  }

  private void keep(int slot, StoredSpan span) {
    if (roomFor(kept.count(slot))) {
      kept.append(slot, span);
      export(span);
    }
  }

  /** Whether a trace with this many spans takes one more; counts the span discarded if not. */
  private boolean roomFor(int spans) {
    if (spans >= maxSpansPerTrace) {
      spansDiscarded.increment();
      return false;
    }
    return true;
  }

  /** Hands a kept span to the sink; with none, a task's span stays unbuilt until read. */
  private void export(StoredSpan span) {
    if (sink != SpanSink.NONE) {
      sink.accept(span.span());
    }
  }

  private void wait(StoredSpan span) {
    if (waiting.size() == waitingCapacity) {
      StoredSpan oldest = waiting.pollFirst();
      waitingByCell[cell(oldest.traceIdHigh(), oldest.traceIdLow())]--;
    }
    waiting.addLast(span);
    waitingByCell[cell(span.traceIdHigh(), span.traceIdLow())]++;
  }

  /** Moves the waiting spans of a trace that is now kept into it. */
  private void takeWaiting(long high, long low, int slot) {
    if (waiting.isEmpty()) {
      return; // every trace kept (the default sample ratio): no look into the cell counts
    }
    int cell = cell(high, low);
    if (waitingByCell[cell] == 0) {
      return; // none of its spans waits
    }
    for (Iterator<StoredSpan> it = waiting.iterator(); it.hasNext(); ) {
      StoredSpan span = it.next();
      if (span.traceIdHigh() == high && span.traceIdLow() == low) {
        it.remove();
        waitingByCell[cell]--;
        keep(slot, span);
      }
    }
  }

  /** Whether {@link #waitingByCell} counts exactly the spans in the ring; for tests. */
  synchronized boolean waitingCountsMatch() {
    int[] counted = new int[waitingByCell.length];
    for (StoredSpan span : waiting) {
      counted[cell(span.traceIdHigh(), span.traceIdLow())]++;
    }
    return java.util.Arrays.equals(counted, waitingByCell);
  }

  /**
   * The cell of a trace id in {@link #waitingByCell}; ids are random, the mix is for any that are
   * not.
   */
  private int cell(long high, long low) {
    return (int) (((high ^ low) * 0x9E3779B97F4A7C15L) >>> 40) & (waitingByCell.length - 1);
  }

  /** A trace id as a map key; mutable for the store's probe only, copied before it is stored. */
  private static final class TraceKey {
    private long high;
    private long low;

    TraceKey set(long traceIdHigh, long traceIdLow) {
      high = traceIdHigh;
      low = traceIdLow;
      return this;
    }

    TraceKey copy() {
      return new TraceKey().set(high, low);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TraceKey key && key.high == high && key.low == low;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(high * 31 + low);
    }
  }
}
