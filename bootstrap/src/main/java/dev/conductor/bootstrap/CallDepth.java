package dev.conductor.bootstrap;

/**
 * How many instrumented calls of each family are open on the current thread.
 *
 * <p>Only the outermost call records, so an override that calls {@code super.execute(..)} or an
 * instrumented method that calls another is one execution, not two; the same for a {@code submit}
 * overload that calls another. One small mutable object per thread, created on first use and
 * collected with the thread.
 */
final class CallDepth {
  // Not ThreadLocal.withInitial(CallDepth::new): that lambda would be spun on the host thread
  // that records first.
  private static final ThreadLocal<CallDepth> CURRENT =
      new ThreadLocal<CallDepth>() {
        @Override
        protected CallDepth initialValue() {
          return new CallDepth();
        }
      };

  int tasks;
  int enqueues;
  int requests;

  /**
   * When the outermost task call open on this thread started, or {@link TaskRecorder#NESTED} when
   * its start failed (it is then unwound, not recorded). Only the outermost call sets it.
   */
  long taskStart;

  /**
   * The number of the outermost task call's start in this thread's ring, or 0 when its start was
   * published as an event or not tracked; see {@link ThreadEvents#callStarted}.
   */
  long taskCall;

  /** The same for the outermost enqueue call. */
  long enqueueStart;

  /**
   * The agent whose start, stop or health check (by kind) is open on this thread, so that an
   * override's {@code super} call is not a second one; made on the first lifecycle call.
   */
  Object[] openLifecycle;

  /** Open pool calls by {@link ExecutorRecorder} method: execute, beforeExecute, afterExecute. */
  final int[] executorCalls = new int[3];

  /** When the outermost pool {@code execute} open on this thread began. */
  long executeStart;

  /** When the pool task now running on this worker started; see {@link ExecutorRecorder}. */
  long executorTaskStart;

  /**
   * Pool tasks started on this thread and not yet finished: two while a task runs inside another (a
   * thread pool's task that helps a fork/join pool run its tasks).
   */
  int executorRunsOpen;

  /** When the pool task running inside the outermost one started. */
  long nestedTaskStart;

  /**
   * The number of the outermost pool task's run in this thread's ring, or 0 when its start was
   * published as an event; see {@link ThreadEvents#runStarted}.
   */
  long executorRun;

  /** The trace context of this thread. */
  final SpanStack spans = new SpanStack();

  /** Scratch for a context taken from a hand-over table. */
  final ContextHandoff.Taken taken = new ContextHandoff.Taken();

  /** Where to unwind the context restored for the pool task now running, or -1. */
  int poolTaskContext = -1;

  /** The same for a pool task running inside the outermost one. */
  int nestedTaskContext = -1;

  /** Where to unwind the remote context of the HTTP request now served, or -1. */
  int requestContext = -1;

  /** Open calls that take a log event's context map; see {@link LogCorrelation}. */
  int logEventMaps;

  /** Open {@code java.net.http.HttpClient} sends, whose request copy takes the trace context. */
  int httpSends;

  /** The thread this belongs to. */
  private final Thread thread = Thread.currentThread();

  /** This thread's event ring once it has recorded; see {@link ThreadEvents}. */
  private ThreadEvents events;

  /**
   * No ring for this thread: a virtual thread (there can be millions, each would hold a ring), or
   * the buffer had no room for another.
   */
  private boolean ringless = isVirtual(thread);

  static CallDepth current() {
    return CURRENT.get();
  }

  /** This thread's ring in {@code buffer}, made on first use; null when it has none. */
  ThreadEvents events(EventBuffer buffer) {
    ThreadEvents ring = events;
    if (ring != null && ring.buffer == buffer) {
      return ring;
    }
    if (ringless) {
      return null;
    }
    ring = buffer.newRing(thread);
    if (ring == null) {
      ringless = true;
    }
    events = ring;
    return ring;
  }

  /** This thread's ring as last looked up by {@link #events}; null when it has none yet. */
  ThreadEvents ring() {
    return events;
  }

  /** Without {@code Thread.isVirtual()}, which JDK 17 lacks. */
  private static boolean isVirtual(Thread thread) {
    String type = thread.getClass().getName();
    return type.startsWith("java.lang.") && type.endsWith("VirtualThread");
  }
}
