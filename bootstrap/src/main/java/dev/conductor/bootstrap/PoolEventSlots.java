package dev.conductor.bootstrap;

/**
 * One thread's pool events (see {@link ThreadEvents#publishPoolEvent}): the submits, ends and
 * rejections of pool tasks, held in two arrays rather than as {@link Event}s: an event's three
 * numbers side by side in one, its pool and task side by side in the other.
 *
 * <p>Why: an {@link Event} spans three cache lines, which the exporter on another core reads and
 * clears once drained, so filling one costs the thread up to three lines taken back from that core,
 * and a pool hook is soon followed by the pool's own lock, which waits for them. Here an event
 * takes 32 bytes of two arrays: consecutive events share their lines, each line comes back once per
 * two or eight events, and a drain that stops inside an event's lines hands back two lines, not one
 * per field. A failed task's end, which would need a third array for its throwable, goes through
 * the shared pool instead (see {@link Recorders#publishPoolEvent}): tasks that throw out of a
 * worker are few, and every slot would otherwise pay for a field it almost never holds.
 */
final class PoolEventSlots {
  /** Events held at first; a power of two. */
  static final int SIZE = 256;

  /**
   * Events held once grown, as a ring's events grow (see {@link ThreadEvents#GROWN_SIZE}): a pool
   * worker running short tasks fills {@link #SIZE} within a millisecond or two, about as late as
   * this VM's scheduler sometimes wakes the exporter, and its further events then cost it a claim
   * from the shared pool each. 64 KB.
   */
  static final int GROWN_SIZE = 2048;

  /** Per event in {@link #numbers}: its start, its duration, and its run with its kind. */
  private static final int NUMBERS = 3;

  /** Per event in {@link #references}: its pool and its task. */
  private static final int REFERENCES = 2;

  /** Bits of the third number that hold the kind, below the run's number. */
  private static final int KIND_BITS = 2;

  /** The kinds a slot holds, by their code in the low {@link #KIND_BITS} bits. */
  private static final int[] KINDS = {
    Event.EXECUTOR_SUBMIT, Event.EXECUTOR_DONE, Event.EXECUTOR_REJECTED
  };

  private final long[] numbers;
  private final Object[] references;

  /**
   * @param size events held, a power of two
   */
  PoolEventSlots(int size) {
    numbers = new long[size * NUMBERS];
    references = new Object[size * REFERENCES];
  }

  /** Events held. */
  int size() {
    return references.length / REFERENCES;
  }

  /** Owner thread only, on a slot the exporter is done with. */
  void write(int slot, int kind, long start, long duration, long run, Object pool, Object task) {
    int at = slot * NUMBERS;
    numbers[at] = start;
    numbers[at + 1] = duration;
    numbers[at + 2] = run << KIND_BITS | code(kind);
    int refs = slot * REFERENCES;
    references[refs] = pool;
    references[refs + 1] = task;
  }

  private static int code(int kind) {
    return kind == Event.EXECUTOR_SUBMIT ? 0 : kind == Event.EXECUTOR_DONE ? 1 : 2;
  }

  /**
   * Copies a published slot into {@code event} and drops the slot's references, so that no task is
   * kept alive by it. Exporter thread only.
   */
  void moveTo(int slot, Event event) {
    int at = slot * NUMBERS;
    long runAndKind = numbers[at + 2];
    int refs = slot * REFERENCES;
    event.setPoolEvent(
        KINDS[(int) runAndKind & ((1 << KIND_BITS) - 1)],
        numbers[at],
        numbers[at + 1],
        runAndKind >>> KIND_BITS,
        references[refs],
        references[refs + 1],
        null);
    references[refs] = null;
    references[refs + 1] = null;
  }
}
