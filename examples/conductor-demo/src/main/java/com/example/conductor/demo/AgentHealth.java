package com.example.conductor.demo;

/**
 * Latest health-check result of one agent, plus running totals.
 *
 * <p>Consecutive failures are counted the way a monitor would: a check that returns false or throws
 * adds one, a check that returns true resets the count to 0.
 */
public final class AgentHealth {

  private boolean healthy = true;
  private long checks;
  private long failures;
  private long consecutiveFailures;
  private String lastError;

  /**
   * Records one check: {@code ok} is what it returned (false if it threw), {@code error} the
   * exception it threw, or null.
   */
  synchronized void record(boolean ok, String error) {
    healthy = ok;
    checks++;
    if (ok) {
      consecutiveFailures = 0;
    } else {
      failures++;
      consecutiveFailures++;
    }
    if (error != null) {
      lastError = error;
    }
  }

  synchronized long consecutiveFailures() {
    return consecutiveFailures;
  }

  synchronized View view() {
    return new View(healthy, checks, failures, consecutiveFailures, lastError);
  }

  /**
   * Snapshot for reporting; {@code failures} counts every failed check, {@code consecutiveFailures}
   * those since the last successful one; {@code lastError} is the latest exception a check threw,
   * or null.
   */
  public record View(
      boolean healthy, long checks, long failures, long consecutiveFailures, String lastError) {}
}
