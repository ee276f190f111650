package dev.conductor.exporter.tracing.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.conductor.exporter.tracing.Span;
import dev.conductor.exporter.tracing.SpanKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the hand-written encoder writes, as the published OTLP classes read it. */
class TraceRequestEncoderTest {
  private final TraceRequestEncoder encoder =
      new TraceRequestEncoder(
          new LinkedHashMap<>(Map.of("service.name", "checkout", "process.pid", 42L)),
          "dev.conductor.agent",
          "1.2.3");

  private ExportTraceServiceRequest encode(Span... spans) throws Exception {
    encoder.encode(List.of(spans));
    return ExportTraceServiceRequest.parseFrom(Arrays.copyOf(encoder.array(), encoder.length()));
  }

  @Test
  void everyFieldOfASpanIsWrittenWhereOtlpDefinesIt() throws Exception {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("task.type", "code_review");
    attributes.put("task.priority", 7L);
    attributes.put("queue.wait_ratio", 0.25);
    attributes.put("task.retried", true);
    Span span =
        new Span(
            0x0102030405060708L,
            0x090a0b0c0d0e0f10L,
            0x1112131415161718L,
            0xf1f2f3f4f5f6f7f8L,
            "task code_review",
            SpanKind.CONSUMER,
            TestSpans.START,
            TestSpans.START + 1_500_000,
            false,
            null,
            null,
            attributes,
            "worker-3");

    ExportTraceServiceRequest request = encode(span);

    ResourceSpans resource = request.getResourceSpans(0);
    assertThat(attributes(resource.getResource().getAttributesList()))
        .containsEntry("service.name", "checkout")
        .containsEntry("process.pid", 42L);
    assertThat(resource.getScopeSpans(0).getScope().getName()).isEqualTo("dev.conductor.agent");
    assertThat(resource.getScopeSpans(0).getScope().getVersion()).isEqualTo("1.2.3");
    io.opentelemetry.proto.trace.v1.Span written = resource.getScopeSpans(0).getSpans(0);
    assertThat(hex(written.getTraceId())).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(hex(written.getTraceId())).isEqualTo(span.traceId());
    assertThat(hex(written.getSpanId())).isEqualTo("1112131415161718");
    assertThat(hex(written.getParentSpanId())).isEqualTo("f1f2f3f4f5f6f7f8");
    assertThat(written.getName()).isEqualTo("task code_review");
    assertThat(written.getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER);
    assertThat(written.getStartTimeUnixNano()).isEqualTo(TestSpans.START);
    assertThat(written.getEndTimeUnixNano()).isEqualTo(TestSpans.START + 1_500_000);
    assertThat(attributes(written.getAttributesList()))
        .containsExactly(
            Map.entry("task.type", "code_review"),
            Map.entry("task.priority", 7L),
            Map.entry("queue.wait_ratio", 0.25),
            Map.entry("task.retried", true),
            Map.entry("thread.name", "worker-3"));
    assertThat(written.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(written.getEventsCount()).isZero();
    assertThat(written.getFlags() & 0xff).isEqualTo(1);
    assertThat(written.getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void spanKindsMapOneToOne() throws Exception {
    for (SpanKind kind : SpanKind.values()) {
      Span span = withKind(TestSpans.numbered(1), kind);
      assertThat(encode(span).getResourceSpans(0).getScopeSpans(0).getSpans(0).getKind().name())
          .isEqualTo("SPAN_KIND_" + kind.name());
    }
  }

  @Test
  void aRootSpanHasNoParentId() throws Exception {
    assertThat(
            encode(TestSpans.numbered(1))
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0)
                .getParentSpanId())
        .isEmpty();
  }

  @Test
  void aFailedSpanHasAnErrorStatusAndAnExceptionEvent() throws Exception {
    Span span =
        new Span(
            1,
            2,
            3,
            0,
            "task x",
            SpanKind.CONSUMER,
            TestSpans.START,
            TestSpans.START + 10,
            true,
            "IllegalStateException",
            "no reviewer",
            Map.of(),
            "worker-1");

    io.opentelemetry.proto.trace.v1.Span written =
        encode(span).getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(written.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(written.getStatus().getMessage()).isEqualTo("no reviewer");
    assertThat(written.getEventsList()).singleElement();
    assertThat(written.getEvents(0).getName()).isEqualTo("exception");
    assertThat(written.getEvents(0).getTimeUnixNano()).isEqualTo(TestSpans.START + 10);
    assertThat(attributes(written.getEvents(0).getAttributesList()))
        .containsExactly(
            Map.entry("exception.type", "IllegalStateException"),
            Map.entry("exception.message", "no reviewer"));
  }

  @Test
  void longAndNonAsciiValuesKeepTheirExactBytes() throws Exception {
    // Lengths past one varint byte (128) and two (16384) at every nesting level.
    String text = "ünïcødé 😀 " + "x".repeat(20_000);
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("long.value", text);
    attributes.put("short", "s");
    Span span =
        new Span(
            1,
            2,
            3,
            0,
            text,
            SpanKind.INTERNAL,
            TestSpans.START,
            TestSpans.START,
            false,
            null,
            null,
            attributes,
            null);

    ExportTraceServiceRequest request = encode(span, TestSpans.numbered(2));

    List<io.opentelemetry.proto.trace.v1.Span> spans =
        request.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).getName()).isEqualTo(text);
    assertThat(attributes(spans.get(0).getAttributesList()))
        .containsExactly(Map.entry("long.value", text), Map.entry("short", "s"));
    assertThat(spans.get(1).getName()).isEqualTo("task 2");
  }

  @Test
  void theBufferIsReusedWithoutLeftovers() throws Exception {
    encode(TestSpans.numbered(1), TestSpans.numbered(2), TestSpans.numbered(3));
    ExportTraceServiceRequest second = encode(TestSpans.numbered(4));
    assertThat(second.getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(io.opentelemetry.proto.trace.v1.Span::getName)
        .containsExactly("task 4");
  }

  static Map<String, Object> attributes(List<KeyValue> keyValues) {
    return keyValues.stream()
        .collect(
            Collectors.toMap(
                KeyValue::getKey,
                keyValue -> value(keyValue.getValue()),
                (a, b) -> {
                  throw new AssertionError("duplicate key");
                },
                LinkedHashMap::new));
  }

  private static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case BOOL_VALUE -> value.getBoolValue();
      default -> throw new AssertionError("unexpected " + value);
    };
  }

  static String hex(ByteString bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }

  private static Span withKind(Span span, SpanKind kind) {
    return new Span(
        span.traceIdHigh(),
        span.traceIdLow(),
        span.spanId(),
        span.parentSpanId(),
        span.name(),
        kind,
        span.startEpochNanos(),
        span.endEpochNanos(),
        span.failed(),
        span.errorType(),
        span.errorMessage(),
        span.attributes(),
        span.threadName());
  }
}
