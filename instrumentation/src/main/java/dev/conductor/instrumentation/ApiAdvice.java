package dev.conductor.instrumentation;

import dev.conductor.bootstrap.ApiRecorder;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the host's HTTP dispatch methods; see {@link TaskAdvice} for the rules woven code
 * follows. The request and response are the first two arguments of every supported dispatch.
 */
final class ApiAdvice {
  private ApiAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter() {
    return ApiRecorder.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @PointId int point,
      @Advice.Enter long start,
      @Advice.Argument(value = 0, optional = true) Object arg0,
      @Advice.Argument(value = 1, optional = true) Object arg1,
      @Advice.Thrown Throwable thrown) {
    ApiRecorder.exit(point, start, arg0, arg1, thrown);
  }
}
