package dev.conductor.exporter.tracing;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One line of the trace list: what the trace is, when, how long, how it went.
 *
 * @param rootName the name of its root span, or of its earliest span when the root ran elsewhere
 * @param taskTypes the task types of its task spans
 * @param statuses the statuses of its task spans
 */
public record TraceSummary(
    long traceIdHigh,
    long traceIdLow,
    String rootName,
    long startEpochNanos,
    long endEpochNanos,
    int spanCount,
    boolean failed,
    Set<String> taskTypes,
    Set<String> statuses) {

  static TraceSummary of(List<Span> spans) {
    Span first = spans.get(0);
    Span root = null;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    boolean failed = false;
    Set<String> taskTypes = new LinkedHashSet<>();
    Set<String> statuses = new LinkedHashSet<>();
    for (Span span : spans) {
      if (span.startEpochNanos() < start) {
        start = span.startEpochNanos();
        first = span;
      }
      end = Math.max(end, span.endEpochNanos());
      failed |= span.failed();
      if (span.isRoot() && root == null) {
        root = span;
      }
      if (span.attributes().get("task_type") instanceof String type) {
        taskTypes.add(type);
      }
      if (span.attributes().get("status") instanceof String status) {
        statuses.add(status);
      }
    }
    return new TraceSummary(
        first.traceIdHigh(),
        first.traceIdLow(),
        (root != null ? root : first).name(),
        start,
        end,
        spans.size(),
        failed,
        Collections.unmodifiableSet(taskTypes),
        Collections.unmodifiableSet(statuses));
  }

  public String traceId() {
    return TraceIds.traceId(traceIdHigh, traceIdLow);
  }

  public double durationMillis() {
    return (endEpochNanos - startEpochNanos) / 1e6;
  }
}
