package dev.conductor.exporter.drain;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.exporter.agents.AgentTracker;
import dev.conductor.exporter.api.ApiMetrics;
import dev.conductor.exporter.executors.ExecutorTracker;
import dev.conductor.exporter.metrics.TaskMetrics;
import dev.conductor.exporter.queue.QueueTracker;
import dev.conductor.exporter.tracing.TraceRecorder;
import java.util.function.Consumer;

/**
 * Hands each drained event to the aggregates that use its kind. Exporter thread only.
 *
 * <p>A task end allocates nothing once its series are known (see {@code
 * ExporterThreadAllocationTest}): keep it so, since the exporter handles every task the host runs.
 */
public final class EventRouter implements Consumer<Event> {
  private final TaskMetrics tasks;
  private final QueueTracker queue;
  private final AgentTracker agents;
  private final ApiMetrics api;
  private final ExecutorTracker executors;
  private final boolean startsTracked;
  private final TraceRecorder traces;

  /** Without tracing. */
  public EventRouter(
      TaskMetrics tasks,
      QueueTracker queue,
      AgentTracker agents,
      ApiMetrics api,
      ExecutorTracker executors,
      boolean startsTracked) {
    this(tasks, queue, agents, api, executors, startsTracked, null);
  }

  /**
   * @param traces receives the events that closed a span; null with tracing off
   */
  public EventRouter(
      TaskMetrics tasks,
      QueueTracker queue,
      AgentTracker agents,
      ApiMetrics api,
      ExecutorTracker executors,
      boolean startsTracked,
      TraceRecorder traces) {
    this.traces = traces;
    this.executors = executors;
    this.tasks = tasks;
    this.api = api;
    this.queue = queue;
    this.agents = agents;
    this.startsTracked = startsTracked;
  }

  @Override
  public void accept(Event event) {
    Tracing.makeIds(event); // before anything reads them: spans nobody looked into close with none
    if (traces != null && event.spanId != 0) {
      // First, so that a task's duration exemplar can point at a trace that is already stored.
      traces.record(event);
    }
    switch (event.kind) {
      case Event.TASK_START:
        queue.onStart(event);
        agents.onTaskStart(event);
        break;
      case Event.TASK_END:
        tasks.record(event);
        queue.onEnd(event);
        agents.onTaskEnd(event, startsTracked);
        break;
      case Event.ENQUEUE:
        queue.onEnqueue(event);
        break;
      case Event.AGENT_STARTED:
      case Event.AGENT_STOPPED:
      case Event.HEALTH_CHECK:
        agents.onLifecycle(event);
        break;
      case Event.API_REQUEST:
        api.record(event);
        break;
      case Event.EXECUTOR_CREATED:
      case Event.EXECUTOR_SUBMIT:
      case Event.EXECUTOR_START:
      case Event.EXECUTOR_DONE:
      case Event.EXECUTOR_REJECTED:
        executors.accept(event);
        break;
      case Event.SPAN:
        break; // a span only
      default:
        throw new IllegalArgumentException("unknown event kind " + event.kind);
    }
  }

  /** Periodic upkeep after each drain. */
  public void afterDrain(long nowNanos) {
    agents.expire(nowNanos);
  }
}
