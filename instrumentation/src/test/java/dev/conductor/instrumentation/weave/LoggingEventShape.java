package dev.conductor.instrumentation.weave;

import java.util.HashMap;
import java.util.Map;

/**
 * The shape of Logback's MDC hand-over to a log event: the adapter's {@code getPropertyMap()}
 * returns the thread's MDC map, {@code getCopyOfContextMap()} copies it, and the event takes it
 * once, in {@code getMDCPropertyMap()}, and keeps it.
 */
public class LoggingEventShape {
  private final Map<String, String> mdc;
  private Map<String, String> eventMap;

  /**
   * @param mdc the host's MDC, null for an empty one
   */
  public LoggingEventShape(Map<String, String> mdc) {
    this.mdc = mdc;
  }

  public Map<String, String> getPropertyMap() {
    return mdc;
  }

  public Map<String, String> getCopyOfContextMap() {
    Map<String, String> map = getPropertyMap();
    return map == null ? null : new HashMap<>(map);
  }

  public Map<String, String> getMDCPropertyMap() {
    if (eventMap == null) {
      eventMap = getPropertyMap();
    }
    return eventMap;
  }
}
