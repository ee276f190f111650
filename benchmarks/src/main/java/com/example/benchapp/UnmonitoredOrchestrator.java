package com.example.benchapp;

/**
 * The same submit as {@link Orchestrator}, but no config names it (and it is no subtype of {@link
 * Orchestrator}), so the agent never instruments it: the control of the paired enqueue measurement.
 */
public class UnmonitoredOrchestrator {
  private int submitted;

  public void submit(Task task) {
    if (task != null) {
      submitted++;
    }
  }

  public int submitted() {
    return submitted;
  }
}
