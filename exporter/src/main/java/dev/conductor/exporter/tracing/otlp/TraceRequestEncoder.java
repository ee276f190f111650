package dev.conductor.exporter.tracing.otlp;

import dev.conductor.exporter.tracing.Span;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes an OTLP {@code ExportTraceServiceRequest} (opentelemetry-proto 1.x, {@code
 * collector/trace/v1}): one resource, one instrumentation scope, the batch's spans.
 *
 * <p>Field numbers are those of the published {@code .proto} files; {@code OtlpSpanExporterTest}
 * decodes the output with the generated classes, so a wrong number fails there. The resource and
 * scope are encoded once, at construction.
 *
 * <p>{@code conductor-otlp} thread only.
 */
final class TraceRequestEncoder {
  // ExportTraceServiceRequest
  private static final int REQUEST_RESOURCE_SPANS = 1;
  // ResourceSpans
  private static final int RESOURCE_SPANS_RESOURCE = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  // Resource
  private static final int RESOURCE_ATTRIBUTES = 1;
  // ScopeSpans
  private static final int SCOPE_SPANS_SCOPE = 1;
  private static final int SCOPE_SPANS_SPANS = 2;
  // InstrumentationScope
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  // Span
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START_TIME = 7;
  private static final int SPAN_END_TIME = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16;
  // Span.Event
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  // Status
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int STATUS_CODE_ERROR = 2;
  // KeyValue, AnyValue
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;

  /** W3C trace flags: sampled. Every exported span was kept by sampling. */
  private static final int FLAG_SAMPLED = 0x01;

  static final String THREAD_NAME = "thread.name";

  private final ProtoWriter out = new ProtoWriter(64 * 1024);
  private final byte[] resource;
  private final byte[] scope;

  TraceRequestEncoder(Map<String, Object> resourceAttributes, String scopeName, String version) {
    out.reset();
    for (Map.Entry<String, Object> attribute : resourceAttributes.entrySet()) {
      keyValue(RESOURCE_ATTRIBUTES, attribute.getKey(), attribute.getValue());
    }
    resource = Arrays.copyOf(out.array(), out.length());
    out.reset();
    out.string(SCOPE_NAME, scopeName);
    out.string(SCOPE_VERSION, version);
    scope = Arrays.copyOf(out.array(), out.length());
  }

  /** The encoded request is in {@link #array()} up to {@link #length()}, until the next call. */
  void encode(List<Span> spans) {
    out.reset();
    int resourceSpans = out.beginMessage(REQUEST_RESOURCE_SPANS);
    int resourceMark = out.beginMessage(RESOURCE_SPANS_RESOURCE);
    out.raw(resource, 0, resource.length);
    out.endMessage(resourceMark);
    int scopeSpans = out.beginMessage(RESOURCE_SPANS_SCOPE_SPANS);
    int scopeMark = out.beginMessage(SCOPE_SPANS_SCOPE);
    out.raw(scope, 0, scope.length);
    out.endMessage(scopeMark);
    for (Span span : spans) {
      span(span);
    }
    out.endMessage(scopeSpans);
    out.endMessage(resourceSpans);
  }

  byte[] array() {
    return out.array();
  }

  int length() {
    return out.length();
  }

  private void span(Span span) {
    int mark = out.beginMessage(SCOPE_SPANS_SPANS);
    out.bytes128(SPAN_TRACE_ID, span.traceIdHigh(), span.traceIdLow());
    out.bytes64(SPAN_SPAN_ID, span.spanId());
    if (!span.isRoot()) {
      out.bytes64(SPAN_PARENT_SPAN_ID, span.parentSpanId());
    }
    out.string(SPAN_NAME, span.name());
    out.int64(SPAN_KIND, span.kind().ordinal() + 1); // OTLP: 0 is unspecified, then our order
    out.fixed64(SPAN_START_TIME, span.startEpochNanos());
    out.fixed64(SPAN_END_TIME, span.endEpochNanos());
    for (Map.Entry<String, Object> attribute : span.attributes().entrySet()) {
      keyValue(SPAN_ATTRIBUTES, attribute.getKey(), attribute.getValue());
    }
    if (span.threadName() != null && !span.attributes().containsKey(THREAD_NAME)) {
      keyValue(SPAN_ATTRIBUTES, THREAD_NAME, span.threadName());
    }
    if (span.failed()) {
      if (span.errorType() != null) {
        exceptionEvent(span);
      }
      int status = out.beginMessage(SPAN_STATUS);
      String message = span.errorMessage() != null ? span.errorMessage() : span.errorType();
      if (message != null) {
        out.string(STATUS_MESSAGE, message);
      }
      out.int64(STATUS_CODE, STATUS_CODE_ERROR);
      out.endMessage(status);
    }
    out.fixed32(SPAN_FLAGS, FLAG_SAMPLED);
    out.endMessage(mark);
  }

  /** The semantic conventions' exception event, which trace UIs show on the failed span. */
  private void exceptionEvent(Span span) {
    int event = out.beginMessage(SPAN_EVENTS);
    out.fixed64(EVENT_TIME, span.endEpochNanos());
    out.string(EVENT_NAME, "exception");
    keyValue(EVENT_ATTRIBUTES, "exception.type", span.errorType());
    if (span.errorMessage() != null) {
      keyValue(EVENT_ATTRIBUTES, "exception.message", span.errorMessage());
    }
    out.endMessage(event);
  }

  private void keyValue(int field, String key, Object value) {
    int keyValue = out.beginMessage(field);
    out.string(KEY_VALUE_KEY, key);
    int any = out.beginMessage(KEY_VALUE_VALUE);
    if (value instanceof Boolean bool) {
      out.bool(ANY_BOOL, bool);
    } else if (value instanceof Double || value instanceof Float) {
      out.double64(ANY_DOUBLE, ((Number) value).doubleValue());
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      out.int64(ANY_INT, ((Number) value).longValue());
    } else {
      out.string(ANY_STRING, String.valueOf(value));
    }
    out.endMessage(any);
    out.endMessage(keyValue);
  }
}
