package dev.conductor.instrumentation.http;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * The headers of a {@code java.net.http.HttpRequest} with a {@code traceparent} added, for the copy
 * {@code HttpClient} makes of a request it sends. Headers that already have one (set by the
 * application) are returned as they are.
 *
 * <p>Lives in the agent's loader, which sees {@code java.net.http} (the bootstrap loader does not);
 * loaded the first time a request is sent. Allocates the new headers: HTTP client path only.
 */
public final class HttpClientHeaders implements BiFunction<Object, String, Object> {
  private static final BiPredicate<String, String> ALL = new All();

  @Override
  public Object apply(Object headers, String traceparent) {
    if (!(headers instanceof HttpHeaders original)
        || original.firstValue(TraceparentReader.HEADER).isPresent()) {
      return headers;
    }
    Map<String, List<String>> map = new LinkedHashMap<>(original.map());
    map.put(TraceparentReader.HEADER, List.of(traceparent));
    return HttpHeaders.of(map, ALL);
  }

  /**
   * Keeps every header: the client validates them itself. A class, not a lambda, so that no call
   * site is bootstrapped on a host thread.
   */
  private static final class All implements BiPredicate<String, String> {
    @Override
    public boolean test(String name, String value) {
      return true;
    }
  }
}
