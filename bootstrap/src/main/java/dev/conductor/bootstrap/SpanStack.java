package dev.conductor.bootstrap;

/**
 * The trace context of one thread: the spans open on it, innermost last, and contexts restored for
 * work handed over from another thread (a task from a queue, a runnable from a pool). The top frame
 * is the parent of the next span the thread starts.
 *
 * <p>One {@code long} array in the thread's {@link CallDepth}, {@link #FRAME} values per frame, so
 * that opening and closing a span touches one place and allocates nothing once the array has grown
 * to the thread's usual depth. Past {@link #MAX_DEPTH} frames no more are pushed (spans still pair
 * up: the overflow is counted and unwound first).
 *
 * <p>Ids are made when first needed. A span opened with no parent gets its trace and span ids only
 * when something reads them: a child span, a hand-over to a queue or a pool, an outgoing request, a
 * log line ({@link #topWithIds}). Most task spans are leaves that nothing reads while they are
 * open; they close with no ids, and the exporter makes them ({@link Tracing#makeIds}), off the
 * host's thread. A frame's span id is 0 until then: the ids of real spans and restored contexts are
 * never 0.
 */
final class SpanStack {
  static final int MAX_DEPTH = 64;

  private static final int TRACE_HIGH = 0;
  private static final int TRACE_LOW = 1;
  private static final int SPAN_ID = 2;
  private static final int PARENT_SPAN_ID = 3;

  /** For a task span: when its task was enqueued ({@link System#nanoTime()}), else 0. */
  private static final int ENQUEUED_AT = 4;

  private static final int FRAME = 5;

  private long[] frames = new long[4 * FRAME];

  /**
   * This thread's id generator: a state stepped by an odd constant, each step mixed into an id, as
   * {@code ThreadLocalRandom} makes its numbers, but kept here, next to the frames, rather than in
   * the {@code Thread} object: a root span's three ids then cost three steps of a value at hand.
   */
  private long idState = java.util.concurrent.ThreadLocalRandom.current().nextLong();

  int depth;
  private int overflow;

  int top() {
    return depth - 1;
  }

  void push(long high, long low, long span, long parent, long enqueued) {
    if (depth == MAX_DEPTH || overflow > 0) {
      overflow++;
      return;
    }
    int base = depth * FRAME;
    if (base == frames.length) {
      frames = java.util.Arrays.copyOf(frames, Math.min(MAX_DEPTH, depth * 2) * FRAME);
    }
    long[] values = frames;
    values[base + TRACE_HIGH] = high;
    values[base + TRACE_LOW] = low;
    values[base + SPAN_ID] = span;
    values[base + PARENT_SPAN_ID] = parent;
    values[base + ENQUEUED_AT] = enqueued;
    depth++;
  }

  /** Opens a span in a new trace; its ids are made when first read. */
  void pushRoot() {
    push(0, 0, 0, 0, 0);
  }

  /** Opens a span whose parent is the top frame; its own id is made when first read. */
  void pushChild() {
    int parent = topWithIds();
    push(traceHigh(parent), traceLow(parent), 0, spanId(parent), 0);
  }

  /** Whether the frame about to be popped was really pushed, not counted as overflow. */
  boolean topIsReal() {
    return overflow == 0 && depth > 0;
  }

  /**
   * The top frame, with its ids made now if its span has none yet (from a new trace when it has no
   * parent). Only when {@link #topIsReal}.
   */
  int topWithIds() {
    int top = depth - 1;
    int base = top * FRAME;
    long[] values = frames;
    if (values[base + SPAN_ID] == 0) {
      if (values[base + TRACE_HIGH] == 0 && values[base + TRACE_LOW] == 0) {
        values[base + TRACE_HIGH] = newId();
        values[base + TRACE_LOW] = newId();
      }
      values[base + SPAN_ID] = newId();
    }
    return top;
  }

  /** A random id, never 0. */
  private long newId() {
    long id;
    do {
      long z = idState += 0x9e3779b97f4a7c15L; // the golden ratio's fraction: odd, bits well spread
      z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL; // MurmurHash3's 64-bit finalizer
      z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
      id = z ^ (z >>> 33);
    } while (id == 0);
    return id;
  }

  long traceHigh(int frame) {
    return frames[frame * FRAME + TRACE_HIGH];
  }

  long traceLow(int frame) {
    return frames[frame * FRAME + TRACE_LOW];
  }

  /** The frame's span id, or 0 when not made yet (see {@link #topWithIds}). */
  long spanId(int frame) {
    return frames[frame * FRAME + SPAN_ID];
  }

  long parentSpanId(int frame) {
    return frames[frame * FRAME + PARENT_SPAN_ID];
  }

  long enqueuedAt(int frame) {
    return frames[frame * FRAME + ENQUEUED_AT];
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
}
