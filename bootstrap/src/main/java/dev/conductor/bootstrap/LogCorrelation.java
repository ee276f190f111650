package dev.conductor.bootstrap;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts the current trace context into the log events the host writes, as the context-map keys
 * {@link #TRACE_ID}, {@link #SPAN_ID} and {@link #CORRELATION_ID} (the trace id again), so that a
 * pattern's {@code %X{trace_id}} or a JSON encoder prints them with no change to the host.
 *
 * <p>The keys are added to the map a log event takes from the logging thread's MDC, at the moment
 * it takes it: on the thread that logs, where the span is current. The event keeps that map, so an
 * asynchronous appender that writes the event later on its own thread (where no trace is current)
 * prints the ids of the thread that logged. The host's own MDC is never changed: with a trace
 * current the event gets a copy with the three keys added; outside a trace, or when the host has
 * set {@code trace_id} itself, it gets its map as it was.
 *
 * <p>Logback: an event takes its map in {@code LoggingEvent.getMDCPropertyMap()}, the first time it
 * is called, from {@code LogbackMDCAdapter.getPropertyMap()} (or, with another MDC adapter, from
 * its {@code getCopyOfContextMap()}). Those two are public and the host may call them for its own
 * purposes ({@code MDC.getCopyOfContextMap()} goes through {@code getPropertyMap()}), where adding
 * keys would change what it reads and could copy the ids into another thread's MDC: so their result
 * is replaced only inside {@code getMDCPropertyMap()}, marked by a per-thread count.
 *
 * <p>Log4j 2: see {@link Log4jContextData}.
 *
 * <p>Called from any host thread that logs. Allocates only while a trace is current: the two id
 * strings and the copy, per log event.
 */
public final class LogCorrelation {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String CORRELATION_ID = "correlation_id";

  private static volatile boolean enabled;

  private LogCorrelation() {}

  /** Turns log correlation on; it also needs tracing on. */
  public static void install() {
    enabled = true;
  }

  static boolean active() {
    return enabled && Tracing.enabled();
  }

  /** An event starts taking its context map on this thread. Returns whether it was counted. */
  static boolean enterEventMap() {
    if (!active()) {
      return false;
    }
    CallDepth.current().logEventMaps++;
    return true;
  }

  static void exitEventMap(boolean counted) {
    if (counted) {
      CallDepth.current().logEventMaps--;
    }
  }

  /**
   * What a log event gets as its MDC map instead of {@code map} (which may be null: an empty MDC):
   * {@code map} itself unless an event is taking its map on this thread with a trace current.
   */
  static Object eventMap(Object map) {
    if (!active()) {
      return map;
    }
    CallDepth depth = CallDepth.current();
    if (depth.logEventMaps == 0 || !depth.spans.topIsReal()) {
      return map;
    }
    if (map != null && !(map instanceof Map<?, ?>)) {
      return map;
    }
    Map<?, ?> original = (Map<?, ?>) map;
    if (original != null && original.containsKey(TRACE_ID)) {
      return map;
    }
    Map<Object, Object> copy =
        new HashMap<>(original == null ? 4 : (original.size() + 3) * 4 / 3 + 1);
    if (original != null) {
      copy.putAll(original);
    }
    SpanStack spans = depth.spans;
    int top = spans.topWithIds();
    String traceId = TraceParent.hex(spans.traceHigh(top), spans.traceLow(top));
    copy.put(TRACE_ID, traceId);
    copy.put(SPAN_ID, TraceParent.hex(spans.spanId(top)));
    copy.put(CORRELATION_ID, traceId);
    // Logback hands out its maps unmodifiable; a plain JDK type also serializes anywhere.
    return Collections.unmodifiableMap(copy);
  }
}
