package dev.conductor.instrumentation;

import dev.conductor.bootstrap.AgentRecorder;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into an agent's start, stop and health check methods; which of the three is bound as a
 * constant per method, like the point index.
 */
final class LifecycleAdvice {
  private LifecycleAdvice() {}

  /** Marks the parameter that receives the event kind of the woven method. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Kind {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @PointId int point,
      @Kind int kind,
      @Advice.This(optional = true) Object self,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    AgentRecorder.exit(point, kind, self, returned, thrown);
  }
}
