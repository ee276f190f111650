package dev.conductor.exporter.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.Scrapes;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

/** Each kind of event reaches the aggregates that use it, spans first. */
class EventRouterTest {
  @Test
  void eachKindReachesItsAggregates() throws Exception {
    WiredRouter wired = WiredRouter.wire(true, null);
    Object task = new Object();
    wired.router().accept(event(Event.AGENT_STARTED, null, 1_000));
    wired.router().accept(event(Event.ENQUEUE, task, 2_000));
    wired.router().accept(event(Event.TASK_START, task, 5_002_000));
    Event end = event(Event.TASK_END, task, 5_002_000);
    end.durationNanos = 20_000_000;
    end.status = "success";
    wired.router().accept(end);
    Event request = event(Event.API_REQUEST, null, 6_000_000);
    request.taskType = "GET";
    request.taskId = "/api/tasks/{id}";
    request.status = 200;
    wired.router().accept(request);

    String scrape = Scrapes.text(wired.registry());
    assertThat(scrape)
        .contains("conductor_agent_status{agent_id=\"agent-1\"} 1")
        .contains(
            "conductor_tasks_total{agent_id=\"agent-1\",status=\"success\",task_type=\"review\"} 1")
        .contains("conductor_task_queue_time_seconds_count{priority=\"2\",task_type=\"review\"} 1")
        .contains(
            "conductor_task_queue_time_seconds_sum{priority=\"2\",task_type=\"review\"} 0.005")
        .contains("conductor_agent_current_tasks{agent_id=\"agent-1\"} 0")
        .contains(
            "conductor_api_requests_total{endpoint=\"/api/tasks/{id}\",method=\"GET\","
                + "status_code=\"200\"} 1");
  }

  @Test
  void aTaskSpanIsStoredBeforeItsDurationIsObservedSoThatItsExemplarLeadsToIt() {
    WiredRouter wired = WiredRouter.wire(false, WiredRouter.KEEP_ALL_TRACES);
    Event end = event(Event.TASK_END, new Object(), 1_000);
    end.durationNanos = 20_000_000;
    end.status = "success";
    end.traceIdHigh = 11;
    end.traceIdLow = 12;
    end.spanId = 13;
    end.spanClosed = true;
    end.threadName = "worker-1";
    wired.router().accept(end);

    assertThat(wired.traces().trace(11, 12)).isPresent();
    HistogramSnapshot durations = null;
    for (MetricSnapshot snapshot : wired.registry().scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals("conductor_task_duration_seconds")) {
        durations = (HistogramSnapshot) snapshot;
      }
    }
    assertThat(durations).isNotNull();
    assertThat(durations.getDataPoints().get(0).getExemplars().size()).isEqualTo(1);
  }

  @Test
  void anUnknownKindIsRefusedForTheLoopToReport() {
    WiredRouter wired = WiredRouter.wire(false, null);
    assertThatThrownBy(() -> wired.router().accept(event(0, null, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event kind 0");
    assertThatThrownBy(() -> wired.router().accept(event(99, null, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown event kind 99");
  }

  private static Event event(int kind, Object task, long startNanos) {
    Event event = new Event();
    event.kind = kind;
    event.task = task;
    event.startNanos = startNanos;
    event.agentId = "agent-1";
    if (task != null) {
      event.taskType = "review";
      event.priority = 2;
    }
    return event;
  }
}
