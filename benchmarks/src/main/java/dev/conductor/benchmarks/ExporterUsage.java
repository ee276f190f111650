package dev.conductor.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The agent's exporter thread's CPU time and allocation over an iteration, per call: the other
 * core's work for the benchmark's calls. On a VM whose two vCPUs may be one core's two hardware
 * threads, that work can slow the benchmark thread too.
 */
final class ExporterUsage {
  private static final String THREAD_NAME = "conductor-exporter";

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Thread exporter;
  private long cpuNanos;
  private long bytes;

  private ExporterUsage(Thread exporter) {
    this.exporter = exporter;
  }

  /** The exporter thread of this JVM's agent; a usage that reports nothing when there is none. */
  static ExporterUsage find() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(THREAD_NAME)) {
        return new ExporterUsage(thread);
      }
    }
    return new ExporterUsage(null);
  }

  void start() {
    if (exporter != null) {
      cpuNanos = threads.getThreadCpuTime(exporter.getId());
      bytes = threads.getThreadAllocatedBytes(exporter.getId());
    }
  }

  /** The end of an iteration's line: the exporter's CPU time and bytes since {@link #start}. */
  String describe(long calls) {
    if (exporter == null || calls <= 0) {
      return "";
    }
    long id = exporter.getId();
    return String.format(
        Locale.ROOT,
        ", exporter CPU %.0f ns/call, exporter bytes/call %.0f",
        (double) (threads.getThreadCpuTime(id) - cpuNanos) / calls,
        (double) (threads.getThreadAllocatedBytes(id) - bytes) / calls);
  }
}
