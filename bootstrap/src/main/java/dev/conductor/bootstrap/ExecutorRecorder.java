package dev.conductor.bootstrap;

import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Entry points of the thread pool advice ({@code java.util.concurrent.ThreadPoolExecutor} and its
 * subclasses), woven with no config at all.
 *
 * <p>{@code execute} is a submit; the pool's own {@code beforeExecute} and {@code afterExecute}
 * hooks, which every worker calls around every task, are the start and the end, whatever subclasses
 * do with them: the worker loop's calls of them are woven ({@link Woven#workerTaskStarts}, {@link
 * Woven#workerTaskEnded}), or, for an agent attached to a running JVM, the two methods themselves
 * and their overrides (nested calls count once). The run time is measured on the worker thread
 * itself; queue wait is joined off the host's threads.
 */
public final class ExecutorRecorder {
  private ExecutorRecorder() {}

  public static final int EXECUTE = 0;
  public static final int BEFORE_EXECUTE = 1;
  public static final int AFTER_EXECUTE = 2;

  /**
   * Entry of a hooked pool method: true when no call of the same method is open on this thread,
   * i.e. this is not an override's {@code super} call. Each method has its own count, so a task
   * submitted from inside another pool call (a caller-runs rejection) still counts.
   */
  static boolean enter(CallDepth depth, int method) {
    return depth.executorCalls[method]++ == 0;
  }

  /**
   * Exit of a hooked pool method: true when it is the outermost call's, as {@link #enter} said. A
   * call whose entry was not counted (the hooks were woven while it ran) leaves the count at 0.
   */
  static boolean leave(CallDepth depth, int method) {
    int open = depth.executorCalls[method];
    if (open <= 0) {
      return false;
    }
    depth.executorCalls[method] = open - 1;
    return open == 1;
  }

  /**
   * {@code execute(Runnable)} returned normally: the task was handed over. The time is the call's
   * start, because a worker may run the task before the call returns.
   */
  static void submitted(CallDepth depth, Object pool, Object task, long start) {
    Recorders.publishPoolEvent(depth, Event.EXECUTOR_SUBMIT, start, 0, 0, pool, task, null);
  }

  /**
   * {@code beforeExecute(Thread, Runnable)} returned: the task starts now on this thread.
   *
   * <p>A worker with a ring leaves the start in it rather than publishing an event: each event
   * costs the worker cache lines that the exporter wrote last (see {@link
   * ThreadEvents#runStarted}). A scheduled pool's start is still an event, which carries how late
   * it is, and so is the start of a task run inside another pool task (a thread pool's task that
   * helps a fork/join pool), which the ring's one run cannot hold.
   */
  static void starting(CallDepth depth, Object pool, Thread worker, Object task) {
    long now = System.nanoTime();
    boolean outermost = depth.executorRunsOpen++ == 0;
    if (outermost) {
      depth.executorTaskStart = now;
    } else {
      depth.nestedTaskStart = now;
    }
    ThreadEvents ring =
        outermost && !(pool instanceof ScheduledThreadPoolExecutor)
            ? depth.events(Recorders.buffer)
            : null;
    if (ring != null) {
      depth.executorRun = ring.runStarted(pool, task, now);
    } else {
      publishStart(depth, pool, worker, task, now);
    }
    // The context the task carries from its submitter becomes current while it runs.
    int context = Tracing.restoreForRun(depth, task);
    if (outermost) {
      depth.poolTaskContext = context;
    } else {
      depth.nestedTaskContext = context;
    }
  }

  private static void publishStart(
      CallDepth depth, Object pool, Thread worker, Object task, long now) {
    Event event = Recorders.claim(depth, Event.EXECUTOR_START, 0, now);
    if (event != null) {
      fill(event, pool, task, lateness(pool, task), null, null);
      if (worker != null && Recorders.ringOf(depth, event) == null) {
        // A pool first seen at a start is named after its worker. From the worker's own ring the
        // exporter reads that name itself (Event.threadName), which saves the host this store of
        // a reference, on every task.
        event.executorName = worker.getName();
      }
      Recorders.publish(depth, event);
    }
  }

  /**
   * A scheduled pool's task starts at its scheduled time, not when it was handed over, so its wait
   * is how late it starts: the {@link Event#durationNanos} of its {@link Event#EXECUTOR_START}.
   * Zero for any other pool.
   */
  private static long lateness(Object pool, Object task) {
    if (pool instanceof ScheduledThreadPoolExecutor && task instanceof Delayed scheduled) {
      return Math.max(0, -scheduled.getDelay(TimeUnit.NANOSECONDS));
    }
    return 0;
  }

  /** {@code afterExecute(Runnable, Throwable)} was entered: the task has ended. */
  static void finished(CallDepth depth, Object pool, Object task, Throwable failure) {
    long end = System.nanoTime();
    long start;
    long run = 0;
    int context;
    if (depth.executorRunsOpen > 1) {
      depth.executorRunsOpen--;
      start = depth.nestedTaskStart;
      depth.nestedTaskStart = 0;
      context = depth.nestedTaskContext;
      depth.nestedTaskContext = -1;
    } else {
      // The outermost run ends (or a run that started before the hooks were woven: no start).
      depth.executorRunsOpen = 0;
      start = depth.executorTaskStart;
      depth.executorTaskStart = 0;
      run = depth.executorRun;
      depth.executorRun = 0;
      context = depth.poolTaskContext;
      depth.poolTaskContext = -1;
    }
    long duration = start == 0 ? 0 : end - start;
    if (run != 0) {
      // Among the ring's pool events, which keep one thread's submits and ends in order.
      Recorders.publishPoolEvent(
          depth, Event.EXECUTOR_DONE, start, duration, run, pool, task, failure);
      ThreadEvents ring = depth.ring();
      if (ring != null) {
        ring.runEnded();
      }
    } else {
      // After the start's event, in the same ring.
      publish(depth, Event.EXECUTOR_DONE, pool, task, start, duration, null, failure);
    }
    // Its restored context, and anything left above it, goes.
    Tracing.restoredEnd(depth, context);
  }

  /** {@code reject(Runnable)} was entered. */
  public static void rejected(Object pool, Object task) {
    Recorders.publishPoolEvent(
        CallDepth.current(), Event.EXECUTOR_REJECTED, System.nanoTime(), 0, 0, pool, task, null);
  }

  /**
   * {@link Event#executorName} of a pool that is not reported: the agent's own, and the JVM's
   * virtual-thread scheduler.
   */
  public static final String AGENT_OWNED = "";

  /**
   * Exit of a pool constructor: names the pool after the first class outside the JDK on the stack,
   * or marks it as the agent's own. Walking the stack allocates, which is acceptable once per pool,
   * never per task.
   */
  public static void created(Object pool) {
    String name = StackWalker.getInstance().walk(FIRST_CREATOR);
    if (name != null) {
      // A lifecycle event: the shared pool, no ring (see Recorders.claim).
      publish(null, Event.EXECUTOR_CREATED, pool, null, System.nanoTime(), 0, name, null);
    }
  }

  /**
   * The first frame that names the pool's creator. A class, not a lambda and a stream pipeline:
   * those would be spun on the host thread that creates the first pool.
   */
  private static final java.util.function.Function<
          java.util.stream.Stream<StackWalker.StackFrame>, String>
      FIRST_CREATOR =
          new java.util.function.Function<
              java.util.stream.Stream<StackWalker.StackFrame>, String>() {
            @Override
            public String apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
              java.util.Iterator<StackWalker.StackFrame> walked = frames.iterator();
              while (walked.hasNext()) {
                String creator = creatorName(walked.next());
                if (creator != null) {
                  return creator;
                }
              }
              return null;
            }
          };

  /** {@link Event#executorName} of the JVM's common fork/join pool. */
  public static final String COMMON_POOL = "ForkJoinPool$commonPool";

  /**
   * What a frame of a pool constructor's stack says about the pool: its creator's class name, the
   * common pool, the JVM's or the agent's own pool ({@link #AGENT_OWNED}), or nothing (a frame of
   * the JDK or of the recorders, to walk past).
   */
  private static String creatorName(StackWalker.StackFrame frame) {
    String className = frame.getClassName();
    if (className.equals("java.util.concurrent.ForkJoinPool")
        && frame.getMethodName().equals("<clinit>")) {
      return COMMON_POOL;
    }
    if (className.equals("java.lang.VirtualThread")) {
      return AGENT_OWNED; // the virtual-thread scheduler: its tasks are virtual threads' steps
    }
    if (isPlatform(className) || className.startsWith(RECORDERS)) {
      return null;
    }
    return className.startsWith("dev.conductor.") ? AGENT_OWNED : className;
  }

  /** This package: the recorder's own frames are on the stack it walks. */
  private static final String RECORDERS = "dev.conductor.bootstrap.";

  private static boolean isPlatform(String className) {
    return className.startsWith("java.")
        || className.startsWith("javax.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")
        || className.startsWith("com.sun.");
  }

  private static void publish(
      CallDepth depth,
      int kind,
      Object pool,
      Object task,
      long startNanos,
      long durationNanos,
      String name,
      Throwable thrown) {
    Event event = Recorders.claim(depth, kind, 0, startNanos);
    if (event != null) {
      fill(event, pool, task, durationNanos, name, thrown);
      Recorders.publish(depth, event);
    }
  }

  private static void fill(
      Event event, Object pool, Object task, long durationNanos, String name, Throwable thrown) {
    event.executor = pool;
    event.task = task;
    event.durationNanos = durationNanos;
    event.executorName = name;
    event.thrown = thrown;
  }
}
