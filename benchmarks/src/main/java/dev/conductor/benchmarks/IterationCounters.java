package dev.conductor.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The per-iteration counters that every fork of {@link TaskRecordingBenchmark}, {@link
 * EnqueueBenchmark}, {@link HandoffBenchmark} and {@link ExecutorBenchmark} prints, in the format
 * that {@code run-all.sh} parses: calls, bytes allocated by the benchmark thread alone per call
 * (JMH's {@code -prof gc} counts every thread of the JVM, the agent's exporter thread included)
 * and, with the agent, the events it dropped because its pool was empty, those that went to the
 * shared pool because their thread's ring was full, and the exporter thread's CPU time and bytes
 * per call.
 *
 * <p>Benchmark thread only: {@link #start} and {@link #line} read the calling thread's allocation
 * counter.
 */
final class IterationCounters {
  private final String variant;
  private final AgentCheck.Buffer agentBuffer;
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final ExporterUsage exporter = ExporterUsage.find();
  private long calls;
  private long bytes;
  private long dropped;
  private long ringFull;

  /**
   * @param agentBuffer the agent's buffer, or null in a fork without the agent
   */
  IterationCounters(String variant, AgentCheck.Buffer agentBuffer) {
    this.variant = variant;
    this.agentBuffer = agentBuffer;
  }

  /**
   * Checks that this fork has the agent if and only if it should ({@code recordedCall} must be
   * recorded by it), says which config it runs with, and returns the fork's counters.
   */
  static IterationCounters forFork(String benchmark, Runnable recordedCall) {
    String variant = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    if (!AgentCheck.agentWanted()) {
      AgentCheck.requireNoAgent();
      return new IterationCounters(variant, null);
    }
    AgentCheck.Buffer agentBuffer = AgentCheck.requireAgent(recordedCall);
    System.out.println(
        "["
            + variant
            + "] agent attached with "
            + System.getProperty(AgentCheck.MARKER_PROPERTY)
            + ".yaml, buffer capacity "
            + agentBuffer.capacity()
            + ", tracing "
            + (Boolean.parseBoolean(System.getProperty("conductor.tracing.enabled", "true"))
                ? "on"
                : "off"));
    return new IterationCounters(variant, agentBuffer);
  }

  void start(long callsSoFar) {
    calls = callsSoFar;
    bytes = threads.getCurrentThreadAllocatedBytes();
    dropped = agentBuffer == null ? 0 : agentBuffer.dropped();
    ringFull = agentBuffer == null ? 0 : agentBuffer.ringFullClaims();
    exporter.start();
  }

  /**
   * The line for the iteration that ends now, to be completed by the caller.
   *
   * @param eventsPerCall how many events the agent publishes per call: the drop share is of those
   */
  StringBuilder line(long callsSoFar, int eventsPerCall) {
    long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
    long made = callsSoFar - calls;
    StringBuilder line =
        new StringBuilder()
            .append('[')
            .append(variant)
            .append("] calls ")
            .append(made)
            .append(", benchmark-thread bytes/call ")
            .append(
                String.format(Locale.ROOT, "%.4f", made == 0 ? 0.0 : (double) allocated / made));
    if (agentBuffer != null) {
      long lost = agentBuffer.dropped() - dropped;
      long events = made * eventsPerCall;
      line.append(", events dropped ")
          .append(lost)
          .append(
              String.format(Locale.ROOT, " (%.1f%%)", events == 0 ? 0.0 : 100.0 * lost / events));
      line.append(agentBuffer.ringFullSince(ringFull, events));
      line.append(exporter.describe(made));
    }
    return line;
  }
}
