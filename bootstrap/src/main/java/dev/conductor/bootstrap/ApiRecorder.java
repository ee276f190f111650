package dev.conductor.bootstrap;

/**
 * Entry points of the HTTP server advice: the host's request dispatch (JDK HTTP server filter
 * chain, servlet {@code service}). Only the outermost dispatch on a thread is recorded, so a filter
 * chain or {@code service} overloads calling each other count one request.
 */
public final class ApiRecorder {
  private ApiRecorder() {}

  public static long enter() {
    CallDepth depth = CallDepth.current();
    if (depth.requests++ > 0) {
      return TaskRecorder.NESTED;
    }
    return System.nanoTime();
  }

  public static void exit(int point, long start, Object arg0, Object arg1, Throwable thrown) {
    CallDepth depth = CallDepth.current();
    try {
      if (start != TaskRecorder.NESTED) {
        long end = System.nanoTime();
        Event event = Recorders.claim(Event.API_REQUEST, point, start);
        if (event != null) {
          event.durationNanos = end - start;
          event.thrown = thrown;
          Recorders.capture(Recorders.apiCaptures, event, null, arg0, arg1, null, null, null);
          Recorders.publish(event);
        }
      }
    } finally {
      depth.requests--;
    }
  }
}
