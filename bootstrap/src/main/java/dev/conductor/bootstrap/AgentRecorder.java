package dev.conductor.bootstrap;

/**
 * Entry point of the agent lifecycle advice: an agent's start, stop and health check methods.
 * Called at the end of each call; these are rare, so no nesting guard is needed beyond what the
 * exporter tolerates (a second "started" for a started agent changes nothing).
 */
public final class AgentRecorder {
  private AgentRecorder() {}

  /**
   * @param kind {@link Event#AGENT_STARTED}, {@link Event#AGENT_STOPPED} or {@link
   *     Event#HEALTH_CHECK}
   */
  public static void exit(int point, int kind, Object self, Object returned, Throwable thrown) {
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
