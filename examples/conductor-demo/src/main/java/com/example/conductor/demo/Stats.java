package com.example.conductor.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exact, thread-safe task counters.
 *
 * <p>A single lock guards everything so a snapshot is always self-consistent (its per-status counts
 * add up to {@code finished}); the work per task is tiny, so contention is irrelevant.
 */
final class Stats {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progress = lock.newCondition();

  // type -> status -> count; insertion order gives stable, readable output.
  private final Map<String, Map<String, Long>> completed = new LinkedHashMap<>();
  private final Map<String, Long> byAgent = new LinkedHashMap<>();
  private long submitted;
  private long finished;
  private long thrown;

  Stats(List<String> agentIds) {
    for (TaskType type : TaskType.values()) {
      statusCounts(type.wireName());
    }
    for (String agentId : agentIds) {
      byAgent.put(agentId, 0L);
    }
  }

  void recordSubmitted() {
    lock.lock();
    try {
      submitted++;
    } finally {
      lock.unlock();
    }
  }

  /** Counts one finished task by its final status; {@code wasThrown} marks a crash. */
  void recordFinished(String type, String status, boolean wasThrown, String agentId) {
    lock.lock();
    try {
      statusCounts(type).merge(status, 1L, Long::sum);
      byAgent.merge(agentId, 1L, Long::sum);
      finished++;
      if (wasThrown) {
        thrown++;
      }
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }

  Snapshot snapshot() {
    lock.lock();
    try {
      return takeSnapshot();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every task submitted so far has finished and returns the snapshot taken at that
   * very moment, so a task submitted concurrently (e.g. over HTTP) cannot skew the totals.
   */
  Snapshot awaitAllFinished() throws InterruptedException {
    lock.lock();
    try {
      while (finished < submitted) {
        progress.await();
      }
      return takeSnapshot();
    } finally {
      lock.unlock();
    }
  }

  private Map<String, Long> statusCounts(String type) {
    return completed.computeIfAbsent(
        type,
        t -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          for (String status : TaskResult.STATUSES) {
            counts.put(status, 0L);
          }
          return counts;
        });
  }

  private Snapshot takeSnapshot() {
    Map<String, Map<String, Long>> completedCopy = new LinkedHashMap<>();
    completed.forEach(
        (type, counts) ->
            completedCopy.put(type, Collections.unmodifiableMap(new LinkedHashMap<>(counts))));
    return new Snapshot(
        Collections.unmodifiableMap(completedCopy),
        submitted,
        finished,
        thrown,
        Collections.unmodifiableMap(new LinkedHashMap<>(byAgent)));
  }

  /** An immutable, consistent view of the counters. */
  record Snapshot(
      Map<String, Map<String, Long>> completed,
      long submitted,
      long finished,
      long thrown,
      Map<String, Long> byAgent) {

    /** The one-line summary printed when a fixed workload is done. */
    String toSummaryJson() {
      return toSummaryJson(null);
    }

    /**
     * As {@link #toSummaryJson()}, plus {@code "health_failures"} (current consecutive health-check
     * failures per agent) unless {@code healthFailures} is null.
     */
    String toSummaryJson(Map<String, Long> healthFailures) {
      StringBuilder out = new StringBuilder(512);
      out.append('{');
      Json.nestedCounts(Json.key(out, "completed"), completed);
      Json.key(out.append(','), "submitted").append(submitted);
      Json.key(out.append(','), "thrown").append(thrown);
      Json.counts(Json.key(out.append(','), "by_agent"), byAgent);
      if (healthFailures != null) {
        Json.counts(Json.key(out.append(','), "health_failures"), healthFailures);
      }
      return out.append('}').toString();
    }
  }
}
