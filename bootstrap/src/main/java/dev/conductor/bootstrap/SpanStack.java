package dev.conductor.bootstrap;

/**
 * The trace context of one thread: the spans open on it, innermost last, and contexts restored for
 * work handed over from another thread (a task from a queue, a runnable from a pool). The top frame
 * is the parent of the next span the thread starts.
 *
 * <p>Plain arrays in the thread's {@link CallDepth}, so that opening and closing a span allocates
 * nothing once the arrays have grown to the thread's usual depth. Past {@link #MAX_DEPTH} frames no
 * more are pushed (spans still pair up: the overflow is counted and unwound first).
 */
final class SpanStack {
  static final int MAX_DEPTH = 64;

  long[] traceHigh = new long[4];
  long[] traceLow = new long[4];
  long[] spanId = new long[4];
  long[] parentSpanId = new long[4];

  /** For a task span: when its task was enqueued ({@link System#nanoTime()}), else 0. */
  long[] enqueuedAt = new long[4];

  int depth;
  private int overflow;

  boolean isEmpty() {
    return depth == 0;
  }

  int top() {
    return depth - 1;
  }

  void push(long high, long low, long span, long parent, long enqueued) {
    if (depth == MAX_DEPTH || overflow > 0) {
      overflow++;
      return;
    }
    if (depth == spanId.length) {
      grow();
    }
    traceHigh[depth] = high;
    traceLow[depth] = low;
    spanId[depth] = span;
    parentSpanId[depth] = parent;
    enqueuedAt[depth] = enqueued;
    depth++;
  }

  /** Whether the frame about to be popped was really pushed, not counted as overflow. */
  boolean topIsReal() {
    return overflow == 0 && depth > 0;
  }

  void pop() {
    if (overflow > 0) {
      overflow--;
    } else if (depth > 0) {
      depth--;
    }
  }

  /** Unwinds to {@code savedDepth}, whatever was left open above it. */
  void truncate(int savedDepth) {
    overflow = 0;
    if (savedDepth >= 0 && savedDepth < depth) {
      depth = savedDepth;
    }
  }

  private void grow() {
    int size = Math.min(MAX_DEPTH, spanId.length * 2);
    traceHigh = java.util.Arrays.copyOf(traceHigh, size);
    traceLow = java.util.Arrays.copyOf(traceLow, size);
    spanId = java.util.Arrays.copyOf(spanId, size);
    parentSpanId = java.util.Arrays.copyOf(parentSpanId, size);
    enqueuedAt = java.util.Arrays.copyOf(enqueuedAt, size);
  }
}
