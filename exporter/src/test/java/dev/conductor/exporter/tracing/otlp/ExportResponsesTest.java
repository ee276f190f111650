package dev.conductor.exporter.tracing.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExportResponsesTest {
  @Test
  void rejectedSpansAreReadFromAPartialSuccess() {
    byte[] response =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setErrorMessage("spans too old")
                    .setRejectedSpans(300))
            .build()
            .toByteArray();

    assertThat(ExportResponses.rejectedSpans(response)).isEqualTo(300);
  }

  @Test
  void aFullSuccessRejectsNothing() {
    assertThat(ExportResponses.rejectedSpans(new byte[0])).isZero();
    assertThat(
            ExportResponses.rejectedSpans(
                ExportTraceServiceResponse.newBuilder()
                    .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setErrorMessage("ok"))
                    .build()
                    .toByteArray()))
        .isZero();
  }

  @Test
  void aBodyThatIsNotProtobufRejectsNothing() {
    assertThat(
            ExportResponses.rejectedSpans(
                "{\"partialSuccess\":{}}".getBytes(StandardCharsets.UTF_8)))
        .isZero();
    assertThat(ExportResponses.rejectedSpans(new byte[] {0x0a, 0x7f, 0x08})).isZero();
    assertThat(ExportResponses.rejectedSpans(new byte[] {(byte) 0xff, (byte) 0xff})).isZero();
  }
}
