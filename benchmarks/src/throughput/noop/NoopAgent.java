package noop;

import java.lang.instrument.Instrumentation;

/**
 * A Java agent that does nothing: what {@code -javaagent} costs a JVM before any agent code runs.
 * With it, the JVM resolves its module graph at startup instead of mapping the one archived for
 * class data sharing ({@code -Xlog:cds} says "full module graph: disabled"), which among other
 * things fills the JIT's profile of the JDK's map code with module classes as keys (PERFORMANCE.md,
 * eighteenth session). {@code throughput.sh} runs it with {@code NOOP_AGENT=1}, so that what the
 * conductor agent itself costs can be told from what any agent costs.
 */
public final class NoopAgent {
  private NoopAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {}
}
