package dev.conductor.exporter.tracing;

/** The OpenTelemetry span kinds, in the order of OTLP's enum (1-5). */
public enum SpanKind {
  /** An operation inside the process: configured operations, annotated methods. */
  INTERNAL,
  /** An HTTP request the host served. */
  SERVER,
  /** An HTTP request the host made. */
  CLIENT,
  /** A task handed to a queue. */
  PRODUCER,
  /** A task execution, which a producer span started. */
  CONSUMER
}
