package dev.conductor.exporter.tracing;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.SpanNames;
import dev.conductor.exporter.api.ApiMetrics;
import dev.conductor.exporter.api.EndpointNames;
import dev.conductor.exporter.metrics.LabelValues;
import dev.conductor.exporter.metrics.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the events of finished calls into spans: {@link #spanOf} on the exporter thread, {@link
 * #build} (the deferred part of a task's or an enqueue's span) under the trace store's lock.
 *
 * <p>Events carry {@link System#nanoTime()} stamps; spans need wall-clock times, taken from one
 * anchor read when the assembler starts, so that the spans of a trace keep their exact order and
 * durations whatever the wall clock does meanwhile.
 */
public final class SpanAssembler {
  /** With failed, the task statuses that make a span an error; partial results are not. */
  private static final String TIMEOUT = "timeout";

  private final LabelValues labels;
  private final List<String> taskPoints;
  private final List<String> enqueuePoints;
  private final long anchorEpochNanos;
  private final long anchorNanoTime;

  /**
   * Span names by task type ({@code execute <type>}, {@code enqueue <type>}), made once each rather
   * than for every span; bounded like the task type label itself, and past {@link #MAX_NAMES} built
   * each time. Used by {@link #build} only, so guarded by the trace store's lock.
   */
  private final Map<String, String> taskSpanNames = new HashMap<>();

  private final Map<String, String> enqueueSpanNames = new HashMap<>();

  private static final int MAX_NAMES = 4096;

  /**
   * @param taskPoints task point names by index, for spans of tasks with no task type
   * @param enqueuePoints enqueue point names by index
   */
  public SpanAssembler(
      LabelValues labels, List<String> taskPoints, List<String> enqueuePoints, Clock clock) {
    this.labels = labels;
    this.taskPoints = List.copyOf(taskPoints);
    this.enqueuePoints = List.copyOf(enqueuePoints);
    Instant now = clock.instant();
    this.anchorNanoTime = System.nanoTime();
    this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * The span an event closed, or null for events that close none. A task's or an enqueue's span,
   * one or two for every task the host runs, is kept as the event's values and built when read.
   */
  public StoredSpan spanOf(Event event) {
    if (event.spanId == 0) {
      return null;
    }
    switch (event.kind) {
      case Event.TASK_END:
      case Event.ENQUEUE:
        return new EventSpan(this, event);
      case Event.API_REQUEST:
        return request(event);
      case Event.SPAN:
        String name = SpanNames.name(event.point);
        return span(event, name == null ? "operation" : name, SpanKind.INTERNAL, false);
      default:
        return null;
    }
  }

  /**
   * An application value as an {@link EventSpan} keeps it for later: as it is when it cannot change
   * and turning it into text runs no host code, else its text now.
   */
  Object settled(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Boolean
        || value instanceof Enum<?>) {
      return value;
    }
    return labels.of(value);
  }

  /**
   * The span of a task's or an enqueue's event. Under the trace store's lock, on whichever thread
   * reads it first: that lock also guards the span name maps.
   */
  Span build(EventSpan event) {
    return event.kind == Event.TASK_END ? task(event) : enqueue(event);
  }

  private Span task(EventSpan event) {
    String taskType = labels.of(event.taskType);
    String status = TaskStatus.of(event.status, event.threw, labels);
    SpanAttributes attributes = new SpanAttributes(6);
    attributes.add("task_type", taskType);
    putIfPresent(attributes, "task_id", event.taskId);
    putIfPresent(attributes, "agent_id", event.agentId);
    putIfPresent(attributes, "priority", event.priority);
    attributes.add("status", status);
    boolean enqueued = event.enqueuedAt != 0;
    if (enqueued) {
      attributes.add("queue_time_ms", Math.max(0, event.startNanos - event.enqueuedAt) / 1e6);
    }
    String name =
        spanName(
            taskSpanNames,
            "execute ",
            event.taskType != null ? taskType : name(taskPoints, event.point, "task"));
    return span(
        event,
        name,
        enqueued ? SpanKind.CONSUMER : SpanKind.INTERNAL,
        status.equals(TaskStatus.FAILED) || status.equals(TIMEOUT),
        attributes);
  }

  private Span enqueue(EventSpan event) {
    SpanAttributes attributes = new SpanAttributes(3);
    // The task type as text, as the task's own span and the metrics have it, even when the host
    // holds it as a number: a trace's spans of one task then agree on it.
    String taskType = event.taskType == null ? null : labels.of(event.taskType);
    if (taskType != null) {
      attributes.add("task_type", taskType);
    }
    putIfPresent(attributes, "task_id", event.taskId);
    putIfPresent(attributes, "priority", event.priority);
    String name =
        spanName(
            enqueueSpanNames,
            "enqueue ",
            taskType != null ? taskType : name(enqueuePoints, event.point, "task"));
    return span(event, name, SpanKind.PRODUCER, false, attributes);
  }

  private Span span(
      EventSpan event, String name, SpanKind kind, boolean failed, Map<String, Object> attributes) {
    long start = epochNanos(event.startNanos);
    return new Span(
        event.traceIdHigh(),
        event.traceIdLow(),
        event.spanId,
        event.parentSpanId,
        name,
        kind,
        start,
        start + event.durationNanos,
        failed || event.threw,
        event.errorType,
        event.errorMessage,
        attributes,
        event.threadName);
  }

  private Span request(Event event) {
    String method = ApiMetrics.method(String.valueOf(event.taskType));
    String route = labels.of(EndpointNames.of(event.taskId));
    String status = ApiMetrics.statusCode(event);
    SpanAttributes attributes =
        new SpanAttributes(3)
            .add("http.request.method", method)
            .add("http.route", route)
            .add("http.response.status_code", status);
    return span(event, method + " " + route, SpanKind.SERVER, status.startsWith("5"), attributes);
  }

  private Span span(Event event, String name, SpanKind kind, boolean failed) {
    return span(event, name, kind, failed, Map.of());
  }

  private Span span(
      Event event, String name, SpanKind kind, boolean failed, Map<String, Object> attributes) {
    long start = epochNanos(event.startNanos);
    Throwable thrown = event.thrown;
    return new Span(
        event.traceIdHigh,
        event.traceIdLow,
        event.spanId,
        event.parentSpanId,
        name,
        kind,
        start,
        start + Math.max(0, event.durationNanos),
        failed || thrown != null,
        thrown == null ? null : thrown.getClass().getSimpleName(),
        thrown == null ? null : message(thrown),
        attributes,
        event.threadName());
  }

  /** The exception's message, bounded; an override that fails gives none. */
  String message(Throwable thrown) {
    try {
      String message = thrown.getMessage();
      return message == null ? null : labels.of(message);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private long epochNanos(long nanoTime) {
    return anchorEpochNanos + (nanoTime - anchorNanoTime);
  }

  /** Application values as bounded text; numbers stay numbers. */
  private void putIfPresent(SpanAttributes attributes, String key, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      attributes.add(key, ((Number) value).longValue());
    } else if (value != null) {
      attributes.add(key, labels.of(value));
    }
  }

  private static String spanName(Map<String, String> names, String prefix, String taskType) {
    String name = names.get(taskType);
    if (name == null) {
      name = prefix + taskType;
      if (names.size() < MAX_NAMES) {
        names.put(taskType, name);
      }
    }
    return name;
  }

  private static String name(List<String> names, int index, String fallback) {
    return index >= 0 && index < names.size() ? names.get(index) : fallback;
  }
}
