package dev.conductor.exporter.http;

import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.exporter.drain.ExporterLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health}: real checks of the agent's own parts. 200 with {@code "status":"healthy"}
 * when the exporter thread is alive and keeping up, the buffer has room and the HTTP servers that
 * should be up are up; 503 with the failing check named otherwise.
 */
public final class HealthEndpoint implements Endpoint {
  /** The exporter drains every ~100 ms; this much silence means it is stuck. */
  static final double MAX_EXPORTER_LAG_SECONDS = 10;

  /** Past this fill the buffer is about to drop events. */
  static final double MAX_BUFFER_FILL = 0.9;

  private final ExporterLoop loop;
  private final EventBuffer buffer;
  private final BooleanSupplier httpUp;

  public HealthEndpoint(ExporterLoop loop, EventBuffer buffer, BooleanSupplier httpUp) {
    this.loop = loop;
    this.buffer = buffer;
    this.httpUp = httpUp;
  }

  @Override
  public Response handle(Map<String, String> headers, Map<String, String> query) throws Exception {
    double lag = loop.secondsSinceLastDrain();
    boolean exporterOk = loop.isAlive() && lag < MAX_EXPORTER_LAG_SECONDS;
    double fill = (double) buffer.pending() / buffer.slots();
    boolean bufferOk = fill < MAX_BUFFER_FILL;
    boolean http = httpUp.getAsBoolean();

    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("exporter", Map.of("status", exporterOk ? "up" : "down", "lag_seconds", round(lag)));
    checks.put(
        "buffer",
        Map.of(
            "status", bufferOk ? "ok" : "overflowing",
            "fill_ratio", round(fill),
            "events_dropped_total", buffer.dropped()));
    checks.put("http", Map.of("status", http ? "up" : "down"));

    boolean healthy = exporterOk && bufferOk && http;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", healthy ? "healthy" : "unhealthy");
    body.put("checks", checks);
    return Response.json(healthy ? 200 : 503, Json.bytes(body));
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
