package dev.conductor.bootstrap;

/**
 * One thread's pool events (see {@link ThreadEvents#publishPoolEvent}): the submits, ends and
 * rejections of pool tasks, held field by field in arrays rather than as {@link Event}s.
 *
 * <p>Why: an {@link Event} spans three cache lines, which the exporter on another core reads and
 * clears once drained, so filling one costs the thread up to three lines taken back from that core,
 * and a pool hook is soon followed by the pool's own lock, which waits for them. Here an event
 * takes a few bytes of each array: consecutive events share their lines, and each line comes back
 * once per eight events or more.
 */
final class PoolEventSlots {
  /** Events held; a power of two. */
  static final int SIZE = 256;

  private final byte[] kinds = new byte[SIZE];
  private final long[] starts = new long[SIZE];
  private final long[] durations = new long[SIZE];
  private final long[] runs = new long[SIZE];
  private final Object[] pools = new Object[SIZE];
  private final Object[] tasks = new Object[SIZE];
  private final Throwable[] failures = new Throwable[SIZE];

  /** Owner thread only, on a slot the exporter is done with. */
  void write(
      int slot,
      int kind,
      long start,
      long duration,
      long run,
      Object pool,
      Object task,
      Throwable failure) {
    kinds[slot] = (byte) kind;
    starts[slot] = start;
    durations[slot] = duration;
    runs[slot] = run;
    pools[slot] = pool;
    tasks[slot] = task;
    failures[slot] = failure;
  }

  /**
   * Copies a published slot into {@code event} and drops the slot's references, so that no task is
   * kept alive by it. Exporter thread only.
   */
  void moveTo(int slot, Event event) {
    event.setPoolEvent(
        kinds[slot],
        starts[slot],
        durations[slot],
        runs[slot],
        pools[slot],
        tasks[slot],
        failures[slot]);
    pools[slot] = null;
    tasks[slot] = null;
    failures[slot] = null;
  }
}
