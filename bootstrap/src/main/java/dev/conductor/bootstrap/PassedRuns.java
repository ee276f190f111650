package dev.conductor.bootstrap;

/**
 * Which runs of one kind left in a ring instead of published as start events (a pool task's run, a
 * task call) the exporter has passed on a start for: each run's start is passed on exactly once,
 * while it runs or else just before its end. Exporter thread only.
 *
 * <p>A run is passed on while it runs when a drain finds it open after taking the ring's events
 * ({@link #isNew}, {@link #passed}); otherwise its end brings its start ({@link #ends}). The runs
 * passed on whose ends are not drained yet are at most two: the last one, and the one before if its
 * end was published after the drain before began. Any run before those had ended before the last
 * one started, so its end was drained before the last one was passed on.
 */
final class PassedRuns {
  /** The last run whose start the exporter passed on while it ran, or 0. */
  private long passedRun;

  /** The run passed on before {@link #passedRun}, whose end may not be drained yet either. */
  private long passedBefore;

  /** The last run whose end the exporter passed on, or 0. */
  private long endedRun;

  /** Whether {@code run}, found open, is neither passed on already nor ended. */
  boolean isNew(long run) {
    return run > passedRun && run > endedRun;
  }

  /** The start of {@code run} was passed on while it ran. */
  void passed(long run) {
    passedBefore = passedRun;
    passedRun = run;
  }

  /**
   * The end of {@code run} is passed on now: true when its start was not passed on while it ran,
   * and so must be just before.
   */
  boolean ends(long run) {
    boolean startPassed = run == passedRun || run == passedBefore;
    endedRun = Math.max(endedRun, run);
    return !startPassed;
  }
}
