package dev.conductor.bootstrap;

/**
 * Entry points of the HTTP server advice: the host's request dispatch (JDK HTTP server filter
 * chain, servlet {@code service}). Only the outermost dispatch on a thread is recorded, so a filter
 * chain or {@code service} overloads calling each other count one request.
 */
public final class ApiRecorder {
  private ApiRecorder() {}

  /**
   * @param request the dispatch method's first argument, whose W3C {@code traceparent} header (if
   *     any) is read for the outermost dispatch only
   */
  public static long enter(Object request) {
    CallDepth depth = CallDepth.current();
    if (depth.requests++ > 0) {
      return TaskRecorder.NESTED;
    }
    long start = System.nanoTime();
    if (Tracing.enabled()) {
      depth.requestContext = Tracing.restoreRemote(depth, Recorders.traceparent(request));
      Tracing.openSpan(depth, null);
    }
    return start;
  }

  public static void exit(int point, long start, Object arg0, Object arg1, Throwable thrown) {
    CallDepth depth = CallDepth.current();
    try {
      if (start != TaskRecorder.NESTED) {
        long end = System.nanoTime();
        Event event = Recorders.claim(depth, Event.API_REQUEST, point, start);
        if (Tracing.enabled()) {
          Tracing.closeSpan(depth, event);
          Tracing.restoredEnd(depth, depth.requestContext);
          depth.requestContext = -1;
        }
        if (event != null) {
          event.durationNanos = end - start;
          event.thrown = thrown;
          Recorders.capture(Recorders.apiCaptures, event, null, arg0, arg1, null, null, null);
          Recorders.publish(depth, event);
        }
      }
    } finally {
      depth.requests--;
    }
  }
}
