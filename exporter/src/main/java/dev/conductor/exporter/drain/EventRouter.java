package dev.conductor.exporter.drain;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.exporter.agents.AgentTracker;
import dev.conductor.exporter.api.ApiMetrics;
import dev.conductor.exporter.executors.ExecutorTracker;
import dev.conductor.exporter.metrics.TaskMetrics;
import dev.conductor.exporter.queue.QueueTracker;
import dev.conductor.exporter.tracing.TraceRecorder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Hands each drained event to the aggregates that use its kind. Exporter thread only.
 *
 * <p>A task end allocates nothing once its series are known (see {@code
 * ExporterThreadAllocationTest}): keep it so, since the exporter handles every task the host runs.
 *
 * <p>Each kind's work is reached through one call site that sees every handler class, not through a
 * switch. With a switch the JIT inlined most of the exporter into this one method, some 50 KB of
 * machine code that took its compiler 1.3 s on a busy two-core machine, on the host's cores, and as
 * long again when an event first took a rare branch and that code was thrown away. Nothing is
 * inlined behind a call site with many receiver classes, so each handler is compiled, and
 * recompiled, on its own (docs/PERFORMANCE.md, twelfth session).
 */
public final class EventRouter implements Consumer<Event> {
  private static final int KINDS = Event.SPAN + 1;

  private final TaskMetrics tasks;
  private final QueueTracker queue;
  private final AgentTracker agents;
  private final boolean startsTracked;

  /** The handlers of each kind, in order; null for a kind that is not known. */
  private final Handler[][] handlers = new Handler[KINDS][];

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
    this.tasks = tasks;
    this.queue = queue;
    this.agents = agents;
    this.startsTracked = startsTracked;
    // Method references and lambdas: each is a class of its own, so the call site in accept sees
    // many. Spans first, so that a task's duration exemplar can point at a trace already stored.
    Handler spans =
        traces == null
            ? null
            : event -> {
              if (event.spanId != 0) {
                traces.record(event);
              }
            };
    Handler lifecycle = agents::onLifecycle;
    Handler pools = executors::accept;
    route(Event.TASK_START, spans, this::onTaskStart);
    route(Event.TASK_END, spans, this::onTaskEnd);
    route(Event.ENQUEUE, spans, queue::onEnqueue);
    route(Event.AGENT_STARTED, spans, lifecycle);
    route(Event.AGENT_STOPPED, spans, lifecycle);
    route(Event.HEALTH_CHECK, spans, lifecycle);
    route(Event.API_REQUEST, spans, api::record);
    route(Event.EXECUTOR_CREATED, spans, pools);
    route(Event.EXECUTOR_SUBMIT, spans, pools);
    route(Event.EXECUTOR_START, spans, pools);
    route(Event.EXECUTOR_DONE, spans, pools);
    route(Event.EXECUTOR_REJECTED, spans, pools);
    route(Event.SPAN, spans); // a span only
  }

  /** Gives {@code kind} the handlers that are not null (spans, with tracing off), in order. */
  private void route(int kind, Handler... those) {
    Handler[] routed = new Handler[those.length];
    int count = 0;
    for (Handler handler : those) {
      if (handler != null) {
        routed[count++] = handler;
      }
    }
    handlers[kind] = Arrays.copyOf(routed, count);
  }

  @Override
  public void accept(Event event) {
    Tracing.makeIds(event); // before anything reads them: spans nobody looked into close with none
    int kind = event.kind;
    Handler[] those = kind >= 0 && kind < KINDS ? handlers[kind] : null;
    if (those == null) {
      throw new IllegalArgumentException("unknown event kind " + kind);
    }
    for (Handler handler : those) {
      handler.handle(event);
    }
  }

  /** Periodic upkeep after each drain. */
  public void afterDrain(long nowNanos) {
    agents.expire(nowNanos);
  }

  private void onTaskStart(Event event) {
    queue.onStart(event);
    agents.onTaskStart(event);
  }

  private void onTaskEnd(Event event) {
    tasks.record(event);
    queue.onEnd(event);
    agents.onTaskEnd(event, startsTracked);
  }

  /** What one kind of event does to one aggregate. */
  private interface Handler {
    void handle(Event event);
  }
}
