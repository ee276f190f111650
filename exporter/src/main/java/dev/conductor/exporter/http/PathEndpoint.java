package dev.conductor.exporter.http;

import java.util.Map;

/**
 * A GET endpoint for every path under a prefix, such as {@code /api/v1/metrics/traces/{trace_id}}.
 * Called on an HTTP thread; must not block on the host's locks.
 */
@FunctionalInterface
public interface PathEndpoint {

  /**
   * @param rest the path after the prefix, not decoded further; never empty
   * @param headers request headers with lower-case names
   * @param query query parameters, first value of each
   */
  Response handle(String rest, Map<String, String> headers, Map<String, String> query)
      throws Exception;
}
