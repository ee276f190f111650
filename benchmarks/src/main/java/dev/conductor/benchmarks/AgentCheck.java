package dev.conductor.benchmarks;

import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Checks, inside a fork, that the Conductor agent is attached exactly when the benchmark wants it,
 * so that no figure is ever taken from the wrong JVM. Uses reflection only: the benchmarks must not
 * link against the agent's bootstrap classes themselves.
 */
final class AgentCheck {
  /** System property set by {@link AgentForkProfiler#MARKER}: the name of the agent config. */
  static final String MARKER_PROPERTY = "conductor.bench.agent";

  private static final String RECORDER = "dev.conductor.bootstrap.TaskRecorder";
  private static final String RECORDERS = "dev.conductor.bootstrap.Recorders";

  private AgentCheck() {}

  /**
   * True in a fork whose {@code @Fork(jvmArgsAppend)} carries an {@link AgentForkProfiler} marker.
   */
  static boolean agentWanted() {
    return System.getProperty(MARKER_PROPERTY) != null;
  }

  /** Fails when the agent's recorder is in the bootstrap loader of this JVM. */
  static void requireNoAgent() {
    if (bootstrapRecorder() != null) {
      throw new IllegalStateException(
          "this fork must run WITHOUT the agent, but "
              + RECORDER
              + " is defined in the bootstrap class loader (was -javaagent passed to every fork,"
              + " e.g. with -jvmArgsAppend?)");
    }
  }

  /**
   * Fails unless the agent is attached, has installed its buffer, and records calls of {@code
   * call}, which must run one instrumented method once. Returns a view of the agent's buffer.
   */
  static Buffer requireAgent(Runnable call) {
    Class<?> recorder = bootstrapRecorder();
    if (recorder == null) {
      throw new IllegalStateException(
          "this fork must run WITH the agent, but "
              + RECORDER
              + " is not in the bootstrap class loader: run JMH with"
              + " -prof dev.conductor.benchmarks.AgentForkProfiler (and look above for a"
              + " [conductor-agent] error line)");
    }
    Buffer buffer;
    try {
      buffer = new Buffer(bufferOwner(recorder).getMethod("buffer").invoke(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the agent's event buffer", e);
    }
    if (buffer.capacity() <= 2) {
      throw new IllegalStateException(
          "the agent is loaded but never installed its event buffer (capacity "
              + buffer.capacity()
              + "): its config was probably rejected, see the [conductor-agent] lines above");
    }
    // Each recorded call is either pending in the buffer or counted as dropped until the exporter
    // drains it (every 100 ms by default), so at least one of these tries must see the count rise.
    for (int attempt = 0; attempt < 1000; attempt++) {
      long before = buffer.pending() + buffer.dropped();
      call.run();
      if (buffer.pending() + buffer.dropped() > before) {
        return buffer;
      }
    }
    throw new IllegalStateException(
        "the agent is attached but the method the benchmark measures is not instrumented:"
            + " 1000 calls recorded nothing");
  }

  /** {@code Recorders.buffer()} in current agents, {@code TaskRecorder.buffer()} before. */
  private static Class<?> bufferOwner(Class<?> recorder) {
    try {
      return Class.forName(RECORDERS, false, null);
    } catch (ClassNotFoundException e) {
      return recorder;
    }
  }

  private static Class<?> bootstrapRecorder() {
    try {
      return Class.forName(RECORDER, false, null);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /** Reflective view of the agent's {@code EventBuffer}; never used inside a measurement. */
  static final class Buffer {
    private final Object buffer;
    private final Method pending;
    private final Method dropped;
    private final Method capacity;
    private final Method ringFullClaims;

    Buffer(Object buffer) throws NoSuchMethodException {
      this.buffer = buffer;
      Class<?> type = buffer.getClass();
      this.pending = type.getMethod("pending");
      this.dropped = type.getMethod("dropped");
      this.capacity = type.getMethod("capacity");
      this.ringFullClaims = optionalMethod(type, "ringFullClaims");
    }

    int pending() {
      return (Integer) invoke(pending);
    }

    long dropped() {
      return (Long) invoke(dropped);
    }

    /** Events sent to the shared pool because their thread's ring was full; -1 if not counted. */
    long ringFullClaims() {
      return ringFullClaims == null ? -1 : (Long) invoke(ringFullClaims);
    }

    /** ", ring full n (x%)" since {@code before} of {@code events}, or "" when not counted. */
    String ringFullSince(long before, long events) {
      long now = ringFullClaims();
      if (now < 0) {
        return "";
      }
      long full = now - before;
      return String.format(
          Locale.ROOT, ", ring full %d (%.1f%%)", full, events == 0 ? 0.0 : 100.0 * full / events);
    }

    private static Method optionalMethod(Class<?> type, String name) {
      try {
        return type.getMethod(name);
      } catch (NoSuchMethodException e) {
        return null; // an agent jar from before the method existed
      }
    }

    int capacity() {
      return (Integer) invoke(capacity);
    }

    private Object invoke(Method method) {
      try {
        return method.invoke(buffer);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
