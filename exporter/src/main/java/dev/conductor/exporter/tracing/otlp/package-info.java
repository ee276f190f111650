/**
 * OTLP/HTTP export of finished spans to an OpenTelemetry collector.
 *
 * <pre>
 * exporter thread ── OtlpSpanExporter.accept ──> SpscSpanQueue (bounded; full: drop, count)
 *                                                   │
 * conductor-otlp ── ExportWorker: batch ── TraceRequestEncoder ── OtlpHttpSender ──> collector
 *                     retry (RetryPolicy), count (ExportCounters), log state changes (ExportStateLog)
 * </pre>
 *
 * <p>The protobuf is written by hand ({@link dev.conductor.exporter.tracing.otlp.ProtoWriter}), not
 * with the OpenTelemetry SDK's exporter: the agent needs one message type of a stable protocol, and
 * the SDK's exporter would bring about 1,000 classes (1.4 MB of jars: API, SDK trace, metrics and
 * logs, exporter commons), a {@code ServiceLoader} lookup for its HTTP sender, and {@code
 * java.util.logging} output on the host's stderr. The tests decode every request with the published
 * {@code opentelemetry-proto} classes.
 *
 * <p>Guarantees: the host's threads never see the export; the exporter thread only offers to a
 * lock-free queue. Each span handed over is counted exactly once, as exported or as dropped with a
 * reason. A request is sent again only when it cannot have reached the collector (no connection) or
 * the collector asked for it (429, 502, 503, 504); one that was sent but never answered is not, so
 * that no span arrives twice.
 */
package dev.conductor.exporter.tracing.otlp;
