package dev.conductor.agent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The agent's few words on stderr, each line prefixed with {@code [conductor-agent]}. Warnings are
 * capped so that a problem repeated on every event cannot flood the host's log.
 */
public final class AgentLog {
  private static final String PREFIX = "[conductor-agent] ";
  private static final int MAX_WARNINGS = 20;
  private static final AtomicInteger warnings = new AtomicInteger();

  /** {@link #warn} as a consumer; a class rather than {@code AgentLog::warn}, made in premain. */
  public static final Consumer<String> WARNINGS =
      new Consumer<String>() {
        @Override
        public void accept(String message) {
          warn(message);
        }
      };

  private AgentLog() {}

  public static void info(String message) {
    System.err.println(PREFIX + message);
  }

  public static void error(String message) {
    System.err.println(PREFIX + "ERROR: " + message);
  }

  public static void warn(String message) {
    int count = warnings.incrementAndGet();
    if (count < MAX_WARNINGS) {
      System.err.println(PREFIX + "WARNING: " + message);
    } else if (count == MAX_WARNINGS) {
      System.err.println(PREFIX + "WARNING: " + message + " (further warnings are not shown)");
    }
  }
}
