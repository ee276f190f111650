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

  private final AgentTracker agents;

  /** The handlers of each kind, in order; an empty array for a kind that is not known. */
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
    this.agents = agents;
    Handler lifecycle = new Lifecycle(agents);
    Handler pools = new PoolEvents(executors);
    route(Event.TASK_START, new TaskStarts(queue, agents));
    route(Event.TASK_END, new TaskEnds(tasks, queue, agents, startsTracked));
    route(Event.ENQUEUE, new Enqueues(queue));
    route(Event.AGENT_STARTED, lifecycle);
    route(Event.AGENT_STOPPED, lifecycle);
    route(Event.HEALTH_CHECK, lifecycle);
    route(Event.API_REQUEST, new ApiRequests(api));
    route(Event.EXECUTOR_CREATED, pools);
    route(Event.EXECUTOR_SUBMIT, pools);
    route(Event.EXECUTOR_START, pools);
    route(Event.EXECUTOR_DONE, pools);
    route(Event.EXECUTOR_REJECTED, pools);
    route(Event.SPAN, null); // a span only
    if (traces != null) {
      // First, so that a task's duration exemplar can point at a trace that is already stored.
      Handler spans = new Spans(traces);
      for (int kind = 0; kind < KINDS; kind++) {
        if (handlers[kind] != null) {
          Handler[] withSpans = new Handler[handlers[kind].length + 1];
          withSpans[0] = spans;
          System.arraycopy(handlers[kind], 0, withSpans, 1, handlers[kind].length);
          handlers[kind] = withSpans;
        }
      }
    }
  }

  private void route(int kind, Handler handler) {
    handlers[kind] = handler == null ? new Handler[0] : new Handler[] {handler};
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

  /** What one kind of event does to one aggregate. */
  private interface Handler {
    void handle(Event event);
  }

  private static final class Spans implements Handler {
    private final TraceRecorder traces;

    Spans(TraceRecorder traces) {
      this.traces = traces;
    }

    @Override
    public void handle(Event event) {
      if (event.spanId != 0) {
        traces.record(event);
      }
    }
  }

  private static final class TaskStarts implements Handler {
    private final QueueTracker queue;
    private final AgentTracker agents;

    TaskStarts(QueueTracker queue, AgentTracker agents) {
      this.queue = queue;
      this.agents = agents;
    }

    @Override
    public void handle(Event event) {
      queue.onStart(event);
      agents.onTaskStart(event);
    }
  }

  private static final class TaskEnds implements Handler {
    private final TaskMetrics tasks;
    private final QueueTracker queue;
    private final AgentTracker agents;
    private final boolean startsTracked;

    TaskEnds(TaskMetrics tasks, QueueTracker queue, AgentTracker agents, boolean startsTracked) {
      this.tasks = tasks;
      this.queue = queue;
      this.agents = agents;
      this.startsTracked = startsTracked;
    }

    @Override
    public void handle(Event event) {
      tasks.record(event);
      queue.onEnd(event);
      agents.onTaskEnd(event, startsTracked);
    }
  }

  private static final class Enqueues implements Handler {
    private final QueueTracker queue;

    Enqueues(QueueTracker queue) {
      this.queue = queue;
    }

    @Override
    public void handle(Event event) {
      queue.onEnqueue(event);
    }
  }

  private static final class Lifecycle implements Handler {
    private final AgentTracker agents;

    Lifecycle(AgentTracker agents) {
      this.agents = agents;
    }

    @Override
    public void handle(Event event) {
      agents.onLifecycle(event);
    }
  }

  private static final class ApiRequests implements Handler {
    private final ApiMetrics api;

    ApiRequests(ApiMetrics api) {
      this.api = api;
    }

    @Override
    public void handle(Event event) {
      api.record(event);
    }
  }

  private static final class PoolEvents implements Handler {
    private final ExecutorTracker executors;

    PoolEvents(ExecutorTracker executors) {
      this.executors = executors;
    }

    @Override
    public void handle(Event event) {
      executors.accept(event);
    }
  }
}
