package dev.conductor.bootstrap;

/**
 * One thing that happened on a host thread: a task started or finished, a task was enqueued, an
 * agent started or stopped, a health check ran.
 *
 * <p>Instances are pooled by {@link EventBuffer}: a host thread fills a free instance and publishes
 * it; the exporter thread reads it and returns it to the pool. Between publish and release exactly
 * one thread owns an instance, so the fields are plain.
 *
 * <p>Label fields hold the application's own objects (usually strings, numbers or enums): turning
 * them into bounded label values happens on the exporter thread, not here.
 */
public final class Event {
  /** An instrumented task call began. Published only for points whose starts are tracked. */
  public static final int TASK_START = 1;

  /** An instrumented task call ended, normally or by a throwable. */
  public static final int TASK_END = 2;

  /** A task was handed to a queue; {@link #startNanos} is when the enqueue call began. */
  public static final int ENQUEUE = 3;

  /** An agent's start method returned normally. */
  public static final int AGENT_STARTED = 4;

  /** An agent's stop method returned. */
  public static final int AGENT_STOPPED = 5;

  /** An agent's health check ran; {@link #healthy} says how it went. */
  public static final int HEALTH_CHECK = 6;

  /**
   * An HTTP request handled by the host's server: {@link #taskType} holds the method, {@link
   * #taskId} the path, {@link #status} the status code.
   */
  public static final int API_REQUEST = 7;

  /** A task was handed to a thread pool ({@link #executor}); {@link #task} is the runnable. */
  public static final int EXECUTOR_SUBMIT = 8;

  /**
   * A pool worker is about to run {@link #task}; for a scheduled pool {@link #durationNanos} is how
   * late it starts against its scheduled time.
   */
  public static final int EXECUTOR_START = 9;

  /**
   * A pool worker finished {@link #task}; {@link #durationNanos} is its run time. When its start
   * was not published as an {@link #EXECUTOR_START} ({@link #run}), the exporter is passed one
   * before it.
   */
  public static final int EXECUTOR_DONE = 10;

  /** A pool rejected {@link #task}. */
  public static final int EXECUTOR_REJECTED = 11;

  /** A pool was created; {@link #executorName} names it after the class that created it. */
  public static final int EXECUTOR_CREATED = 12;

  /** A configured operation ran: one span, {@link #point} says which operation. */
  public static final int SPAN = 13;

  /** One of the constants above. */
  public int kind;

  /** Index of the instrumentation point that recorded this event, within its kind's points. */
  public int point;

  /** {@link System#nanoTime()} when the call began. */
  public long startNanos;

  /** Run time of the call in nanoseconds ({@link #TASK_END} only). */
  public long durationNanos;

  /** The task object itself, matched by identity between enqueue and start. */
  public Object task;

  /** The thread pool of an executor event, kept for its identity only. */
  public Object executor;

  /** For executor events: the pool's creator class, or the worker thread's name. */
  public String executorName;

  public Object taskType;
  public Object taskId;
  public Object agentId;
  public Object priority;
  public Object status;

  /** What the call threw, or null when it returned normally. */
  public Throwable thrown;

  /** For {@link #HEALTH_CHECK}: true unless the check returned false or threw. */
  public boolean healthy;

  /** True when a label expression failed; the labels that did resolve are still kept. */
  public boolean labelError;

  /**
   * The span of the call, for task ends, enqueues, HTTP requests and operations while tracing is on
   * ({@link #spanClosed}). The trace id is W3C's 128 bits in two halves.
   */
  public long traceIdHigh;

  public long traceIdLow;

  /**
   * 0 when the event closes no span, and until the exporter made the ids of a span nobody needed
   * while it was open ({@link #spanClosed}; see {@code Tracing.makeIds}).
   */
  public long spanId;

  /** Whether the event closes a span; its ids may still be 0, for the exporter to make. */
  public boolean spanClosed;

  /** 0 for the first span of a trace. */
  public long parentSpanId;

  /**
   * For a task end: when the call that enqueued the task began ({@link System#nanoTime()}), as
   * handed over with its trace context; 0 when unknown.
   */
  public long enqueuedAt;

  /**
   * For an {@link #EXECUTOR_DONE}: the run's number on its worker's ring, whose start the worker
   * left in the ring instead of publishing it (see {@code ThreadEvents.runStarted}); 0 when it
   * published an {@link #EXECUTOR_START}. For a {@link #TASK_END}, the same for the call's start
   * ({@code ThreadEvents.callStarted}).
   */
  public long run;

  /** The thread the span ran on. */
  public String threadName;

  /**
   * The thread that closed the span: {@link #threadName}, else the owner of the thread's own ring
   * the event came from (named as the exporter reads it: a host thread's ring saves it this read
   * and store on every span).
   */
  public String threadName() {
    if (threadName != null) {
      return threadName;
    }
    ThreadEvents owned = ring;
    return owned == null ? null : owned.owner.getName();
  }

  /**
   * The thread ring this event belongs to, or null for an event of the shared pool; never cleared.
   */
  ThreadEvents ring;

  /**
   * For an event its thread's ring refused (full, or a claim open): that ring, and how many events
   * the thread had claimed from it before this one. The exporter drains those first, so that one
   * thread's events reach it in the order they happened. Null for events of threads without a ring
   * and for lifecycle events.
   */
  ThreadEvents overflowOf;

  long overflowAt;

  /**
   * Refused by its ring's pool event slots, not by its events: {@link #overflowAt} counts those.
   */
  boolean overflowOfPool;

  /**
   * Writes a field in each part of the object, with the values a drained event has, so that the
   * calling thread holds all of its cache lines (see {@code ThreadEvents.takeNextSlot}). The fields
   * are spread over the layout HotSpot gives this class: the long fields first, then the ints and
   * booleans, then the references. Only on an event that no other thread uses.
   */
  void touch() {
    kind = 0;
    parentSpanId = 0;
    point = 0;
    executorName = null;
    status = null;
    overflowOf = null;
  }

  /**
   * Makes this the {@link #TASK_START} of a call of {@code point} at {@code start}, with no labels
   * yet: those of an earlier call are dropped, since a capture sets only the labels its point has.
   */
  void setCallStart(int point, long start) {
    kind = TASK_START;
    this.point = point;
    startNanos = start;
    task = null;
    taskType = null;
    taskId = null;
    agentId = null;
    priority = null;
    status = null;
    labelError = false;
  }

  /**
   * Makes this the {@link #TASK_START} of {@code call}'s task call, with its time and the labels a
   * start has; {@code call} is a start or an end.
   */
  void setTaskStartOf(Event call) {
    kind = TASK_START;
    point = call.point;
    startNanos = call.startNanos;
    task = call.task;
    taskType = call.taskType;
    taskId = call.taskId;
    agentId = call.agentId;
    priority = call.priority;
  }

  /** Sets the fields a pool event has; see {@link PoolEventSlots}. */
  void setPoolEvent(
      int kind, long start, long duration, long run, Object pool, Object task, Throwable failure) {
    this.kind = kind;
    this.startNanos = start;
    this.durationNanos = duration;
    this.run = run;
    this.executor = pool;
    this.task = task;
    this.thrown = failure;
  }

  /** Drops every reference so that a pooled event keeps no application object alive. */
  public void clear() {
    task = null;
    executor = null;
    executorName = null;
    taskType = null;
    taskId = null;
    agentId = null;
    priority = null;
    status = null;
    thrown = null;
    healthy = false;
    labelError = false;
    spanId = 0;
    spanClosed = false;
    enqueuedAt = 0;
    run = 0;
    threadName = null;
    overflowOf = null;
    overflowOfPool = false;
  }
}
