package dev.conductor.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace context on host threads: which span is open, what a task or a pool's runnable carries from
 * the thread that handed it over, and the W3C ids.
 *
 * <p>Spans are opened and closed by the recorders, each outermost task, enqueue, operation and HTTP
 * request one span; the ids go out with the event that records the call, and the exporter builds
 * the span from it. A task's trace starts at the call that enqueued it: that call leaves its
 * context for the task object (in fields of the task's own, {@link ContextCarrier}, when its class
 * has them, else in a {@link ContextHandoff} table), and the task's start takes it, on whatever
 * thread. Pools hand over the submitting thread's context the same way, keyed by the runnable.
 *
 * <p>No allocation: ids are random longs, contexts live in {@link SpanStack} arrays.
 */
public final class Tracing {
  private static volatile boolean enabled;
  private static volatile ContextHandoff queues = new ContextHandoff(4);
  private static volatile ContextHandoff pools = new ContextHandoff(4);

  /** Per task point: which argument is the task object (-1: this), or {@link #NO_ARGUMENT}. */
  static volatile int[] taskObjectArguments = new int[0];

  /** The same for the enqueue points. */
  static volatile int[] enqueueObjectArguments = new int[0];

  /** The task object is not an argument as such but read through steps: not known on entry. */
  public static final int NO_ARGUMENT = Integer.MIN_VALUE;

  private Tracing() {}

  /**
   * Turns tracing on; before, every method here does nothing.
   *
   * @param handoffSlots contexts waiting for their task to start, at most, per table
   * @param taskObjects per task point, the argument that is the task object
   * @param enqueueObjects per enqueue point, the argument that is the task object
   */
  public static void install(int handoffSlots, int[] taskObjects, int[] enqueueObjects) {
    queues = new ContextHandoff(handoffSlots);
    pools = new ContextHandoff(handoffSlots);
    taskObjectArguments = taskObjects.clone();
    enqueueObjectArguments = enqueueObjects.clone();
    enabled = true;
  }

  public static boolean enabled() {
    return enabled;
  }

  /** Hand-over contexts overwritten before their task started, since start. */
  public static long handoffsOverwritten() {
    return queues.overwritten() + pools.overwritten();
  }

  // ---- spans: called by the recorders around an outermost call ----

  /** Opens the span of a task call: {@link #openSpan} with the point's task object. */
  static void openTaskSpan(
      CallDepth depth, int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    Object task =
        enqueueObjectArguments.length == 0
            ? null // no enqueue point leaves a context: none to look up
            : taskObject(taskObjectArguments, point, self, arg0, arg1, arg2, arg3);
    openSpan(depth, task);
  }

  /**
   * Opens a span on this thread. Its parent is the context left for {@code task} by the call that
   * enqueued it, else the span open on this thread, else none: a new trace.
   */
  static void openSpan(CallDepth depth, Object task) {
    SpanStack stack = depth.spans;
    ContextHandoff.Taken taken = depth.taken;
    if (task != null && takeFromTask(task, taken)) {
      stack.push(taken.traceHigh, taken.traceLow, 0, taken.parentSpan, taken.enqueuedAt);
    } else if (stack.topIsReal()) {
      stack.pushChild();
    } else {
      stack.pushRoot();
    }
  }

  /**
   * Copies the innermost open span's ids into {@code event} and closes it. Ids that nothing needed
   * while the span was open are not made here but by the exporter ({@link #makeIds}).
   */
  static void closeSpan(CallDepth depth, Event event) {
    SpanStack stack = depth.spans;
    if (event != null && stack.topIsReal()) {
      int top = stack.top();
      event.traceIdHigh = stack.traceHigh(top);
      event.traceIdLow = stack.traceLow(top);
      event.spanId = stack.spanId(top);
      event.parentSpanId = stack.parentSpanId(top);
      event.enqueuedAt = stack.enqueuedAt(top);
      event.spanClosed = true;
      if (Recorders.ringOf(depth, event) == null) {
        event.threadName = Thread.currentThread().getName(); // else read from the ring's owner
      }
    }
    stack.pop();
  }

  /**
   * Gives a span closed with no ids the ones it lacks: a span id, and trace ids when it had no
   * parent. The exporter thread, before anything reads the event's ids.
   */
  public static void makeIds(Event event) {
    if (!event.spanClosed || event.spanId != 0) {
      return;
    }
    if (event.traceIdHigh == 0 && event.traceIdLow == 0) {
      event.traceIdHigh = newId();
      event.traceIdLow = newId();
    }
    event.spanId = newId();
  }

  /** Leaves the innermost open span's context for {@code task}, enqueued at {@code enqueuedAt}. */
  static void leaveForTask(CallDepth depth, Object task, long enqueuedAt) {
    SpanStack stack = depth.spans;
    if (task == null || !stack.topIsReal()) {
      return;
    }
    int top = stack.topWithIds();
    long traceHigh = stack.traceHigh(top);
    long traceLow = stack.traceLow(top);
    long parentSpan = stack.spanId(top);
    if (task instanceof ContextCarrier carrier) {
      carrier.conductor$handOver(traceHigh, traceLow, parentSpan, enqueuedAt);
    } else {
      queues.put(task, traceHigh, traceLow, parentSpan, enqueuedAt, depth.taken);
    }
  }

  /** The enqueue did not happen (it threw): its context is not waited for. */
  static void withdrawFromTask(Object task) {
    if (task instanceof ContextCarrier carrier) {
      carrier.conductor$handOver(0, 0, 0, 0);
    } else if (task != null) {
      queues.remove(task);
    }
  }

  /**
   * Takes the context left for {@code task} into {@code into}; false when there is none. A context
   * is taken once: a task object started again without another enqueue starts a trace of its own.
   */
  private static boolean takeFromTask(Object task, ContextHandoff.Taken into) {
    if (!(task instanceof ContextCarrier carrier)) {
      return queues.take(task, into);
    }
    long traceHigh = carrier.conductor$traceHigh();
    long traceLow = carrier.conductor$traceLow();
    if (traceHigh == 0 && traceLow == 0) {
      return false; // W3C trace ids are never all zero
    }
    into.traceHigh = traceHigh;
    into.traceLow = traceLow;
    into.parentSpan = carrier.conductor$parentSpan();
    into.enqueuedAt = carrier.conductor$enqueuedAt();
    carrier.conductor$handOver(0, 0, 0, 0);
    return true;
  }

  /** The task object of a call, by the point's argument index; null when not known on entry. */
  static Object taskObject(
      int[] arguments, int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    if (point < 0 || point >= arguments.length) {
      return null;
    }
    switch (arguments[point]) {
      case -1:
        return self;
      case 0:
        return arg0;
      case 1:
        return arg1;
      case 2:
        return arg2;
      case 3:
        return arg3;
      default:
        return null;
    }
  }

  // ---- pools: the submitting thread's context follows the runnable ----

  /** A runnable is handed to a pool: it carries this thread's context, if there is one. */
  static void handToPool(CallDepth depth, Object runnable) {
    if (!enabled || runnable == null) {
      return;
    }
    SpanStack stack = depth.spans;
    if (stack.topIsReal()) {
      int top = stack.topWithIds();
      pools.put(
          runnable, stack.traceHigh(top), stack.traceLow(top), stack.spanId(top), 0, depth.taken);
    }
  }

  /**
   * A pool thread is about to run {@code runnable}: restores the context it carries. Returns the
   * depth to unwind to when it ends ({@link #restoredEnd}), or -1 when nothing was restored.
   */
  static int restoreForRun(CallDepth depth, Object runnable) {
    if (!enabled || runnable == null || !pools.take(runnable, depth.taken)) {
      return -1;
    }
    ContextHandoff.Taken taken = depth.taken;
    return restore(depth.spans, taken.traceHigh, taken.traceLow, taken.parentSpan);
  }

  /** The runnable restored by {@link #restoreForRun} ended. */
  static void restoredEnd(CallDepth depth, int savedDepth) {
    if (savedDepth >= 0) {
      depth.spans.truncate(savedDepth);
    }
  }

  /** Pushes a context handed over from elsewhere; returns the depth to unwind to. */
  private static int restore(SpanStack stack, long traceHigh, long traceLow, long parentSpan) {
    int saved = stack.depth;
    stack.push(traceHigh, traceLow, parentSpan, 0, 0);
    return saved;
  }

  // ---- remote context: HTTP ----

  /**
   * Makes the context of a W3C {@code traceparent} header current on this thread, as the parent of
   * the spans the request opens. Returns the depth to unwind to ({@link #endRemote}), or -1 when
   * the header is absent or malformed.
   */
  public static int restoreRemote(String traceparent) {
    return restoreRemote(CallDepth.current(), traceparent);
  }

  static int restoreRemote(CallDepth depth, String traceparent) {
    if (!enabled || traceparent == null) {
      return -1;
    }
    long[] ids = TraceParent.parse(traceparent);
    return ids == null ? -1 : restore(depth.spans, ids[0], ids[1], ids[2]);
  }

  /** Unwinds what {@link #restoreRemote} restored. */
  public static void endRemote(int savedDepth) {
    restoredEnd(CallDepth.current(), savedDepth);
  }

  /**
   * The {@code traceparent} header for a request made now from this thread, or null outside any
   * trace. Allocates the header text: for outgoing HTTP calls only.
   */
  public static String currentTraceparent() {
    SpanStack stack = currentStack();
    if (stack == null) {
      return null;
    }
    int top = stack.topWithIds();
    return TraceParent.format(stack.traceHigh(top), stack.traceLow(top), stack.spanId(top));
  }

  /** The current trace id as 32 hex digits, or null outside any trace; for log correlation. */
  public static String currentTraceId() {
    SpanStack stack = currentStack();
    if (stack == null) {
      return null;
    }
    int top = stack.topWithIds();
    return TraceParent.hex(stack.traceHigh(top), stack.traceLow(top));
  }

  /** The innermost span id as 16 hex digits, or null outside any trace; for log correlation. */
  public static String currentSpanId() {
    SpanStack stack = currentStack();
    return stack == null ? null : TraceParent.hex(stack.spanId(stack.topWithIds()));
  }

  /** This thread's stack when a span or context is current on it, else null. */
  private static SpanStack currentStack() {
    if (!enabled) {
      return null;
    }
    SpanStack stack = CallDepth.current().spans;
    return stack.topIsReal() ? stack : null;
  }

  /** A random id, never 0 (which W3C reserves for "none"). */
  static long newId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
  }
}
