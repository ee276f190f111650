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

  /** Open pool calls by {@link ExecutorRecorder} method: execute, beforeExecute, afterExecute. */
  final int[] executorCalls = new int[3];

  /** When the pool task now running on this worker started; see {@link ExecutorRecorder}. */
  long executorTaskStart;

  /** The trace context of this thread. */
  final SpanStack spans = new SpanStack();

  /** Scratch for a context taken from a hand-over table. */
  final ContextHandoff.Taken taken = new ContextHandoff.Taken();

  /** Where to unwind the context restored for the pool task now running, or -1. */
  int poolTaskContext = -1;

  /** Where to unwind the remote context of the HTTP request now served, or -1. */
  int requestContext = -1;

  /** Open calls that take a log event's context map; see {@link LogCorrelation}. */
  int logEventMaps;

  /** Open {@code java.net.http.HttpClient} sends, whose request copy takes the trace context. */
  int httpSends;

  static CallDepth current() {
    return CURRENT.get();
  }
}
