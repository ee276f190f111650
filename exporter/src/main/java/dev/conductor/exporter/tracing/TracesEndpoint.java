package dev.conductor.exporter.tracing;

import dev.conductor.exporter.http.Endpoint;
import dev.conductor.exporter.http.Json;
import dev.conductor.exporter.http.PathEndpoint;
import dev.conductor.exporter.http.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/metrics/traces} (filters {@code status}, {@code task_type}, {@code
 * min_duration_ms}, {@code limit}) and {@code GET /api/v1/metrics/traces/{trace_id}} (every span of
 * one trace with its parent, timings, attributes and error).
 */
public final class TracesEndpoint {
  public static final String LIST = "/api/v1/metrics/traces";
  public static final String ONE = "/api/v1/metrics/traces/";

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final TraceStore store;

  public TracesEndpoint(TraceStore store) {
    this.store = store;
  }

  public Endpoint list() {
    return (headers, query) -> {
      Predicate<TraceSummary> filter = filter(query);
      int limit = limit(query.get("limit"));
      List<Map<String, Object>> traces = new ArrayList<>();
      for (TraceSummary summary : store.traces(filter, limit)) {
        traces.add(summary(summary));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("traces", traces);
      body.put("count", traces.size());
      body.put("stored", store.size());
      return Response.json(200, Json.bytes(body));
    };
  }

  public PathEndpoint one() {
    return (rest, headers, query) -> {
      long[] id = TraceIds.parseTraceId(rest);
      if (id == null) {
        return Response.error(
            400, "bad_request", "a trace id is 32 lower-case hex digits, not all zero");
      }
      return store
          .trace(id[0], id[1])
          .map(spans -> Response.json(200, Json.bytes(trace(rest, spans))))
          .orElseGet(
              () ->
                  Response.error(
                      404, "not_found", "no trace " + rest + " is kept (unknown, or evicted)"));
    };
  }

  private static Predicate<TraceSummary> filter(Map<String, String> query) {
    Predicate<TraceSummary> filter = summary -> true;
    String status = query.get("status");
    if (status != null && !status.isBlank()) {
      String wanted = status.strip().toLowerCase(Locale.ROOT);
      filter =
          switch (wanted) {
            case "error" -> filter.and(TraceSummary::failed);
            case "ok" -> filter.and(summary -> !summary.failed());
            default -> filter.and(summary -> summary.statuses().contains(wanted));
          };
    }
    String taskType = query.get("task_type");
    if (taskType != null && !taskType.isBlank()) {
      filter = filter.and(summary -> summary.taskTypes().contains(taskType));
    }
    String minDuration = query.get("min_duration_ms");
    if (minDuration != null && !minDuration.isBlank()) {
      double min = number("min_duration_ms", minDuration);
      filter = filter.and(summary -> summary.durationMillis() >= min);
    }
    return filter;
  }

  private static int limit(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    double limit = number("limit", text);
    if (limit < 1 || limit > MAX_LIMIT || limit != Math.rint(limit)) {
      throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
    return (int) limit;
  }

  private static double number(String name, String text) {
    try {
      double value = Double.parseDouble(text.strip());
      if (!Double.isFinite(value) || value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a non-negative number, got '" + text + "'");
    }
  }

  private static Map<String, Object> summary(TraceSummary summary) {
    Map<String, Object> trace = new LinkedHashMap<>();
    trace.put("trace_id", summary.traceId());
    trace.put("root_name", summary.rootName());
    trace.put("start_time", time(summary.startEpochNanos()));
    trace.put("duration_ms", summary.durationMillis());
    trace.put("span_count", summary.spanCount());
    trace.put("status", summary.failed() ? "error" : "ok");
    trace.put("task_types", summary.taskTypes());
    trace.put("task_statuses", summary.statuses());
    return trace;
  }

  private static Map<String, Object> trace(String traceId, List<Span> spans) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Span span : spans) {
      list.add(span(span));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("summary", summary(TraceSummary.of(spans)));
    body.put("spans", list);
    return body;
  }

  private static Map<String, Object> span(Span span) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("span_id", span.spanIdText());
    out.put("parent_span_id", span.isRoot() ? null : TraceIds.spanId(span.parentSpanId()));
    out.put("name", span.name());
    out.put("kind", span.kind().name());
    out.put("start_time", time(span.startEpochNanos()));
    out.put("start_epoch_nanos", span.startEpochNanos());
    out.put("duration_ms", span.durationNanos() / 1e6);
    out.put("status", span.failed() ? "error" : "ok");
    out.put("attributes", span.attributes());
    if (span.errorType() != null) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", span.errorType());
      error.put("message", span.errorMessage());
      out.put("error", error);
    } else {
      out.put("error", null);
    }
    out.put("thread", span.threadName());
    return out;
  }

  private static String time(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).toString();
  }
}
