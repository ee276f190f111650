package dev.conductor.exporter.http;

import java.util.Map;

/** One GET endpoint. Called on an HTTP thread; must not block on the host's locks. */
@FunctionalInterface
public interface Endpoint {

  /**
   * @param headers request headers with lower-case names
   * @param query query parameters, first value of each
   */
  Response handle(Map<String, String> headers, Map<String, String> query) throws Exception;
}
