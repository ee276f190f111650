package dev.conductor.exporter.tracing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
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
 */
public final class TraceStore {
  private final long sampleBound;
  private final long slowNanos;
  private final int maxTraces;
  private final int maxSpansPerTrace;
  private final SpanSink sink;
  private final Map<TraceKey, List<Span>> kept;
  private final ArrayDeque<Span> waiting = new ArrayDeque<>();
  private final int waitingCapacity;
  private final LongAdder spansDiscarded = new LongAdder();

  public TraceStore(TracingSettings settings, SpanSink sink) {
    // The low 63 bits of the trace id's lower half, compared against ratio * 2^63.
    this.sampleBound =
        settings.sampleRatio() >= 1.0
            ? Long.MAX_VALUE
            : (long) (settings.sampleRatio() * (double) Long.MAX_VALUE);
    this.slowNanos = settings.slowThresholdNanos();
    this.maxTraces = settings.maxTraces();
    this.maxSpansPerTrace = settings.maxSpansPerTrace();
    this.waitingCapacity = Math.max(1024, settings.maxSpansPerTrace() * 4);
    this.sink = sink;
    int max = maxTraces;
    this.kept =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<TraceKey, List<Span>> eldest) {
            return size() > max; // the oldest trace goes, with no iterator made per span
          }
        };
  }

  /** Whether the sample ratio alone keeps the trace with this id. */
  public boolean sampled(long traceIdHigh, long traceIdLow) {
    return sampleBound == Long.MAX_VALUE || (traceIdLow & Long.MAX_VALUE) < sampleBound;
  }

  /** Adds a finished span. Exporter thread. */
  public synchronized void add(Span span) {
    TraceKey key = new TraceKey(span.traceIdHigh(), span.traceIdLow());
    List<Span> trace = kept.get(key);
    if (trace == null) {
      boolean keep =
          sampled(span.traceIdHigh(), span.traceIdLow())
              || span.failed()
              || span.durationNanos() >= slowNanos;
      if (!keep) {
        wait(span);
        return;
      }
      trace = new ArrayList<>(4); // most traces are an enqueue and its task, or one span
      kept.put(key, trace);
      takeWaiting(key, trace);
    }
    keep(trace, span);
  }

  /** Whether spans of this trace are kept (for exemplars, which must point at a stored trace). */
  public synchronized boolean isKept(long traceIdHigh, long traceIdLow) {
    return kept.containsKey(new TraceKey(traceIdHigh, traceIdLow));
  }

  /** The spans of one trace in start order, if it is kept. */
  public synchronized Optional<List<Span>> trace(long traceIdHigh, long traceIdLow) {
    List<Span> spans = kept.get(new TraceKey(traceIdHigh, traceIdLow));
    if (spans == null) {
      return Optional.empty();
    }
    List<Span> copy = new ArrayList<>(spans);
    copy.sort(Comparator.comparingLong(Span::startEpochNanos));
    return Optional.of(copy);
  }

  /**
   * Summaries of the kept traces that {@code filter} accepts, newest first, at most {@code limit}.
   */
  public synchronized List<TraceSummary> traces(Predicate<TraceSummary> filter, int limit) {
    List<TraceSummary> found = new ArrayList<>();
    List<List<Span>> newestFirst = new ArrayList<>(kept.values());
    for (int i = newestFirst.size() - 1; i >= 0 && found.size() < limit; i--) {
      TraceSummary summary = TraceSummary.of(newestFirst.get(i));
      if (filter.test(summary)) {
        found.add(summary);
      }
    }
    return found;
  }

  public synchronized int size() {
    return kept.size();
  }

  /** Spans not kept because their trace already had {@code maxSpansPerTrace}, since start. */
  public long spansDiscarded() {
    return spansDiscarded.sum();
  }

  private void keep(List<Span> trace, Span span) {
    if (trace.size() >= maxSpansPerTrace) {
      spansDiscarded.increment();
      return;
    }
    trace.add(span);
    sink.accept(span);
  }

  private void wait(Span span) {
    if (waiting.size() == waitingCapacity) {
      waiting.pollFirst();
    }
    waiting.addLast(span);
  }

  /** Moves the waiting spans of a trace that is now kept into it. */
  private void takeWaiting(TraceKey key, List<Span> trace) {
    for (Iterator<Span> it = waiting.iterator(); it.hasNext(); ) {
      Span span = it.next();
      if (span.traceIdHigh() == key.high() && span.traceIdLow() == key.low()) {
        it.remove();
        keep(trace, span);
      }
    }
  }

  private record TraceKey(long high, long low) {}
}
