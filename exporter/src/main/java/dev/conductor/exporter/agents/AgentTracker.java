package dev.conductor.exporter.agents;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.metrics.LabelValues;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of each agent, from its lifecycle and health check calls and from the tasks it runs.
 *
 * <ul>
 *   <li>{@code conductor_agent_status}: 1 after a start returned normally, 0 after a stop.
 *   <li>{@code conductor_agent_current_tasks}: task executions in flight, exact also when tasks
 *       throw (every start has its end, whatever the outcome).
 *   <li>{@code conductor_agent_health_failures}: consecutive failed checks (false or thrown), reset
 *       only by a successful check — never by tasks.
 * </ul>
 *
 * <p>An agent stopped for longer than the retention leaves the exposition, and so does one never
 * seen starting that has been silent as long; at most {@code maxAgents} are tracked, later ones are
 * counted and ignored. Handlers run on the exporter thread; the gauges read the concurrent map from
 * scrape threads.
 */
public final class AgentTracker {
  private final LabelValues labels;
  private final long retentionNanos;
  private final int maxAgents;
  private final Map<String, AgentState> agents = new ConcurrentHashMap<>();
  private final AtomicLong untracked = new AtomicLong();

  /** One agent. Written by the exporter thread only, read by scrapes. */
  private static final class AgentState {
    volatile int status = -1; // -1 unknown (only seen running tasks), 0 stopped, 1 running
    volatile long inFlight;
    volatile long consecutiveFailures;
    volatile long stoppedAtNanos;
    volatile long lastSeenNanos; // the last event of any kind
  }

  public AgentTracker(
      PrometheusRegistry registry, LabelValues labels, long retentionSeconds, int maxAgents) {
    this.labels = labels;
    this.retentionNanos = TimeUnit.SECONDS.toNanos(retentionSeconds);
    this.maxAgents = maxAgents;
    GaugeWithCallback.builder()
        .name("conductor_agent_status")
        .help("Agent status: 1 running (a start returned), 0 stopped")
        .labelNames("agent_id")
        .callback(
            callback ->
                agents.forEach(
                    (id, state) -> {
                      if (state.status >= 0) {
                        callback.call(state.status, id);
                      }
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_agent_current_tasks")
        .help("Task executions in flight on the agent")
        .labelNames("agent_id")
        .callback(callback -> agents.forEach((id, state) -> callback.call(state.inFlight, id)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("conductor_agent_health_failures")
        .help("Consecutive failed health checks; a successful check resets it")
        .labelNames("agent_id")
        .callback(
            callback -> agents.forEach((id, state) -> callback.call(state.consecutiveFailures, id)))
        .register(registry);
    CounterWithCallback.builder()
        .name("conductor_agent_untracked_agents_total")
        .help("Agent events ignored because the number of tracked agents reached its cap")
        .callback(callback -> callback.call(untracked.get()))
        .register(registry);
  }

  public void onLifecycle(Event event) {
    AgentState state = state(event.agentId);
    if (state == null) {
      return;
    }
    state.lastSeenNanos = event.startNanos;
    switch (event.kind) {
      case Event.AGENT_STARTED:
        state.status = 1;
        state.stoppedAtNanos = 0;
        break;
      case Event.AGENT_STOPPED:
        state.status = 0;
        state.stoppedAtNanos = event.startNanos;
        break;
      case Event.HEALTH_CHECK:
        state.consecutiveFailures = event.healthy ? 0 : state.consecutiveFailures + 1;
        break;
      default:
        break;
    }
  }

  public void onTaskStart(Event event) {
    AgentState state = state(event.agentId);
    if (state != null) {
      state.inFlight = state.inFlight + 1;
      state.lastSeenNanos = event.startNanos;
    }
  }

  /** Only ends whose start was seen count down, so a missed start never goes negative. */
  public void onTaskEnd(Event event, boolean startsTracked) {
    if (!startsTracked) {
      return;
    }
    AgentState state = agents.get(labels.of(event.agentId));
    if (state != null && state.inFlight > 0) {
      state.inFlight = state.inFlight - 1;
      state.lastSeenNanos = event.startNanos + event.durationNanos;
    }
  }

  /**
   * Forgets agents stopped longer than the retention, and agents whose start was never seen (known
   * only from their tasks or health checks) that have been silent as long. A started agent stays
   * however quiet it is: its status says it runs. Exporter thread.
   */
  public void expire(long nowNanos) {
    agents
        .entrySet()
        .removeIf(
            entry -> {
              AgentState state = entry.getValue();
              if (state.inFlight != 0) {
                return false;
              }
              if (state.status == 0) {
                return nowNanos - state.stoppedAtNanos > retentionNanos;
              }
              return state.status < 0 && nowNanos - state.lastSeenNanos > retentionNanos;
            });
  }

  private AgentState state(Object agentId) {
    String id = labels.of(agentId);
    AgentState state = agents.get(id);
    if (state == null) {
      if (agents.size() >= maxAgents) {
        untracked.incrementAndGet();
        return null;
      }
      state = new AgentState();
      agents.put(id, state);
    }
    return state;
  }
}
