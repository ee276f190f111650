package dev.conductor.bootstrap;

import java.util.concurrent.atomic.LongAdder;
import jdk.internal.vm.annotation.ForceInline;

/**
 * What the recorders share: the buffer and the label captures of every point, installed once by the
 * agent before any advice is woven.
 */
public final class Recorders {
  private static final LongAdder labelErrors = new LongAdder();
  static volatile EventBuffer buffer = new EventBuffer(2);
  static volatile LabelCapture[] taskCaptures = new LabelCapture[0];
  static volatile boolean[] taskStartsTracked = new boolean[0];
  static volatile LabelCapture[] enqueueCaptures = new LabelCapture[0];
  static volatile LabelCapture[] agentCaptures = new LabelCapture[0];
  static volatile LabelCapture[] apiCaptures = new LabelCapture[0];

  private Recorders() {}

  /**
   * @param tasks label captures of the task points, by point index
   * @param trackStarts per task point: publish an event when a call starts, not only when it ends
   *     (needed for queue backlog and in-flight counts)
   * @param enqueues label captures of the enqueue points
   * @param agents label captures of the agent lifecycle points
   * @param apis label captures of the HTTP server points
   */
  public static void install(
      EventBuffer eventBuffer,
      LabelCapture[] tasks,
      boolean[] trackStarts,
      LabelCapture[] enqueues,
      LabelCapture[] agents,
      LabelCapture[] apis) {
    if (tasks.length != trackStarts.length) {
      throw new IllegalArgumentException("one start flag per task point");
    }
    taskCaptures = tasks.clone();
    taskStartsTracked = trackStarts.clone();
    enqueueCaptures = enqueues.clone();
    agentCaptures = agents.clone();
    apiCaptures = apis.clone();
    buffer = eventBuffer;
  }

  /**
   * Puts {@code replacement} wherever {@code capture} is installed: a faster capture of the same
   * labels, built after the point started recording. Copy on write, so that host threads always see
   * a complete array.
   */
  public static synchronized void replace(LabelCapture capture, LabelCapture replacement) {
    taskCaptures = replaced(taskCaptures, capture, replacement);
    enqueueCaptures = replaced(enqueueCaptures, capture, replacement);
    agentCaptures = replaced(agentCaptures, capture, replacement);
    apiCaptures = replaced(apiCaptures, capture, replacement);
  }

  private static LabelCapture[] replaced(
      LabelCapture[] captures, LabelCapture capture, LabelCapture replacement) {
    LabelCapture[] copy = captures.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == capture) {
        copy[i] = replacement;
      }
    }
    return copy;
  }

  /**
   * Reads the W3C {@code traceparent} header of an HTTP request object of the host's server (an
   * {@code HttpExchange}, a servlet request); installed by the agent, which knows those classes.
   */
  private static volatile java.util.function.Function<Object, String> traceparentReader;

  public static void installTraceparentReader(java.util.function.Function<Object, String> reader) {
    traceparentReader = reader;
  }

  /** The request's {@code traceparent} header, or null; a failing read is null too. */
  static String traceparent(Object request) {
    java.util.function.Function<Object, String> reader = traceparentReader;
    if (request == null || reader == null || !Tracing.enabled()) {
      return null;
    }
    try {
      return reader.apply(request);
    } catch (Throwable e) {
      return null;
    }
  }

  public static EventBuffer buffer() {
    return buffer;
  }

  /** Label expressions that threw on a host thread, since start. */
  public static long labelErrors() {
    return labelErrors.sum();
  }

  /**
   * Takes an event and stamps it, or returns null when none is free (the drop is counted): from
   * this thread's ring, else from the shared pool; lifecycle events, and any event when {@code
   * depth} is null, from the shared pool (see {@link EventBuffer}). Host threads; never blocks.
   */
  static Event claim(CallDepth depth, int kind, int point, long startNanos) {
    EventBuffer shared = buffer;
    Event event = null;
    ThreadEvents ring = null;
    if (depth != null && !isLifecycle(kind)) {
      ring = depth.events(shared);
      if (ring != null) {
        event = ring.claim();
      }
    }
    if (event == null) {
      event = shared.claim();
      if (event != null && ring != null) {
        // Refused by the ring: the exporter drains what the ring holds before this event.
        event.overflowOf = ring;
        event.overflowAt = ring.claimsMade();
      }
    }
    if (event != null) {
      event.kind = kind;
      event.point = point;
      event.startNanos = startNanos;
    }
    return event;
  }

  /**
   * Publishes a pool event ({@link ThreadEvents#publishPoolEvent}) into this thread's ring, else
   * through the shared pool, after what the ring holds (see {@link Event#overflowOfPool}); a drop
   * when the shared pool has no event free is counted. Host threads; never blocks.
   */
  static void publishPoolEvent(
      CallDepth depth,
      int kind,
      long start,
      long duration,
      long run,
      Object pool,
      Object task,
      Throwable failure) {
    EventBuffer shared = buffer;
    ThreadEvents ring = depth.events(shared);
    // A failure has no field in the ring's slots: see PoolEventSlots.
    if (ring != null
        && failure == null
        && ring.publishPoolEvent(kind, start, duration, run, pool, task)) {
      return;
    }
    Event event = shared.claim();
    if (event != null) {
      event.setPoolEvent(kind, start, duration, run, pool, task, failure);
      event.point = 0;
      event.executorName = null;
      if (ring != null) {
        event.overflowOf = ring;
        event.overflowAt = ring.poolEventsMade();
        event.overflowOfPool = true;
      }
      shared.publish(event);
    }
  }

  /** {@link #claim(CallDepth, int, int, long)} for a caller that has not looked up its depth. */
  static Event claim(int kind, int point, long startNanos) {
    return claim(isLifecycle(kind) ? null : CallDepth.current(), kind, point, startNanos);
  }

  /**
   * Hands a claimed and filled event to the exporter. The thread that claimed it only, with the
   * {@code depth} it claimed with (null for a lifecycle event).
   */
  @ForceInline
  static void publish(CallDepth depth, Event event) {
    ThreadEvents ring = ringOf(depth, event);
    if (ring != null) {
      ring.publish();
    } else {
      buffer.publish(event);
    }
  }

  /**
   * The thread's ring when {@code event} is its open claim, else null (an event of the shared
   * pool). Asked of the ring, not read from {@link Event#ring}: see {@link
   * ThreadEvents#isOpenClaim}.
   */
  static ThreadEvents ringOf(CallDepth depth, Event event) {
    ThreadEvents ring = depth == null ? null : depth.ring();
    return ring != null && ring.isOpenClaim(event) ? ring : null;
  }

  /**
   * Events whose order against other threads' events matters to the exporter: an agent's start,
   * stop and health checks, a pool's creation (before any task of it).
   */
  private static boolean isLifecycle(int kind) {
    return kind == Event.AGENT_STARTED
        || kind == Event.AGENT_STOPPED
        || kind == Event.HEALTH_CHECK
        || kind == Event.EXECUTOR_CREATED;
  }

  /**
   * Fills {@code event} with {@code captures[point]}; a throwing capture marks the event and is
   * counted, never rethrown.
   */
  @ForceInline
  static void capture(
      LabelCapture[] captures,
      Event event,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned) {
    int point = event.point;
    if (point >= 0 && point < captures.length) {
      try {
        captures[point].capture(event, self, arg0, arg1, arg2, arg3, returned);
      } catch (Throwable e) {
        event.labelError = true;
        labelErrors.increment();
      }
    }
  }
}
