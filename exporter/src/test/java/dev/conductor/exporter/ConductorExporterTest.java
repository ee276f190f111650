package dev.conductor.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.exporter.queue.QueueSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConductorExporterTest {

  private static ExporterSettings settings(int labelMaxLength, int maxSeries) {
    return new ExporterSettings(
        true,
        "127.0.0.1",
        0,
        false,
        0,
        List.of("Agent.execute"),
        List.of(),
        true,
        new double[] {0.01, 0.1, 1},
        new double[] {0.01, 0.1, 1},
        labelMaxLength,
        maxSeries,
        10,
        new QueueSettings(3, 4, 100, 60, new double[] {0.01, 0.1, 1}, maxSeries),
        600,
        java.util.Map.of(),
        dev.conductor.exporter.tracing.TracingSettings.DISABLED,
        "test");
  }

  private static void publish(
      EventBuffer buffer, String type, String agent, Object status, Throwable thrown) {
    Event event = buffer.claim();
    event.kind = Event.TASK_END;
    event.point = 0;
    event.durationNanos = 50_000_000;
    event.taskType = type;
    event.agentId = agent;
    event.status = status;
    event.thrown = thrown;
    buffer.publish(event);
  }

  private static void awaitDrained(ConductorExporter exporter, long events) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (exporter.loop().drainedTotal() < events) {
      assertThat(System.nanoTime()).as("exporter drained in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void eventsBecomeTaskDurationAndErrorMetrics() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    List<String> log = new ArrayList<>();
    try (ConductorExporter exporter =
        ConductorExporter.start(settings(64, 100), buffer, log::add)) {
      publish(buffer, "analysis", "agent-1", "success", null);
      publish(buffer, "analysis", "agent-1", "timeout", null);
      publish(buffer, "analysis", "agent-1", "success", new IllegalStateException());
      awaitDrained(exporter, 3);

      String text = Scrapes.text(exporter.registry());
      assertThat(text)
          .contains(
              "conductor_tasks_total{agent_id=\"agent-1\",status=\"success\",task_type=\"analysis\"} 1.0")
          .contains(
              "conductor_tasks_total{agent_id=\"agent-1\",status=\"timeout\",task_type=\"analysis\"} 1.0")
          .contains(
              "conductor_tasks_total{agent_id=\"agent-1\",status=\"failed\",task_type=\"analysis\"} 1.0")
          .contains(
              "conductor_task_duration_seconds_count{agent_id=\"agent-1\",task_type=\"analysis\"} 3")
          .contains(
              "conductor_task_duration_seconds_bucket{agent_id=\"agent-1\",task_type=\"analysis\",le=\"0.1\"} 3")
          .contains(
              "conductor_errors_total{component=\"agent-1\",error_type=\"IllegalStateException\",severity=\"error\"} 1.0")
          .contains("conductor_build_info{java_version=")
          .contains("conductor_agent_events_dropped_total 0.0")
          .contains("conductor_agent_events_overflowed_total 0.0");
      assertThat(log).isEmpty();

      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + exporter.boundPorts().get(0) + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).startsWith("{\"status\":\"healthy\"");
    }
  }

  @Test
  void applicationLabelsAreCappedInLengthAndSeries() throws Exception {
    EventBuffer buffer = new EventBuffer(1024);
    try (ConductorExporter exporter = ConductorExporter.start(settings(16, 10), buffer, s -> {})) {
      for (int i = 0; i < 500; i++) {
        publish(buffer, "type-" + i + "-with-a-very-long-suffix", "agent", "success", null);
      }
      awaitDrained(exporter, 500);
      String text = Scrapes.text(exporter.registry());
      long series = text.lines().filter(l -> l.startsWith("conductor_tasks_total{")).count();
      assertThat(series).isEqualTo(11);
      assertThat(text).contains("task_type=\"other\"} 490.0").doesNotContain("very-long");
      assertThat(text)
          .contains("conductor_agent_label_overflow_total{metric=\"conductor_tasks_total\"} 490.0");
    }
  }

  private static void publishQueued(
      EventBuffer buffer, int kind, String id, Object priority, long nanos, String agent) {
    Event event = buffer.claim();
    event.kind = kind;
    event.taskId = id;
    event.taskType = "analysis";
    event.priority = priority;
    event.agentId = agent;
    event.startNanos = nanos;
    buffer.publish(event);
  }

  @Test
  void queueTimeBacklogAndThroughputComeFromEnqueueStartAndEnd() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    try (ConductorExporter exporter = ConductorExporter.start(settings(64, 100), buffer, s -> {})) {
      long t0 = System.nanoTime();
      publishQueued(buffer, Event.ENQUEUE, "t1", 0, t0, null);
      publishQueued(buffer, Event.ENQUEUE, "t2", 2, t0, null);
      publishQueued(buffer, Event.ENQUEUE, "t3", 2, t0, null);
      publishQueued(buffer, Event.ENQUEUE, "t4", "urgent", t0, null);
      // t5 starts before its enqueue is seen, as when a worker beats submit()'s return
      publishQueued(buffer, Event.TASK_START, "t5", 1, t0 + 5_000_000, "a1");
      publishQueued(buffer, Event.ENQUEUE, "t5", 1, t0, null);
      publishQueued(buffer, Event.TASK_START, "t2", 2, t0 + 50_000_000, "a1");
      awaitDrained(exporter, 7);

      String text = Scrapes.text(exporter.registry());
      assertThat(text)
          .contains("conductor_task_queue_length{priority_level=\"0\"} 1.0")
          .contains("conductor_task_queue_length{priority_level=\"1\"} 0.0")
          .contains("conductor_task_queue_length{priority_level=\"2\"} 1.0")
          .contains("conductor_task_queue_length{priority_level=\"other\"} 1.0")
          .contains(
              "conductor_task_queue_time_seconds_count{priority=\"2\",task_type=\"analysis\"} 1")
          .contains(
              "conductor_task_queue_time_seconds_bucket{priority=\"2\",task_type=\"analysis\",le=\"0.01\"} 0")
          .contains(
              "conductor_task_queue_time_seconds_bucket{priority=\"1\",task_type=\"analysis\",le=\"0.01\"} 1")
          .contains("conductor_queue_max_size_reached_total 1.0")
          .contains("conductor_agent_current_tasks{agent_id=\"a1\"} 2.0");

      Event end = buffer.claim();
      end.kind = Event.TASK_END;
      end.agentId = "a1";
      end.taskType = "analysis";
      end.startNanos = t0;
      end.durationNanos = 1;
      end.thrown = new IllegalStateException("ends count even when they throw");
      buffer.publish(end);
      awaitDrained(exporter, 8);
      text = Scrapes.text(exporter.registry());
      assertThat(text)
          .contains("conductor_agent_current_tasks{agent_id=\"a1\"} 1.0")
          .containsPattern("conductor_queue_throughput_tasks_per_second 0\\.01666");
    }
  }

  @Test
  void healthFailuresAreConsecutiveAndOnlyAChecksSuccessResetsThem() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    try (ConductorExporter exporter = ConductorExporter.start(settings(64, 100), buffer, s -> {})) {
      int[] kinds = {
        Event.AGENT_STARTED,
        Event.HEALTH_CHECK,
        Event.HEALTH_CHECK,
        Event.TASK_START,
        Event.TASK_END
      };
      boolean[] healthy = {true, false, false, true, true};
      for (int i = 0; i < kinds.length; i++) {
        Event event = buffer.claim();
        event.kind = kinds[i];
        event.agentId = "flaky";
        event.healthy = healthy[i];
        event.startNanos = System.nanoTime();
        buffer.publish(event);
      }
      awaitDrained(exporter, kinds.length);
      assertThat(Scrapes.text(exporter.registry()))
          .contains("conductor_agent_status{agent_id=\"flaky\"} 1.0")
          .contains("conductor_agent_health_failures{agent_id=\"flaky\"} 2.0")
          .contains("conductor_agent_current_tasks{agent_id=\"flaky\"} 0.0");

      for (int kind : new int[] {Event.HEALTH_CHECK, Event.AGENT_STOPPED}) {
        Event event = buffer.claim();
        event.kind = kind;
        event.agentId = "flaky";
        event.healthy = true;
        event.startNanos = System.nanoTime();
        buffer.publish(event);
      }
      awaitDrained(exporter, kinds.length + 2);
      assertThat(Scrapes.text(exporter.registry()))
          .contains("conductor_agent_status{agent_id=\"flaky\"} 0.0")
          .contains("conductor_agent_health_failures{agent_id=\"flaky\"} 0.0");
    }
  }

  @Test
  void hostRequestsAndTheAgentsOwnAreCountedWithFoldedEndpoints() throws Exception {
    EventBuffer buffer = new EventBuffer(64);
    try (ConductorExporter exporter = ConductorExporter.start(settings(64, 100), buffer, s -> {})) {
      Object[][] requests = {
        {"GET", "/tasks/task-1", 200, null},
        {"GET", "/tasks/task-2?x=1", 200, null},
        {"POST", "/tasks", 202, null},
        {"BREW", "/pot", 418, null},
        {"GET", "/boom", -1, new IllegalStateException()},
      };
      for (Object[] request : requests) {
        Event event = buffer.claim();
        event.kind = Event.API_REQUEST;
        event.taskType = request[0];
        event.taskId = request[1];
        event.status = request[2];
        event.thrown = (Throwable) request[3];
        event.durationNanos = 2_000_000;
        buffer.publish(event);
      }
      awaitDrained(exporter, requests.length);
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + exporter.boundPorts().get(0) + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(Scrapes.text(exporter.registry()))
          .contains(
              "conductor_api_requests_total{endpoint=\"/tasks/{id}\",method=\"GET\",status_code=\"200\"} 2.0")
          .contains(
              "conductor_api_requests_total{endpoint=\"/tasks\",method=\"POST\",status_code=\"202\"} 1.0")
          .contains(
              "conductor_api_requests_total{endpoint=\"/pot\",method=\"other\",status_code=\"418\"} 1.0")
          .contains(
              "conductor_api_requests_total{endpoint=\"/boom\",method=\"GET\",status_code=\"500\"} 1.0")
          .contains(
              "conductor_api_requests_total{endpoint=\"/health\",method=\"GET\",status_code=\"200\"} 1.0")
          .contains(
              "conductor_api_request_duration_seconds_bucket{endpoint=\"/tasks/{id}\",method=\"GET\",status_code=\"200\",le=\"0.01\"} 2");
    }
  }
}
