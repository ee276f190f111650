package dev.conductor.bootstrap;

/**
 * Entry points of the agent lifecycle advice: an agent's start, stop and health check methods.
 *
 * <p>One call counts once: an override that calls {@code super.healthCheck()} is one check, with
 * the override's result, not two (a success from the super call, then the override's failure, would
 * reset the consecutive failures on every check). A lifecycle call of another agent made inside one
 * (a composite agent checking its parts) counts for that agent.
 */
public final class AgentRecorder {
  /** The state of a call inside the same agent's same call: not recorded. */
  private static final Object NESTED = new Object();

  /** The state of a call inside another agent's call of the same kind: recorded on its own. */
  private static final Object INNER_AGENT = new Object();

  private AgentRecorder() {}

  /**
   * Marks the call open for {@code self}.
   *
   * @return the state to pass back to {@link #exit}
   */
  public static Object enter(int kind, Object self) {
    int slot = kind - Event.AGENT_STARTED;
    if (self == null || slot < 0 || slot > Event.HEALTH_CHECK - Event.AGENT_STARTED) {
      return INNER_AGENT; // a static method: nothing to nest by
    }
    CallDepth depth = CallDepth.current();
    Object[] open = depth.openLifecycle;
    if (open == null) {
      open = new Object[Event.HEALTH_CHECK - Event.AGENT_STARTED + 1];
      depth.openLifecycle = open;
    }
    if (open[slot] == self) {
      return NESTED;
    }
    if (open[slot] != null) {
      return INNER_AGENT;
    }
    open[slot] = self;
    return depth;
  }

  /**
   * Records the call unless it was nested in the same agent's.
   *
   * @param kind {@link Event#AGENT_STARTED}, {@link Event#AGENT_STOPPED} or {@link
   *     Event#HEALTH_CHECK}
   * @param state what {@link #enter} returned; null (it failed) records the call
   */
  public static void exit(
      int point, int kind, Object state, Object self, Object returned, Throwable thrown) {
    if (state == NESTED) {
      return;
    }
    if (state instanceof CallDepth depth) {
      depth.openLifecycle[kind - Event.AGENT_STARTED] = null;
    }
    if (kind == Event.AGENT_STARTED && thrown != null) {
      return; // a start that failed did not start the agent
    }
    Event event = Recorders.claim(kind, point, System.nanoTime());
    if (event == null) {
      return;
    }
    event.thrown = thrown;
    event.healthy = thrown == null && !Boolean.FALSE.equals(returned);
    Recorders.capture(Recorders.agentCaptures, event, self, null, null, null, null, null);
    Recorders.publish(null, event);
  }
}
