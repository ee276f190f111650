package com.example.conductor.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small JSON HTTP API on 127.0.0.1, built on the JDK's own HTTP server.
 *
 * <pre>
 * POST /tasks?type=T&amp;priority=P  submit a task (priority defaults to 5) -> 202, 400, 503
 * GET  /tasks/{id}                 a task's status                         -> 200, 404
 * GET  /status                     queue, counters, agents and their health -> 200
 * POST /pause                      workers take no new task until resumed  -> 200
 * POST /resume                     workers take tasks again                -> 200
 * POST /agents/{id}/stop           stop one agent (after its current task) -> 200, 404
 * POST /agents/{id}/start          start a stopped agent again             -> 200, 404, 409
 * </pre>
 */
final class ApiServer implements AutoCloseable {

  private static final int DEFAULT_PRIORITY = 5;
  private static final String TASKS = "/tasks";
  private static final String AGENTS = "/agents/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Orchestrator orchestrator;
  private final TaskFactory factory;

  private ApiServer(
      HttpServer server, ExecutorService executor, Orchestrator orchestrator, TaskFactory factory) {
    this.server = server;
    this.executor = executor;
    this.orchestrator = orchestrator;
    this.factory = factory;
  }

  /** Starts the API, or returns empty (after saying why on stderr) if the port cannot be bound. */
  static Optional<ApiServer> start(int port, Orchestrator orchestrator, TaskFactory factory) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      Log.info(
          "cannot listen on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "); continuing without the HTTP API");
      return Optional.empty();
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "http-api-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    ApiServer api = new ApiServer(server, executor, orchestrator, factory);
    server.createContext("/", api::handle);
    server.setExecutor(executor);
    server.start();
    return Optional.of(api);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (IOException e) {
      // The client went away; nothing useful to answer.
    } catch (RuntimeException e) {
      Log.info("HTTP " + exchange.getRequestURI() + " failed: " + e);
      trySend(exchange, 500, error("internal error"));
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (path.equals(TASKS) || path.equals(TASKS + "/")) {
      if (requireMethod(exchange, method, "POST")) {
        submitTask(exchange);
      }
    } else if (path.startsWith(TASKS + "/")) {
      if (requireMethod(exchange, method, "GET")) {
        taskStatus(exchange, path.substring(TASKS.length() + 1));
      }
    } else if (path.equals("/status")) {
      if (requireMethod(exchange, method, "GET")) {
        send(exchange, 200, status());
      }
    } else if (path.equals("/pause") || path.equals("/resume")) {
      if (requireMethod(exchange, method, "POST")) {
        if (path.equals("/pause")) {
          orchestrator.pause();
        } else {
          orchestrator.resume();
        }
        StringBuilder out = new StringBuilder("{");
        Json.key(out, "paused").append(orchestrator.isPaused());
        send(exchange, 200, out.append('}').toString());
      }
    } else if (path.startsWith(AGENTS)) {
      agentAction(exchange, method, path.substring(AGENTS.length()));
    } else {
      send(exchange, 404, error("no such endpoint: " + path));
    }
  }

  private void submitTask(HttpExchange exchange) throws IOException {
    Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
    String typeName = query.get("type");
    Optional<TaskType> type = TaskType.fromName(typeName);
    if (type.isEmpty()) {
      send(exchange, 400, error(typeName == null ? "missing type" : "unknown type: " + typeName));
      return;
    }
    int priority;
    try {
      String raw = query.get("priority");
      priority = raw == null ? DEFAULT_PRIORITY : Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      priority = -1;
    }
    if (priority < Task.MIN_PRIORITY || priority > Task.MAX_PRIORITY) {
      send(
          exchange,
          400,
          error("priority must be an integer " + Task.MIN_PRIORITY + ".." + Task.MAX_PRIORITY));
      return;
    }
    if (orchestrator.queueLength() >= Orchestrator.MAX_BACKLOG) {
      send(exchange, 503, error("queue full, retry later"));
      return;
    }
    Task task = factory.create(type.get(), priority);
    try {
      orchestrator.submit(task);
    } catch (IllegalStateException e) {
      send(exchange, 503, error("shutting down"));
      return;
    }
    StringBuilder out = new StringBuilder("{");
    Json.string(Json.key(out, "id"), task.getId());
    Json.string(Json.key(out.append(','), "type"), task.getType());
    Json.key(out.append(','), "priority").append(task.getPriority());
    Json.string(Json.key(out.append(','), "status"), "queued");
    send(exchange, 202, out.append('}').toString());
  }

  /** {@code rest} is what follows "/agents/": "{id}/stop" or "{id}/start". */
  private void agentAction(HttpExchange exchange, String method, String rest) throws IOException {
    int slash = rest.lastIndexOf('/');
    String action = slash < 0 ? "" : rest.substring(slash + 1);
    if (slash <= 0 || !(action.equals("stop") || action.equals("start"))) {
      send(exchange, 404, error("no such endpoint: " + AGENTS + rest));
      return;
    }
    String id = rest.substring(0, slash);
    if (!orchestrator.hasAgent(id)) {
      send(exchange, 404, error("unknown agent: " + id));
      return;
    }
    if (!requireMethod(exchange, method, "POST")) {
      return;
    }
    boolean changed;
    try {
      changed = action.equals("stop") ? orchestrator.stopAgent(id) : orchestrator.startAgent(id);
    } catch (IllegalStateException e) {
      send(exchange, 409, error(e.getMessage()));
      return;
    }
    StringBuilder out = new StringBuilder("{");
    Json.string(Json.key(out, "id"), id);
    Json.key(out.append(','), "running").append(action.equals("start"));
    Json.key(out.append(','), "changed").append(changed);
    send(exchange, 200, out.append('}').toString());
  }

  private void taskStatus(HttpExchange exchange, String id) throws IOException {
    Optional<Orchestrator.TaskView> view = orchestrator.lookup(id);
    if (view.isEmpty()) {
      send(exchange, 404, error("unknown task: " + id));
      return;
    }
    Orchestrator.TaskView v = view.get();
    StringBuilder out = new StringBuilder("{");
    Json.string(Json.key(out, "id"), v.task().getId());
    Json.string(Json.key(out.append(','), "type"), v.task().getType());
    Json.key(out.append(','), "priority").append(v.task().getPriority());
    Json.string(Json.key(out.append(','), "status"), v.status());
    Json.string(Json.key(out.append(','), "agent"), v.agentId());
    Json.string(Json.key(out.append(','), "message"), v.message());
    send(exchange, 200, out.append('}').toString());
  }

  private String status() {
    Stats.Snapshot snapshot = orchestrator.snapshot();
    Orchestrator.DispatchView dispatch = orchestrator.dispatchView();
    StringBuilder out = new StringBuilder("{");
    Json.key(out, "queue_length").append(dispatch.queued());
    Json.key(out.append(','), "submitted").append(snapshot.submitted());
    Json.key(out.append(','), "finished").append(snapshot.finished());
    Json.key(out.append(','), "thrown").append(snapshot.thrown());
    Json.nestedCounts(Json.key(out.append(','), "completed"), snapshot.completed());
    Json.counts(Json.key(out.append(','), "by_agent"), snapshot.byAgent());
    Json.key(out.append(','), "paused").append(dispatch.paused());
    Json.key(out.append(','), "queued").append(dispatch.queued());
    Json.counts(Json.key(out.append(','), "queue_by_priority"), dispatch.queuedByPriority());
    Json.counts(Json.key(out.append(','), "running"), dispatch.running());
    Json.key(out.append(','), "agents").append('{');
    boolean first = true;
    for (Map.Entry<String, AgentHealth.View> entry : orchestrator.health().entrySet()) {
      AgentHealth.View h = entry.getValue();
      if (!first) {
        out.append(',');
      }
      first = false;
      Json.key(out, entry.getKey()).append('{');
      Json.key(out, "running").append(dispatch.agentRunning().get(entry.getKey()));
      Json.key(out.append(','), "consecutive_health_failures").append(h.consecutiveFailures());
      Json.key(out.append(','), "health_checks").append(h.checks());
      Json.key(out.append(','), "healthy").append(h.healthy());
      Json.key(out.append(','), "checks").append(h.checks());
      Json.key(out.append(','), "failed_checks").append(h.failures());
      Json.string(Json.key(out.append(','), "last_error"), h.lastError());
      out.append('}');
    }
    return out.append("}}").toString();
  }

  /** Returns true if the method matches; otherwise answers 405. */
  private static boolean requireMethod(HttpExchange exchange, String method, String allowed)
      throws IOException {
    if (allowed.equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allowed);
    send(exchange, 405, error("method " + method + " not allowed, use " + allowed));
    return false;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // Malformed %-escape: ignore the parameter; validation reports what is missing.
      }
    }
    return params;
  }

  private static String error(String message) {
    return Json.string(Json.key(new StringBuilder("{"), "error"), message).append('}').toString();
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void trySend(HttpExchange exchange, int code, String json) {
    try {
      send(exchange, code, json);
    } catch (IOException | RuntimeException e) {
      // Headers may already be sent; the exchange is closed by the caller either way.
    }
  }
}
