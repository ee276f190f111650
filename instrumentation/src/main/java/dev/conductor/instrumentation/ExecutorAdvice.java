package dev.conductor.instrumentation;

import dev.conductor.bootstrap.ExecutorRecorder;
import dev.conductor.bootstrap.TaskRecorder;
import net.bytebuddy.asm.Advice;

/**
 * Advice for {@code java.util.concurrent.ThreadPoolExecutor} and its subclasses, woven with no
 * config. Each nested class is one hooked method; see {@link TaskAdvice} for the rules woven code
 * follows. Only the outermost call on a thread records, so an override that calls {@code super}
 * counts once.
 */
final class ExecutorAdvice {
  private ExecutorAdvice() {}

  /**
   * {@code ThreadPoolExecutor.execute(Runnable)}, and {@code
   * ThreadPerTaskExecutor.newThread(Runnable)} (JDK 21+, virtual threads), which is called once per
   * task with the runnable its thread runs.
   */
  static final class Execute {
    private Execute() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return ExecutorRecorder.enterTimed(ExecutorRecorder.EXECUTE);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter long start,
        @Advice.This Object pool,
        @Advice.Argument(0) Object task,
        @Advice.Thrown Throwable thrown) {
      ExecutorRecorder.leave(ExecutorRecorder.EXECUTE);
      if (start != TaskRecorder.NESTED && thrown == null) {
        ExecutorRecorder.submitted(pool, task, start);
      }
    }
  }

  /** {@code beforeExecute(Thread, Runnable)}: the task starts once it returned. */
  static final class BeforeExecute {
    private BeforeExecute() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter() {
      return ExecutorRecorder.enter(ExecutorRecorder.BEFORE_EXECUTE);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter boolean outermost,
        @Advice.This Object pool,
        @Advice.Argument(0) Thread worker,
        @Advice.Argument(1) Object task) {
      ExecutorRecorder.leave(ExecutorRecorder.BEFORE_EXECUTE);
      if (outermost) {
        ExecutorRecorder.starting(pool, worker, task);
      }
    }
  }

  /** {@code afterExecute(Runnable, Throwable)}: the task ended when it was entered. */
  static final class AfterExecute {
    private AfterExecute() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(
        @Advice.This Object pool,
        @Advice.Argument(0) Object task,
        @Advice.Argument(1) Throwable failure) {
      boolean outermost = ExecutorRecorder.enter(ExecutorRecorder.AFTER_EXECUTE);
      if (outermost) {
        ExecutorRecorder.finished(pool, task, failure);
      }
      return outermost;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
      ExecutorRecorder.leave(ExecutorRecorder.AFTER_EXECUTE);
    }
  }

  /** {@code reject(Runnable)}. */
  static final class Reject {
    private Reject() {}

    /** {@code reject} is final in the JDK: no override can nest it, no guard is needed. */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object pool, @Advice.Argument(0) Object task) {
      ExecutorRecorder.rejected(pool, task);
    }
  }

  /** Every constructor: names the pool after the class that created it. */
  static final class Constructor {
    private Constructor() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object pool) {
      ExecutorRecorder.created(pool);
    }
  }

  /**
   * {@code run()} of the runnables a thread-per-task executor gives its threads ({@code
   * TaskRunner}, {@code ThreadBoundFuture}): the task runs inside it.
   */
  static final class ThreadTaskRun {
    private ThreadTaskRun() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This Object task, @Advice.FieldValue("executor") Object pool) {
      boolean outermost = ExecutorRecorder.enter(ExecutorRecorder.BEFORE_EXECUTE);
      if (outermost) {
        ExecutorRecorder.starting(pool, Thread.currentThread(), task);
      }
      return outermost;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter boolean outermost,
        @Advice.This Object task,
        @Advice.FieldValue("executor") Object pool,
        @Advice.Thrown Throwable thrown) {
      ExecutorRecorder.leave(ExecutorRecorder.BEFORE_EXECUTE);
      if (outermost) {
        ExecutorRecorder.finished(pool, task, thrown);
      }
    }
  }
}
