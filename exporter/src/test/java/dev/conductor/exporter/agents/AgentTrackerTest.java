package dev.conductor.exporter.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.Scrapes;
import dev.conductor.exporter.metrics.LabelValues;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class AgentTrackerTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static Event event(int kind, String agent, long nanos) {
    Event event = new Event();
    event.kind = kind;
    event.agentId = agent;
    event.startNanos = nanos;
    event.healthy = true;
    return event;
  }

  @Test
  void aStoppedAgentLeavesTheExpositionAfterTheRetentionButARunningOneStays() throws Exception {
    AgentTracker tracker = new AgentTracker(registry, new LabelValues(64), 10, 100);
    tracker.onLifecycle(event(Event.AGENT_STARTED, "gone", 0));
    tracker.onLifecycle(event(Event.AGENT_STARTED, "stays", 0));
    tracker.onLifecycle(event(Event.AGENT_STOPPED, "gone", 1_000_000_000L));

    tracker.expire(5_000_000_000L);
    assertThat(Scrapes.text(registry)).contains("conductor_agent_status{agent_id=\"gone\"} 0.0");

    tracker.expire(12_000_000_000L);
    assertThat(Scrapes.text(registry))
        .doesNotContain("agent_id=\"gone\"")
        .contains("conductor_agent_status{agent_id=\"stays\"} 1.0");
  }

  @Test
  void anAgentKnownOnlyFromItsTasksLeavesOnceSilentForTheRetentionButNotWhileATaskRuns()
      throws Exception {
    AgentTracker tracker = new AgentTracker(registry, new LabelValues(64), 10, 100);
    Event start = event(Event.TASK_START, "ephemeral", 1_000_000_000L);
    tracker.onTaskStart(start);
    tracker.expire(30_000_000_000L);
    assertThat(Scrapes.text(registry))
        .contains("conductor_agent_current_tasks{agent_id=\"ephemeral\"} 1.0");

    Event end = event(Event.TASK_END, "ephemeral", 1_000_000_000L);
    end.durationNanos = 29_000_000_000L; // ended at 30 s
    tracker.onTaskEnd(end, true);
    tracker.expire(35_000_000_000L);
    assertThat(Scrapes.text(registry))
        .contains("conductor_agent_current_tasks{agent_id=\"ephemeral\"} 0.0");

    tracker.expire(41_000_000_000L);
    assertThat(Scrapes.text(registry)).doesNotContain("agent_id=\"ephemeral\"");
  }

  @Test
  void agentsPastTheCapAreCountedNotTracked() throws Exception {
    AgentTracker tracker = new AgentTracker(registry, new LabelValues(64), 10, 2);
    for (int i = 0; i < 5; i++) {
      tracker.onLifecycle(event(Event.AGENT_STARTED, "agent-" + i, 0));
    }
    assertThat(Scrapes.text(registry))
        .contains("agent_id=\"agent-1\"")
        .doesNotContain("agent_id=\"agent-2\"")
        .contains("conductor_agent_untracked_agents_total 3.0");
  }
}
