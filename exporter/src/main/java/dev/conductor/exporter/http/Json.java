package dev.conductor.exporter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON bodies of the agent's HTTP endpoints, written by Jackson. Its {@code ObjectMapper} is made
 * on the first body written, not when the servers start: making one loads some 370 classes, which
 * the agent's start thread did while the host's own startup needed the CPU.
 */
public final class Json {
  private Json() {}

  /** {@code body} (maps, lists, strings, numbers, booleans, nulls) as UTF-8 JSON. */
  public static byte[] bytes(Object body) {
    try {
      return Mapper.INSTANCE.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a response body as JSON", e);
    }
  }

  /** Made when {@link #bytes} first runs; thread-safe once made. */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = new ObjectMapper();
  }
}
