package dev.conductor.bootstrap;

import jdk.internal.vm.annotation.ForceInline;

/**
 * The only class that woven host code calls. Each method is one hook of one kind of point and hands
 * over to its recorder, and none lets anything escape: the host must never see an exception, an
 * error or a changed result because of the agent. The woven code itself therefore needs no
 * exception handler around these calls, which keeps the weaving simple and verifiable.
 *
 * <p>Hooks whose name ends in {@code Enter} run before the method body and return the state its
 * exit needs (a start time, whether the call is the outermost one, or the thread's recorder state,
 * which saves the exit a thread-local lookup); hooks ending in {@code Exit} run on every return
 * and, unless noted, on every exception, which is passed as {@code thrown}.
 *
 * <p>The task and enqueue hooks, and what they call on the way to a recorded event, are marked
 * {@code @ForceInline} ({@code jdk.internal.vm.annotation}, which HotSpot honours in classes of the
 * boot loader, where the agent defines these): C2 then inlines them into the host's method whatever
 * order it compiled things in. Unmarked, a hook or a label capture that C2 happened to compile on
 * its own first was "already compiled into a big method" and called out of line; with the demo's
 * points a recorded call added 158 ns instead of 174 (JDK 17) and 143 instead of 206 (JDK 25),
 * medians of alternating forks (PERFORMANCE.md, sixteenth session). The pool hooks are not marked:
 * they are woven into the JDK's own pool methods, which every host runs.
 */
public final class Woven {
  private Woven() {}

  @ForceInline
  public static Object taskEnter(
      int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    try {
      return TaskRecorder.enter(point, self, arg0, arg1, arg2, arg3);
    } catch (Throwable e) {
      return null;
    }
  }

  @ForceInline
  public static void taskExit(
      int point,
      Object start,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned,
      Throwable thrown) {
    try {
      TaskRecorder.exit(point, start, self, arg0, arg1, arg2, arg3, returned, thrown);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  @ForceInline
  public static Object enqueueEnter(
      int point, Object self, Object arg0, Object arg1, Object arg2, Object arg3) {
    try {
      return QueueRecorder.enter(point, self, arg0, arg1, arg2, arg3);
    } catch (Throwable e) {
      return null;
    }
  }

  @ForceInline
  public static void enqueueExit(
      int point,
      Object start,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned,
      Throwable thrown) {
    try {
      QueueRecorder.exit(point, start, self, arg0, arg1, arg2, arg3, returned, thrown);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** An agent's start, stop or health check begins; {@code kind} says which. */
  public static Object agentEnter(int kind, Object self) {
    try {
      return AgentRecorder.enter(kind, self);
    } catch (Throwable e) {
      return null;
    }
  }

  /** An agent's start, stop or health check returned or threw. */
  public static void agentExit(
      int point, int kind, Object state, Object self, Object returned, Throwable thrown) {
    try {
      AgentRecorder.exit(point, kind, state, self, returned, thrown);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code sun.nio.ch.Net.bind(family, fd, address, port)}: a socket of the host is about to be
   * bound; the agent gives the port back first if it listens there (see {@link AgentPorts}).
   */
  public static void socketBindEnter(Object address, Object port) {
    try {
      AgentPorts.beforeHostBinds(address, port);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** {@code request} is the dispatch method's first argument, read for its trace context. */
  public static long apiEnter(Object request) {
    try {
      return ApiRecorder.enter(request);
    } catch (Throwable e) {
      return TaskRecorder.NESTED;
    }
  }

  public static void apiExit(int point, long start, Object arg0, Object arg1, Throwable thrown) {
    try {
      ApiRecorder.exit(point, start, arg0, arg1, thrown);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code ThreadPoolExecutor.execute(Runnable)}, and {@code ThreadPerTaskExecutor.newThread} (JDK
   * 21+), which is called once per task with the runnable its thread runs. Returns the thread's
   * recorder state, for the exit (null when it could not be had).
   */
  public static Object executeEnter(Object task) {
    try {
      CallDepth depth = CallDepth.current();
      if (ExecutorRecorder.enter(depth, ExecutorRecorder.EXECUTE)) {
        depth.executeStart = System.nanoTime();
        Tracing.handToPool(depth, task);
      }
      return depth;
    } catch (Throwable e) {
      return null;
    }
  }

  public static void executeExit(Object state, Object pool, Object task, Throwable thrown) {
    if (!(state instanceof CallDepth)) {
      return;
    }
    try {
      CallDepth depth = (CallDepth) state;
      if (ExecutorRecorder.leave(depth, ExecutorRecorder.EXECUTE) && thrown == null) {
        // The call's start: a worker may run the task before the call returns.
        ExecutorRecorder.submitted(depth, pool, task, depth.executeStart);
      }
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code ThreadPoolExecutor.runWorker} was entered: returns the worker's recorder state, which
   * the loop passes to the two hooks below for every task it runs (null when it could not be had).
   */
  public static Object workerLoopEnter() {
    try {
      return CallDepth.current();
    } catch (Throwable e) {
      return null;
    }
  }

  /** The worker loop's {@code beforeExecute(worker, task)} returned: the task starts now. */
  public static void workerTaskStarts(Object state, Object pool, Object worker, Object task) {
    if (!(state instanceof CallDepth)) {
      return;
    }
    try {
      ExecutorRecorder.starting(
          (CallDepth) state, pool, worker instanceof Thread t ? t : null, task);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** The worker loop calls {@code afterExecute(task, failure)}: the task has ended. */
  public static void workerTaskEnded(Object state, Object pool, Object task, Object failure) {
    if (!(state instanceof CallDepth)) {
      return;
    }
    try {
      ExecutorRecorder.finished(
          (CallDepth) state, pool, task, failure instanceof Throwable t ? t : null);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code beforeExecute(Thread, Runnable)}, hooked on the method itself when the agent attached to
   * a running JVM (see {@code Rules.threadPools}): the task starts once it returned.
   */
  public static Object beforeExecuteEnter() {
    try {
      CallDepth depth = CallDepth.current();
      ExecutorRecorder.enter(depth, ExecutorRecorder.BEFORE_EXECUTE);
      return depth;
    } catch (Throwable e) {
      return null;
    }
  }

  public static void beforeExecuteExit(Object state, Object pool, Object worker, Object task) {
    if (!(state instanceof CallDepth)) {
      return;
    }
    try {
      CallDepth depth = (CallDepth) state;
      if (ExecutorRecorder.leave(depth, ExecutorRecorder.BEFORE_EXECUTE)) {
        ExecutorRecorder.starting(depth, pool, worker instanceof Thread t ? t : null, task);
      }
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** {@code afterExecute(Runnable, Throwable)}, hooked on the method itself: the task has ended. */
  public static Object afterExecuteEnter(Object pool, Object task, Object failure) {
    try {
      CallDepth depth = CallDepth.current();
      if (ExecutorRecorder.enter(depth, ExecutorRecorder.AFTER_EXECUTE)) {
        ExecutorRecorder.finished(depth, pool, task, failure instanceof Throwable t ? t : null);
      }
      return depth;
    } catch (Throwable e) {
      return null;
    }
  }

  public static void afterExecuteExit(Object state) {
    if (!(state instanceof CallDepth)) {
      return;
    }
    try {
      ExecutorRecorder.leave((CallDepth) state, ExecutorRecorder.AFTER_EXECUTE);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** {@code reject(Runnable)} was entered. */
  public static void rejected(Object pool, Object task) {
    try {
      ExecutorRecorder.rejected(pool, task);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** A pool constructor returned normally. */
  public static void poolCreated(Object pool) {
    try {
      ExecutorRecorder.created(pool);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * A task handed to a {@code ForkJoinPool} from outside its workers (the pool's one internal
   * submission method, which every {@code execute}, {@code submit}, {@code invoke} and {@code
   * CompletableFuture} async stage goes through). Recorded on entry, before the task is queued, so
   * that its start can never be published before its submit.
   */
  public static boolean forkJoinSubmitEnter(Object pool, Object task) {
    try {
      CallDepth depth = CallDepth.current();
      boolean outermost = ExecutorRecorder.enter(depth, ExecutorRecorder.EXECUTE);
      if (outermost && !isVirtualThreadScheduler(pool)) {
        ExecutorRecorder.submitted(depth, pool, task, System.nanoTime());
        Tracing.handToPool(depth, task);
      }
      return outermost;
    } catch (Throwable e) {
      return false;
    }
  }

  public static void forkJoinSubmitExit(
      boolean outermost, Object pool, Object task, Throwable thrown) {
    try {
      ExecutorRecorder.leave(CallDepth.current(), ExecutorRecorder.EXECUTE);
      if (outermost && thrown instanceof java.util.concurrent.RejectedExecutionException) {
        ExecutorRecorder.rejected(pool, task);
      }
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code ForkJoinTask.doExec()}: a task runs. Recorded for the outermost run only, so that
   * subtasks run while waiting for a join are part of their parent's run. On a pool's worker the
   * pool is known; a thread outside the pool that runs a task (a caller helping while it waits for
   * a result) records it without one, and the exporter finds the pool by the task's submit.
   */
  public static boolean forkJoinTaskEnter(Object task) {
    try {
      CallDepth depth = CallDepth.current();
      boolean outermost = ExecutorRecorder.enter(depth, ExecutorRecorder.BEFORE_EXECUTE);
      if (!outermost) {
        return false;
      }
      Object pool = forkJoinPoolOf(Thread.currentThread());
      if (pool == VIRTUAL_THREADS) {
        return false;
      }
      ExecutorRecorder.starting(depth, pool, Thread.currentThread(), task);
      return true;
    } catch (Throwable e) {
      return false;
    }
  }

  public static void forkJoinTaskExit(boolean recorded, Object task, Throwable thrown) {
    try {
      CallDepth depth = CallDepth.current();
      ExecutorRecorder.leave(depth, ExecutorRecorder.BEFORE_EXECUTE);
      if (recorded) {
        Throwable failure = thrown;
        if (failure == null
            && task instanceof java.util.concurrent.ForkJoinTask<?> forkJoinTask
            && forkJoinTask.isCompletedAbnormally()) {
          failure = forkJoinTask.getException();
        }
        ExecutorRecorder.finished(depth, forkJoinPoolOf(Thread.currentThread()), task, failure);
      }
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** Stands for the virtual-thread scheduler in {@link #forkJoinPoolOf}. */
  private static final Object VIRTUAL_THREADS = new Object();

  /**
   * The pool whose worker {@code thread} is, null for a thread of no pool, {@link #VIRTUAL_THREADS}
   * for a carrier of virtual threads.
   */
  private static Object forkJoinPoolOf(Thread thread) {
    if (!(thread instanceof java.util.concurrent.ForkJoinWorkerThread worker)) {
      return null;
    }
    java.util.concurrent.ForkJoinPool pool = worker.getPool();
    return isVirtualThreadScheduler(pool) ? VIRTUAL_THREADS : pool;
  }

  /** The JVM's virtual-thread scheduler, once seen; its tasks are steps of virtual threads. */
  private static volatile Object virtualThreadScheduler;

  /**
   * Whether {@code pool} is the fork/join pool that runs virtual threads, recognized by its worker
   * factory, which {@code java.lang.VirtualThread} defines. Virtual threads are measured as such
   * (see {@link #threadTaskEnter}), not as the scheduler's tasks.
   */
  private static boolean isVirtualThreadScheduler(Object pool) {
    if (pool == virtualThreadScheduler) {
      return true;
    }
    if (pool instanceof java.util.concurrent.ForkJoinPool forkJoinPool
        && forkJoinPool.getFactory() != null
        && forkJoinPool.getFactory().getClass().getName().startsWith("java.lang.VirtualThread")) {
      virtualThreadScheduler = pool;
      return true;
    }
    return false;
  }

  /**
   * {@code run()} of the runnables a thread-per-task executor gives its threads: the task runs
   * inside it. {@code pool} is the runnable's {@code executor} field.
   */
  public static boolean threadTaskEnter(Object task, Object pool) {
    try {
      CallDepth depth = CallDepth.current();
      boolean outermost = ExecutorRecorder.enter(depth, ExecutorRecorder.BEFORE_EXECUTE);
      if (outermost) {
        ExecutorRecorder.starting(depth, pool, Thread.currentThread(), task);
      }
      return outermost;
    } catch (Throwable e) {
      return false;
    }
  }

  public static void threadTaskExit(boolean outermost, Object task, Object pool, Throwable thrown) {
    try {
      CallDepth depth = CallDepth.current();
      ExecutorRecorder.leave(depth, ExecutorRecorder.BEFORE_EXECUTE);
      if (outermost) {
        ExecutorRecorder.finished(depth, pool, task, thrown);
      }
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * A task is handed to other threads outside the measured pools (a scheduled pool's queue, the
   * thread per task that {@code CompletableFuture} uses when the common pool has one thread): it
   * carries this thread's trace context to where it runs.
   */
  public static void handOver(Object task) {
    try {
      Tracing.handToPool(CallDepth.current(), task);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code run()} of a task handed over with {@link #handOver}: the context it carries becomes
   * current. Returns what {@link #contextRunExit} unwinds to, -1 when nothing was restored (as when
   * a pool's own hook restored it already).
   */
  public static long contextRunEnter(Object task) {
    try {
      return Tracing.restoreForRun(CallDepth.current(), task);
    } catch (Throwable e) {
      return -1;
    }
  }

  public static void contextRunExit(long savedDepth) {
    try {
      Tracing.restoredEnd(CallDepth.current(), (int) savedDepth);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** A configured operation: one span per call. */
  public static long operationEnter() {
    try {
      return OperationRecorder.enter();
    } catch (Throwable e) {
      return TaskRecorder.NESTED;
    }
  }

  public static void operationExit(int point, long start, Throwable thrown) {
    try {
      OperationRecorder.exit(point, start, thrown);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  // ---- log correlation: see LogCorrelation ----

  /** {@code LoggingEvent.getMDCPropertyMap()} (Logback) is entered: the event takes its map. */
  public static boolean logEventMapEnter() {
    try {
      return LogCorrelation.enterEventMap();
    } catch (Throwable e) {
      return false;
    }
  }

  public static void logEventMapExit(boolean counted) {
    try {
      LogCorrelation.exitEventMap(counted);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * {@code connect}, {@code getInputStream} or {@code getOutputStream} of the JDK's {@code
   * HttpURLConnection} was entered.
   */
  public static void httpUrlConnect(Object connection) {
    try {
      HttpClientPropagation.beforeConnect(connection);
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /** {@code java.net.http.HttpClient}'s one internal send method, which every send goes through. */
  public static void httpSendEnter() {
    try {
      HttpClientPropagation.sendEnter();
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  public static void httpSendExit() {
    try {
      HttpClientPropagation.sendExit();
    } catch (Throwable e) {
      // nothing of the agent reaches the host
    }
  }

  /**
   * An MDC adapter's map is returned ({@code getPropertyMap()}, {@code getCopyOfContextMap()}):
   * returns what the caller gets instead, with the trace ids when a log event takes it.
   */
  public static Object logContextMap(Object map) {
    try {
      return LogCorrelation.eventMap(map);
    } catch (Throwable e) {
      return map;
    }
  }

  /**
   * A Log4j 2 {@code ContextDataInjector} returns a new event's context data: returns what the
   * event gets instead, with the trace ids when a trace is current.
   */
  public static Object log4jContextData(Object reusable, Object returned) {
    try {
      return Log4jContextData.withTrace(reusable, returned);
    } catch (Throwable e) {
      return returned;
    }
  }

  /**
   * {@code headers()} of a {@code java.net.http.HttpRequest} returns {@code headers}; the woven
   * method returns what this returns: the same headers, or a copy with the trace context.
   */
  public static Object httpRequestHeaders(Object headers) {
    try {
      return HttpClientPropagation.requestHeaders(headers);
    } catch (Throwable e) {
      return headers;
    }
  }
}
