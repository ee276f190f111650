package dev.conductor.exporter.executors;

import dev.conductor.bootstrap.ExecutorRecorder;
import java.util.regex.Pattern;

/**
 * Readable, bounded pool names: the worker threads' name with its numbers taken out when the pool's
 * thread factory named them ({@code http-api-3} becomes {@code http-api}), else the simple name of
 * the class that created the pool, or for pools created before the agent started the workers' name
 * anyway ({@code pool-3-thread-1} becomes {@code pool-thread}), so that one kind of pool is one
 * name however many of them the host creates.
 */
final class PoolNames {
  private static final Pattern NUMBERS = Pattern.compile("[-_.#]?\\d+");

  private PoolNames() {}

  /** The JVM's shared fork/join pool: parallel streams, CompletableFuture's default async pool. */
  static final String COMMON_POOL = "ForkJoinPool.commonPool";

  static String fromCreator(String className) {
    if (className.equals(ExecutorRecorder.COMMON_POOL)) {
      return COMMON_POOL;
    }
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** What the JDK's own thread factories and unnamed threads give, with the numbers taken out. */
  private static final java.util.Set<String> DEFAULT_NAMES =
      java.util.Set.of(
          "pool-thread",
          "Thread",
          "unnamed",
          "ForkJoinPool-worker",
          "ForkJoinPool.commonPool-worker");

  /**
   * Whether a name from {@link #fromThread} was given by the pool's own thread factory, and so says
   * more than the creating class.
   */
  static boolean isFactoryGiven(String fromThread) {
    return !DEFAULT_NAMES.contains(fromThread);
  }

  static String fromThread(String threadName) {
    if (threadName == null || threadName.isBlank()) {
      return "unnamed";
    }
    String name = NUMBERS.matcher(threadName).replaceAll("");
    return name.isEmpty() ? "unnamed" : name;
  }
}
