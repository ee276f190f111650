package dev.conductor.exporter.tracing;

import dev.conductor.bootstrap.Event;

/**
 * The span of a task's or an enqueue's event, kept as the event's values and built into a {@link
 * Span} only when read ({@link StoredSpan}).
 *
 * <p>Events are reused, so the values are copied out. Application values are kept as they are only
 * when they cannot change or run host code when turned into text later, on another thread: text,
 * small numbers, booleans, enums. Anything else is turned into its text now, on the exporter
 * thread, as it was when every span was built at once; so are a thrown exception's type and
 * message, and the thread's name.
 */
final class EventSpan implements StoredSpan {
  private final SpanAssembler assembler;
  final int kind;
  final int point;
  private final long traceIdHigh;
  private final long traceIdLow;
  final long spanId;
  final long parentSpanId;
  final long startNanos;
  final long durationNanos;
  final long enqueuedAt;
  final Object taskType;
  final Object taskId;
  final Object agentId;
  final Object priority;
  final Object status;
  final boolean threw;
  final String errorType;
  final String errorMessage;
  final String threadName;
  private Span built;

  EventSpan(SpanAssembler assembler, Event event) {
    this.assembler = assembler;
    this.kind = event.kind;
    this.point = event.point;
    this.traceIdHigh = event.traceIdHigh;
    this.traceIdLow = event.traceIdLow;
    this.spanId = event.spanId;
    this.parentSpanId = event.parentSpanId;
    this.startNanos = event.startNanos;
    this.durationNanos = Math.max(0, event.durationNanos);
    this.enqueuedAt = event.enqueuedAt;
    this.taskType = assembler.settled(event.taskType);
    this.taskId = assembler.settled(event.taskId);
    this.agentId = assembler.settled(event.agentId);
    this.priority = assembler.settled(event.priority);
    this.status = assembler.settled(event.status);
    Throwable thrown = event.thrown;
    this.threw = thrown != null;
    this.errorType = thrown == null ? null : thrown.getClass().getSimpleName();
    this.errorMessage = thrown == null ? null : assembler.message(thrown);
    this.threadName = event.threadName();
  }

  @Override
  public long traceIdHigh() {
    return traceIdHigh;
  }

  @Override
  public long traceIdLow() {
    return traceIdLow;
  }

  @Override
  public long durationNanos() {
    return durationNanos;
  }

  @Override
  public boolean failed() {
    return threw || span().failed();
  }

  @Override
  public Span span() {
    Span span = built;
    if (span == null) {
      span = assembler.build(this);
      built = span;
    }
    return span;
  }
}
