package dev.conductor.bootstrap;

import jdk.internal.vm.annotation.ForceInline;

/**
 * One host thread's own events: a ring that only this thread fills and only the exporter drains.
 *
 * <p>Why: with one pool shared by every thread, each recorded call claims an event that some other
 * thread or the exporter touched last, from a 2 MB pool reused oldest first, and pays two CAS on
 * queue indices that other cores write too. A ring of {@link #SIZE} events per thread stays in that
 * thread's cache, and publishing is one release store. The events are made on first use of each
 * slot, so a thread that records little holds little; the rings are bounded in number by {@link
 * EventBuffer}, which drops a ring once its thread has ended and it is drained.
 *
 * <p>Producer side (the owner thread): {@link #claim} then {@link #publish}. A claim while another
 * of this thread's claims is not yet published (a label getter that is itself instrumented) returns
 * null, and the caller takes an event from the shared pool instead; so does a claim on a full ring.
 * A ring that fills grows once, if its buffer allows ({@link #GROWN_SIZE}).
 *
 * <p>The owner's fields and the exporter's are on cache lines of their own ({@link
 * RingOwnerFields}).
 */
final class ThreadEvents extends RingOwnerFields {
  /** Events a ring holds at first. */
  static final int SIZE = 256;

  /**
   * Events a ring holds once it has grown. A ring grows when its thread fills it before the
   * exporter comes back: a thread that records a task every few microseconds fills {@link #SIZE} in
   * about a millisecond, and this VM's scheduler sometimes wakes the exporter that much late. At
   * most {@link EventBuffer#MAX_GROWN_RINGS} rings grow.
   */
  static final int GROWN_SIZE = 4096;

  /** Unused: keeps the owner's fields off the lines of whatever object follows this one. */
  long pad20, pad21, pad22, pad23, pad24, pad25, pad26, pad27;

  ThreadEvents(Thread owner, EventBuffer buffer) {
    super(owner, buffer, SIZE);
  }

  /**
   * An event to fill, or null when the ring is full, growing or has a claim open. Owner thread
   * only.
   *
   * <p>A ring found full asks its buffer for leave to grow. If it gets it, its claims go to the
   * shared pool until the exporter has drained every event it holds; the next claim then swaps in
   * the larger array, which the exporter, having nothing left to read in the old one, reads only
   * for events published after the swap.
   */
  Event claim() {
    if (open != null) {
      return null;
    }
    long index = next;
    Event[] events = slots;
    if (growing) {
      if (index != consumed) {
        fullClaims++;
        return null;
      }
      events = grow(events);
    } else if (index - consumedSeen >= events.length) {
      consumedSeen = consumed;
      if (index - consumedSeen >= events.length) {
        fullClaims++;
        growing = events.length < GROWN_SIZE && mayGrow();
        return null;
      }
    }
    int slot = (int) index & (events.length - 1);
    Event event = events[slot];
    if (event == null) {
      event = new Event();
      event.ring = this;
      events[slot] = event;
    }
    open = event;
    return event;
  }

  /** Swaps in the larger array, keeping the events made so far. The ring is empty. */
  private Event[] grow(Event[] events) {
    Event[] larger = java.util.Arrays.copyOf(events, GROWN_SIZE);
    slots = larger; // published to the exporter by the release store of the next publish
    consumedSeen = next;
    growing = false;
    return larger;
  }

  /**
   * Whether this ring may grow its events or its pool events: one leave of its buffer covers both,
   * asked for when one of them fills. Owner thread only.
   */
  private boolean mayGrow() {
    if (!holdsLeaveToGrow) {
      holdsLeaveToGrow = buffer.mayGrowRing();
    }
    return holdsLeaveToGrow;
  }

  /** Events this ring holds now. */
  int capacity() {
    return slots.length;
  }

  /** Events and pool events this ring holds now. */
  int capacityWithPoolEvents() {
    PoolEventSlots pool = poolSlots;
    return slots.length + (pool == null ? 0 : pool.size());
  }

  /** Whether {@code event} is this ring's open claim. Owner thread only. */
  boolean isOpenClaim(Event event) {
    return event == open;
  }

  /** Hands the event of the open claim to the exporter. Owner thread only. */
  @ForceInline
  void publish() {
    open = null;
    next++;
    producedUpTo(next);
    takeNextSlot();
  }

  /**
   * Brings the next event's cache lines to this thread's core now, while the host goes on with its
   * own work, rather than when the next event is filled.
   *
   * <p>Why: the exporter read and cleared that event on its own core, so filling it means first
   * taking its lines back, and the host's stores do not always hide that wait. Measured in one JVM,
   * 1,024 calls at a time with and without this: with it, a recorded call took 4 to 113 ns less on
   * average (51 ns over 15 iterations, median 38), and the calls timed right after it took no
   * longer. Only a slot the exporter is done with is written.
   */
  private void takeNextSlot() {
    long index = next;
    Event[] events = slots;
    if (index - consumedSeen < events.length) {
      Event following = events[(int) index & (events.length - 1)];
      if (following != null) {
        following.touch();
      }
    }
  }

  /**
   * Publishes a pool event: an {@link Event#EXECUTOR_SUBMIT}, an {@link Event#EXECUTOR_REJECTED},
   * or the {@link Event#EXECUTOR_DONE} of a run started with {@link #runStarted} that threw nothing
   * out; false when the ring's {@link PoolEventSlots} are full, and the caller publishes through
   * the shared pool instead. Owner thread only.
   *
   * <p>They are not {@link Event}s: see {@link PoolEventSlots}. The exporter drains them before the
   * ring's events (see {@link EventBuffer#drain}).
   */
  boolean publishPoolEvent(
      int kind, long start, long duration, long run, Object pool, Object task) {
    long index = poolNext;
    PoolEventSlots slots = poolSlots;
    if (slots == null) {
      slots = new PoolEventSlots(PoolEventSlots.SIZE); // published by the release store below
      poolSlots = slots;
    }
    if (poolGrowing) {
      if (index != poolConsumed) {
        fullClaims++;
        return false;
      }
      slots = growPoolSlots(index);
    } else if (index - poolConsumedSeen >= slots.size()) {
      poolConsumedSeen = poolConsumed;
      if (index - poolConsumedSeen >= slots.size()) {
        fullClaims++;
        poolGrowing = slots.size() < PoolEventSlots.GROWN_SIZE && mayGrow();
        return false;
      }
    }
    slots.write((int) index & (slots.size() - 1), kind, start, duration, run, pool, task);
    poolNext = index + 1;
    poolProducedUpTo(index + 1);
    return true;
  }

  /**
   * Swaps in larger pool-event slots, as {@link #grow} does for events: the exporter has drained
   * every pool event, and reads the new slots only for those published after the swap.
   */
  private PoolEventSlots growPoolSlots(long index) {
    PoolEventSlots larger = new PoolEventSlots(PoolEventSlots.GROWN_SIZE);
    poolSlots = larger; // published to the exporter by the release store of the caller
    poolConsumedSeen = index;
    poolGrowing = false;
    return larger;
  }

  /** Pool events published so far; the exporter's snapshot of what to drain. */
  long poolPublished() {
    return poolProduced;
  }

  /**
   * Pool events made so far: the index the next will have. Owner thread only, for one that goes to
   * the shared pool instead ({@link Event#overflowAt}).
   */
  long poolEventsMade() {
    return poolNext;
  }

  /**
   * Passes the pool events published before {@code upTo} to {@code sink}, one at a time in {@code
   * into}, with the start of each run that ends there first ({@link #passStartBefore}). Exporter
   * thread only.
   */
  int drainPool(long upTo, Event into, java.util.function.Consumer<Event> sink) {
    long index = poolConsumed;
    if (index >= upTo) {
      return 0;
    }
    PoolEventSlots slots = poolSlots; // read after the caller read poolProduced: made by then
    int drained = 0;
    try {
      while (index < upTo) {
        slots.moveTo((int) index & (slots.size() - 1), into);
        index++; // consumed even if the sink throws: a bad event is not retried forever
        drained++;
        into.ring = this; // the thread that published it: see Event.threadName
        try {
          passStartBefore(into, sink);
          sink.accept(into);
        } finally {
          into.clear();
        }
      }
    } finally {
      poolConsumedUpTo(index);
    }
    return drained;
  }

  /**
   * The owner thread starts running {@code task} of {@code pool} (null for a fork/join task run
   * outside its pool) at {@code start}. Owner thread only.
   *
   * <p>Why not an {@link Event#EXECUTOR_START}: a pool task then costs its worker one event, its
   * {@link Event#EXECUTOR_DONE}, instead of two. The exporter still learns of the start while the
   * task runs, for the pool's active threads and queue length: it reads these fields after each
   * drain ({@link #passRunningTask}); a task that ended before it looked has its start passed on
   * from its end ({@link #passStartOf}). The fields are a sequence lock: odd while they are being
   * written, even once they are whole.
   *
   * @return the run's number, for its {@link Event#EXECUTOR_DONE}; never 0
   */
  long runStarted(Object pool, Object task, long start) {
    long run = runs + 2;
    runsAt(run - 1);
    // The fields' stores stay after the odd number: a reader that sees them sees it changed.
    java.lang.invoke.VarHandle.storeStoreFence();
    runPool = pool;
    runTask = task;
    runStart = start;
    runsAt(run);
    return run;
  }

  /**
   * The run started last has ended and its {@link Event#EXECUTOR_DONE} is published. Owner thread
   * only.
   */
  void runEnded() {
    runTask = null; // a single store, which a reader takes for "ended" whatever it reads with it
  }

  /**
   * Passes on, as an {@link Event#EXECUTOR_START} in {@code scratch}, the start of the pool task
   * running on the owner thread, once per run. Exporter thread only, after draining the ring: a run
   * whose end it has drained is not passed on again.
   */
  void passRunningTask(Event scratch, java.util.function.Consumer<Event> sink) {
    long run = runs;
    if ((run & 1) != 0 || !poolRunsPassed.isNew(run)) {
      return; // being written (looked at again next drain), or passed on already
    }
    Object pool = runPool;
    Object task = runTask;
    long start = runStart;
    java.lang.invoke.VarHandle.loadLoadFence();
    if (task == null || runs != run) {
      return; // ended, or written over while read
    }
    poolRunsPassed.passed(run);
    passStart(scratch, pool, task, start, sink);
  }

  /**
   * Before {@code end}: when its start was left in this ring rather than published ({@link
   * Event#run} set: a pool task's run, a task call), passes that start on, unless a drain did while
   * it ran. Exporter thread only.
   */
  void passStartBefore(Event end, java.util.function.Consumer<Event> sink) {
    if (end.run == 0) {
      return;
    }
    if (end.kind == Event.TASK_END) {
      passCallStartOf(end, buffer.runStartScratch, sink);
    } else {
      passStartOf(end, buffer.runStartScratch, sink);
    }
  }

  /**
   * Before {@code done}, the end of a run started with {@link #runStarted}: passes on its start
   * too, unless {@link #passRunningTask} did while it ran. Exporter thread only.
   */
  private void passStartOf(Event done, Event scratch, java.util.function.Consumer<Event> sink) {
    if (poolRunsPassed.ends(done.run)) {
      passStart(scratch, done.executor, done.task, done.startNanos, sink);
    }
  }

  private void passStart(
      Event scratch,
      Object pool,
      Object task,
      long start,
      java.util.function.Consumer<Event> sink) {
    scratch.kind = Event.EXECUTOR_START;
    scratch.executor = pool;
    scratch.task = task;
    scratch.startNanos = start;
    pass(scratch, sink);
  }

  /**
   * The owner thread starts a task call of {@code point}, a point whose starts are tracked, at
   * {@code start}: leaves its {@link Event#TASK_START}, with the labels {@code captures} read now,
   * in the ring. Owner thread only; the outermost task call only.
   *
   * <p>Why not an event: the ring's events are read and cleared by the exporter on its core, so
   * filling one means first taking its cache lines back; this one start is read only by a drain
   * that finds the call still open ({@link #passOpenCall}), and a call that ended before passes its
   * start on from its end ({@link #passCallStartOf}). With the demo's points, a recorded call added
   * 197 ns instead of 229 (medians of 16 alternating iterations), and its slowest tenth 305 ns
   * instead of 425: a claimed event's lines are sometimes still on the exporter's core
   * (PERFORMANCE.md, sixteenth session). {@link #calls} is a sequence lock over the start: odd
   * while the owner writes it or when no call is open, even while a call is open and its start
   * whole.
   *
   * @return the call's number, for its {@link Event#TASK_END}'s {@link Event#run}; never 0
   */
  @ForceInline
  long callStarted(
      int point,
      long start,
      LabelCapture[] captures,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3) {
    Event event = callStart;
    if (event == null) {
      event = new Event(); // published to the exporter by the release store of the call's number
      callStart = event;
    }
    long call = (calls + 2) & ~1L;
    callsAt(call - 1);
    // The start's stores stay after the odd number: a reader that sees them sees it changed.
    java.lang.invoke.VarHandle.storeStoreFence();
    event.setCallStart(point, start);
    Recorders.capture(captures, event, self, arg0, arg1, arg2, arg3, null);
    callsAt(call);
    return call;
  }

  /** The task call {@code call} has ended, its end published or dropped. Owner thread only. */
  void callEnded(long call) {
    if (calls != call) {
      return; // its start was never whole: nothing to take back
    }
    callsAt(call + 1);
    // After the odd number: a reader that finds the task gone finds the call ended.
    java.lang.invoke.VarHandle.storeStoreFence();
    callStart.task = null; // the ring keeps no ended task alive
  }

  /**
   * Passes on, as an {@link Event#TASK_START} in {@code scratch}, the start of the task call open
   * on the owner thread, once per call. Exporter thread only, after draining the ring: a call whose
   * end it has drained is not passed on again.
   */
  void passOpenCall(Event scratch, java.util.function.Consumer<Event> sink) {
    long call = calls;
    if ((call & 1) != 0 || !callsPassed.isNew(call)) {
      return; // being written, none open, or passed on already
    }
    scratch.setTaskStartOf(callStart); // made before the first call's number was set
    java.lang.invoke.VarHandle.loadLoadFence();
    if (calls != call) {
      scratch.clear();
      return; // ended, or written over while read
    }
    callsPassed.passed(call);
    pass(scratch, sink);
  }

  /**
   * Before {@code end}, the end of a call started with {@link #callStarted}: passes on its start
   * too, from the end's own fields, unless {@link #passOpenCall} did while it ran. Exporter thread
   * only.
   */
  private void passCallStartOf(Event end, Event scratch, java.util.function.Consumer<Event> sink) {
    if (callsPassed.ends(end.run)) {
      scratch.setTaskStartOf(end);
      pass(scratch, sink);
    }
  }

  private void pass(Event scratch, java.util.function.Consumer<Event> sink) {
    scratch.ring = this; // names the thread: see Event.threadName
    try {
      sink.accept(scratch);
    } finally {
      scratch.clear();
    }
  }

  /**
   * Claims made so far: the index the next event of this ring will have. Owner thread only, for an
   * event that goes to the shared pool instead ({@link Event#overflowAt}).
   */
  long claimsMade() {
    return next;
  }

  /** Events published so far; the exporter's snapshot of what to drain. */
  long published() {
    return produced;
  }

  /** Claims refused because the ring was full, since the ring was made; a racy read. */
  long fullClaims() {
    return fullClaims;
  }

  /** Events and pool events published and not yet drained; a racy estimate. */
  int pending() {
    return (int) (Math.max(0, produced - consumed) + Math.max(0, poolProduced - poolConsumed));
  }

  /**
   * Passes the events published before {@code upTo} to {@code sink}, then clears them and gives
   * their slots back. Exporter thread only.
   */
  int drain(long upTo, java.util.function.Consumer<Event> sink) {
    long index = consumed;
    int drained = 0;
    // Read after the caller read how far the ring was published: that sees a grown array.
    Event[] events = slots;
    int mask = events.length - 1;
    try {
      while (index < upTo) {
        Event event = events[(int) index & mask];
        index++; // consumed even if the sink throws: a bad event is not retried forever
        drained++;
        try {
          passStartBefore(event, sink);
          sink.accept(event);
        } finally {
          event.clear();
        }
      }
    } finally {
      consumedUpTo(index);
    }
    return drained;
  }
}
