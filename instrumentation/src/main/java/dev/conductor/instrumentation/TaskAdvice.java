package dev.conductor.instrumentation;

import dev.conductor.bootstrap.TaskRecorder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every task method. Only {@link TaskRecorder}, which lives in the bootstrap class
 * loader, is referenced, so the woven code links from any class loader. Both methods suppress every
 * throwable so that nothing of the agent can reach the host; the host's own exception passes
 * through unchanged.
 *
 * <p>The first four arguments are passed one by one, boxed only when primitive, rather than with
 * {@code @AllArguments}, which would allocate an array on every call.
 */
final class TaskAdvice {
  private TaskAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter(
      @PointId int point,
      @Advice.This(optional = true) Object self,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg0,
      @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg1,
      @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg2,
      @Advice.Argument(value = 3, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg3) {
    return TaskRecorder.enter(point, self, arg0, arg1, arg2, arg3);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @PointId int point,
      @Advice.Enter long start,
      @Advice.This(optional = true) Object self,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg0,
      @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg1,
      @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg2,
      @Advice.Argument(value = 3, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg3,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    TaskRecorder.exit(point, start, self, arg0, arg1, arg2, arg3, returned, thrown);
  }
}
