package dev.conductor.bootstrap;

/**
 * Trace contexts handed from the thread that passes a task on (an enqueue, a pool submit) to the
 * thread that runs it, keyed by the task object's identity.
 *
 * <p>Two fixed tables with no allocation ({@link HandoffTable}): a small one that every put goes to
 * first, and a large one for the contexts it displaces, those of tasks that wait long (a backlog),
 * and for a put whose slots are all being written. A take looks in the small one first, and in the
 * large one only once anything was put there. Why: a put or take touches the cache lines of a slot
 * chosen by the task's identity hash, anywhere in the table; in one large table (16,384 slots by
 * default, 640 KB) those lines are seldom in cache, and a traced enqueue of a new task object cost
 * about 200 ns more than with a 64-slot table, 120–160 ns more than with a 1,024-slot one (in-JVM
 * A/B). Tasks that start soon after they are handed over, the usual case, now keep to the small
 * table, which stays in cache: the same A/B against the single large table, 15 iterations, a traced
 * enqueue of a new task took 128 to 245 ns less (median 143).
 *
 * <p>A task that never runs leaves its entry until a later one needs the slot: the tables never
 * grow, and overwrites in the large one are counted. Other agents keep these contexts in weak maps
 * or in fields added to the task classes; a weak map allocates per task, and classes loaded before
 * the agent (the JDK's own pools) cannot get new fields. Task classes that a point names and that
 * load after the agent do get them here ({@link ContextCarrier}): these tables are for the other
 * task objects and for the pools' runnables.
 */
final class ContextHandoff {
  /** Slots of the small table, at most. */
  static final int RECENT_SLOTS = 1024;

  private final HandoffTable recent;
  private final HandoffTable waiting;

  /**
   * @param slots slots of the large table; the small one has {@link #RECENT_SLOTS} at most
   */
  ContextHandoff(int slots) {
    this.recent = new HandoffTable(Math.min(slots, RECENT_SLOTS));
    this.waiting = new HandoffTable(slots);
  }

  /**
   * Leaves a context for {@code key}'s runner. Never blocks; may overwrite an older entry.
   *
   * @param scratch the calling thread's own, for a context this moves from one table to the other
   */
  void put(
      Object key, long traceHigh, long traceLow, long parentSpan, long enqueuedAt, Taken scratch) {
    if (!recent.putDisplacing(key, traceHigh, traceLow, parentSpan, enqueuedAt, waiting, scratch)) {
      waiting.put(key, traceHigh, traceLow, parentSpan, enqueuedAt);
    }
  }

  /**
   * Takes the context left for {@code key} into {@code into}'s scratch fields; false when there is
   * none.
   */
  boolean take(Object key, Taken into) {
    return recent.take(key, into) || waiting.take(key, into);
  }

  /** Removes what was left for {@code key}, if anything: the hand-over did not happen. */
  void remove(Object key) {
    recent.remove(key);
    waiting.remove(key);
  }

  /** Entries of tasks that never ran, overwritten by newer ones, since start. */
  long overwritten() {
    return recent.overwritten() + waiting.overwritten();
  }

  /** Contexts the two tables hold at most. */
  int capacity() {
    return recent.slots() + waiting.slots();
  }

  /** What {@link #take} found; one per thread, in its {@link CallDepth}. */
  static final class Taken {
    long traceHigh;
    long traceLow;
    long parentSpan;
    long enqueuedAt;
  }
}
