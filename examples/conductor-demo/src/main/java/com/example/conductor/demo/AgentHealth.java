package com.example.conductor.demo;

/** Latest health-check result of one agent, plus running totals. */
public final class AgentHealth {

  private boolean healthy = true;
  private long checks;
  private long failures;
  private String lastError;

  synchronized void record(boolean ok, String error) {
    healthy = ok;
    checks++;
    if (!ok) {
      failures++;
    }
    if (error != null) {
      lastError = error;
    }
  }

  synchronized View view() {
    return new View(healthy, checks, failures, lastError);
  }

  /** Snapshot for reporting; {@code lastError} is the latest exception a check threw, or null. */
  public record View(boolean healthy, long checks, long failures, String lastError) {}
}
