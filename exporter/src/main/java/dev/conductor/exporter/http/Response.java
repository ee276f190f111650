package dev.conductor.exporter.http;

import java.nio.charset.StandardCharsets;

/**
 * What an endpoint answers: a status code, a content type and the body bytes.
 *
 * @param body the encoded body; empty for none
 */
public record Response(int status, String contentType, byte[] body) {
  static final String JSON = "application/json; charset=utf-8";

  /** An error in the API's {@code {error, message}} shape. */
  public static Response error(int status, String error, String message) {
    String json =
        "{\"error\":" + JsonText.quote(error) + ",\"message\":" + JsonText.quote(message) + "}";
    return new Response(status, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  public static Response json(int status, byte[] body) {
    return new Response(status, JSON, body);
  }
}
