package dev.conductor.exporter.http;

/** Told of every request the agent's own server answered; must not block. */
@FunctionalInterface
public interface RequestObserver {
  RequestObserver NONE = (method, endpoint, status, nanos) -> {};

  /**
   * @param endpoint the route that answered, or {@code unmatched}: never the raw path
   */
  void observe(String method, String endpoint, String status, long nanos);
}
