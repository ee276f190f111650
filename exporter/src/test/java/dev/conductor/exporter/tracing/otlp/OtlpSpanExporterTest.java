package dev.conductor.exporter.tracing.otlp;

import static dev.conductor.exporter.tracing.otlp.TestCollector.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.exporter.Scrapes;
import dev.conductor.exporter.tracing.Span;
import dev.conductor.exporter.tracing.TracingSettings;
import dev.conductor.exporter.tracing.otlp.TestCollector.Answer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpSpanExporterTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final RetryPolicy FAST_RETRY = new RetryPolicy(4, 1_000_000, 5_000_000, 2);

  private final List<String> log = new CopyOnWriteArrayList<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private TestCollector collector;
  private OtlpSpanExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  private OtlpSpanExporter start(TracingSettings settings, RetryPolicy retry) {
    exporter =
        OtlpSpanExporter.builder(settings)
            .registry(registry)
            .log(log::add)
            .agentVersion("9.9.9")
            .retry(retry)
            .start();
    return exporter;
  }

  private void acceptNumbered(long from, long to) {
    for (long n = from; n < to; n++) {
      exporter.accept(TestSpans.numbered(n));
    }
  }

  private static List<String> names(List<io.opentelemetry.proto.trace.v1.Span> spans) {
    return spans.stream().map(io.opentelemetry.proto.trace.v1.Span::getName).toList();
  }

  private static List<String> numberedNames(long from, long to) {
    return LongStream.range(from, to).mapToObj(n -> "task " + n).toList();
  }

  @Test
  void everySpanArrivesOnceAsAProtobufPostWithTheConfiguredHeadersAndResource() throws Exception {
    collector = TestCollector.start();
    start(TestSpans.settings(collector.endpoint(), 512, 1000, 20), FAST_RETRY);

    acceptNumbered(0, 3);
    await(WAIT, () -> exporter.exported() == 3);

    assertThat(names(collector.acceptedSpans())).containsExactlyElementsOf(numberedNames(0, 3));
    TestCollector.Received request = collector.requests().get(0);
    assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(request.headers().getFirst("X-tenant")).isEqualTo("t1");
    assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer abc");
    assertThat(request.headers().getFirst("User-Agent")).isEqualTo("conductor-agent/9.9.9");
    Map<String, Object> resource =
        TraceRequestEncoderTest.attributes(
            request.request().getResourceSpans(0).getResource().getAttributesList());
    assertThat(resource)
        .containsEntry("service.name", "checkout")
        .containsEntry("telemetry.sdk.name", "conductor-agent")
        .containsEntry("telemetry.sdk.language", "java")
        .containsEntry("telemetry.sdk.version", "9.9.9")
        .containsEntry("process.pid", ProcessHandle.current().pid());
    io.opentelemetry.proto.trace.v1.Span first = collector.acceptedSpans().get(0);
    Span sent = TestSpans.numbered(0);
    assertThat(TraceRequestEncoderTest.hex(first.getTraceId())).isEqualTo(sent.traceId());
    assertThat(TraceRequestEncoderTest.hex(first.getSpanId())).isEqualTo(sent.spanIdText());
    assertThat(first.getStartTimeUnixNano()).isEqualTo(sent.startEpochNanos());
    assertThat(first.getEndTimeUnixNano()).isEqualTo(sent.endEpochNanos());
    assertThat(exporter.dropped()).isZero();
    assertThat(log).isEmpty();
  }

  @Test
  void fullBatchesGoAtOnceAndTheRestWhenTheIntervalEnds() throws Exception {
    collector = TestCollector.start();
    start(TestSpans.settings(collector.endpoint(), 10, 1000, 60_000), FAST_RETRY);

    acceptNumbered(0, 25);
    await(WAIT, () -> collector.requests().size() == 2);
    assertThat(collector.requests()).allSatisfy(r -> assertThat(r.spans()).hasSize(10));
    assertThat(exporter.queued()).isEqualTo(5); // the interval is a minute: still waiting

    exporter.close();

    assertThat(collector.requests()).extracting(r -> r.spans().size()).containsExactly(10, 10, 5);
    assertThat(names(collector.acceptedSpans())).containsExactlyElementsOf(numberedNames(0, 25));
    assertThat(exporter.exported()).isEqualTo(25);
  }

  @Test
  void aFullQueueIsAFullBatchWhenTheBatchSizeIsLarger() throws Exception {
    collector = TestCollector.start();
    start(TestSpans.settings(collector.endpoint(), 50, 10, 60_000), FAST_RETRY);

    acceptNumbered(0, 10);
    await(WAIT, () -> exporter.exported() == 10);

    assertThat(exporter.dropped()).isZero();
  }

  @Test
  void aPartialBatchGoesWhenTheIntervalEnds() throws Exception {
    collector = TestCollector.start();
    start(TestSpans.settings(collector.endpoint(), 100, 1000, 50), FAST_RETRY);

    acceptNumbered(0, 7);
    await(WAIT, () -> exporter.exported() == 7);
    acceptNumbered(7, 9);
    await(WAIT, () -> exporter.exported() == 9);

    assertThat(collector.requests()).extracting(r -> r.spans().size()).containsExactly(7, 2);
  }

  @Test
  void retryableAnswersAreRetriedAndEverySpanIsAcceptedExactlyOnce() throws Exception {
    collector =
        TestCollector.start().answer(Answer.status(503), Answer.status(429), Answer.status(502));
    start(TestSpans.settings(collector.endpoint(), 5, 1000, 20), FAST_RETRY);

    acceptNumbered(0, 5);
    await(WAIT, () -> exporter.exported() == 5);

    assertThat(collector.requests())
        .extracting(TestCollector.Received::status)
        .containsExactly(503, 429, 502, 200);
    assertThat(collector.requests()).allSatisfy(r -> assertThat(r.spans()).hasSize(5));
    assertThat(names(collector.acceptedSpans())).containsExactlyElementsOf(numberedNames(0, 5));
    assertThat(exporter.dropped()).isZero();
    assertThat(log).as("a retry that succeeds is not a failure").isEmpty();
  }

  @Test
  void aBatchStillRefusedAfterTheLastAttemptIsDroppedCountedAndLoggedOnceUntilRecovery()
      throws Exception {
    collector = TestCollector.start();
    for (int i = 0; i < 3 * FAST_RETRY.maxAttempts(); i++) {
      collector.answer(Answer.status(503));
    }
    start(TestSpans.settings(collector.endpoint(), 4, 1000, 20), FAST_RETRY);

    acceptNumbered(0, 12); // three batches, each refused on every attempt
    await(WAIT, () -> exporter.droppedExportFailed() == 12);
    acceptNumbered(12, 16);
    await(WAIT, () -> exporter.exported() == 4);

    assertThat(collector.requests()).hasSize(3 * FAST_RETRY.maxAttempts() + 1);
    assertThat(names(collector.acceptedSpans())).containsExactlyElementsOf(numberedNames(12, 16));
    assertThat(log)
        .containsExactly(
            "OTLP export to "
                + collector.endpoint()
                + " failing: HTTP 503 Service Unavailable; spans are dropped and counted in"
                + " conductor_agent_spans_dropped_total until it recovers",
            "OTLP export to "
                + collector.endpoint()
                + " recovered; 12 spans were dropped meanwhile");
  }

  @Test
  void aRequestTheCollectorRefusesForGoodIsNotRepeated() throws Exception {
    collector = TestCollector.start().answer(Answer.status(400));
    start(TestSpans.settings(collector.endpoint(), 3, 1000, 20), FAST_RETRY);

    acceptNumbered(0, 3);
    await(WAIT, () -> exporter.droppedExportFailed() == 3);

    assertThat(collector.requests()).hasSize(1);
    assertThat(log).singleElement().asString().contains("failing: HTTP 400");
  }

  @Test
  void spansRejectedInAPartialSuccessAreCountedAsRejected() throws Exception {
    byte[] partial =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(2)
                    .setErrorMessage("too old"))
            .build()
            .toByteArray();
    collector = TestCollector.start().answer(new Answer(200, partial, null));
    start(TestSpans.settings(collector.endpoint(), 5, 1000, 20), FAST_RETRY);

    acceptNumbered(0, 5);
    await(WAIT, () -> exporter.exported() == 3);

    assertThat(exporter.droppedRejected()).isEqualTo(2);
  }

  @Test
  void aCollectorThatIsDownCostsAcceptNothingButTheSpansItCannotTake() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: connections are refused
    }
    start(TestSpans.settings("http://127.0.0.1:" + port + "/v1/traces", 10, 100, 20), FAST_RETRY);

    acceptNumbered(0, 50_000);

    assertThat(exporter.queued()).isLessThanOrEqualTo(100);
    assertThat(exporter.droppedQueueFull()).as("the queue overflowed, and said so").isPositive();
    exporter.close();
    assertThat(exporter.exported()).isZero();
    assertThat(exporter.droppedQueueFull() + exporter.droppedExportFailed())
        .as("every span counted once")
        .isEqualTo(50_000);
    assertThat(log).singleElement().asString().contains("failing: ConnectException");
  }

  @Test
  void aCollectorThatNeverAnswersHoldsUpNeitherAcceptNorClose() throws Exception {
    collector = TestCollector.start();
    collector.hold();
    TracingSettings settings = TestSpans.settings(collector.endpoint(), 10, 100, 20);
    start(settings, FAST_RETRY);

    acceptNumbered(0, 10);
    await(WAIT, () -> exporter.queued() == 0); // the worker took the batch and waits for an answer
    acceptNumbered(10, 10_000);

    assertThat(exporter.queued()).isEqualTo(100);
    assertThat(exporter.droppedQueueFull()).isEqualTo(10_000 - 10 - 100);
    long start = System.nanoTime();
    exporter.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("close waits at most tracing.otlp.timeout_ms, plus scheduling slack")
        .isLessThan(Duration.ofMillis(settings.otlpTimeoutMillis() + 3_000));
  }

  /**
   * Bytes, not time, so a slow machine cannot fail it: the thread's own allocation counter around
   * accept calls that queue, signal the worker and drop.
   */
  @Test
  void acceptAllocatesNothingWhetherItQueuesOrDrops() throws Exception {
    collector = TestCollector.start();
    start(TestSpans.settings(collector.endpoint(), 100, 1000, 20), FAST_RETRY);
    Span[] spans = new Span[1000];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = TestSpans.numbered(i);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 200_000; i++) {
      exporter.accept(spans[i % spans.length]); // warm-up: compiled by C2
    }

    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      exporter.accept(spans[i % spans.length]);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(exporter.droppedQueueFull()).as("the drop path was taken too").isPositive();
    assertThat(allocated).as("bytes for 100,000 accept calls").isLessThan(1024);
  }

  @Test
  void closeSendsWhatIsQueued() throws Exception {
    collector = TestCollector.start();
    start(TestSpans.settings(collector.endpoint(), 1000, 1000, 60_000), FAST_RETRY);

    acceptNumbered(0, 7);
    exporter.close();

    assertThat(names(collector.acceptedSpans())).containsExactlyElementsOf(numberedNames(0, 7));
    assertThat(exporter.exported()).isEqualTo(7);
  }

  @Test
  void closeGivesUpRetryingAtItsDeadlineAndCountsWhatIsLeft() throws Exception {
    collector = TestCollector.start();
    for (int i = 0; i < 100; i++) {
      collector.answer(Answer.status(503));
    }
    TracingSettings settings = TestSpans.settings(collector.endpoint(), 5, 1000, 60_000);
    // Backoffs far longer than the close timeout (2 s): only the deadline can end them.
    start(settings, new RetryPolicy(10, 30_000_000_000L, 60_000_000_000L, 2));

    acceptNumbered(0, 12);
    long start = System.nanoTime();
    exporter.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(Duration.ofMillis(settings.otlpTimeoutMillis() + 3_000));
    assertThat(exporter.droppedExportFailed()).isEqualTo(12);
    assertThat(exporter.exported()).isZero();
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsRefusedAtStart() {
    assertThatThrownBy(() -> start(TestSpans.settings("collector:4318", 10, 100, 20), FAST_RETRY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tracing.otlp.endpoint");
  }

  @Test
  void theCountersAreExposedUnderTheAgentsOwnNames() throws Exception {
    collector = TestCollector.start().answer(Answer.status(400));
    start(TestSpans.settings(collector.endpoint(), 2, 3, 60_000), FAST_RETRY);

    // How many of the 5 find room in the queue of 3 depends on how fast the export thread takes
    // the first batch (a full batch wakes it at once): assert what every outcome shares.
    acceptNumbered(0, 5);
    await(WAIT, () -> exporter.droppedExportFailed() == 2);
    exporter.close();

    String scrape = Scrapes.text(registry);
    long queueFull = exporter.droppedQueueFull();
    assertThat(exporter.exported() + queueFull + exporter.droppedExportFailed()).isEqualTo(5);
    assertThat(scrape)
        .contains("conductor_agent_spans_exported_total " + exporter.exported() + ".0")
        .contains("conductor_agent_spans_dropped_total{reason=\"queue_full\"} " + queueFull + ".0")
        .contains("conductor_agent_spans_dropped_total{reason=\"export_failed\"} 2.0")
        .contains("conductor_agent_spans_dropped_total{reason=\"rejected\"} 0.0");
    Scrapes.assertPromtoolAccepts(scrape);
    assertThat(collector.requests().get(0).spans()).as("the refused first batch").hasSize(2);
  }
}
