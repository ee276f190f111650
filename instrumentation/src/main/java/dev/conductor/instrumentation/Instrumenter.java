package dev.conductor.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.TaskRecorder;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the task advice into the host's classes for the configured task points.
 *
 * <p>Classes already loaded when the agent starts are retransformed; classes loaded later are
 * transformed as they load. The agent's own classes and Byte Buddy are never touched.
 */
public final class Instrumenter {
  private final AtomicLong transformedTypes = new AtomicLong();
  private final AtomicLong failedTypes = new AtomicLong();
  private final Consumer<String> warnings;

  /**
   * @param warnings where to report a class that could not be woven (one line each)
   */
  public Instrumenter(Consumer<String> warnings) {
    this.warnings = warnings;
  }

  /** Installs the recorder and the transformer. Call once, after the config has been validated. */
  public void install(Instrumentation instrumentation, List<TaskPoint> points, EventBuffer buffer) {
    LabelCapture[] captures = new LabelCapture[points.size()];
    for (int i = 0; i < points.size(); i++) {
      captures[i] = new TaskPointCapture(points.get(i).labels());
    }
    TaskRecorder.install(buffer, captures);
    if (points.isEmpty()) {
      return;
    }

    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new FailureListener())
            .ignore(
                nameStartsWith("dev.conductor.")
                    .or(nameStartsWith("net.bytebuddy."))
                    .or(nameStartsWith("java.lang.invoke."))
                    .or(isSynthetic()));
    for (int i = 0; i < points.size(); i++) {
      builder = withPoint(builder, points.get(i), i);
    }
    builder.installOn(instrumentation);
  }

  private AgentBuilder withPoint(AgentBuilder builder, TaskPoint point, int index) {
    Advice advice = Advice.withCustomMapping().bind(PointId.class, index).to(TaskAdvice.class);
    return builder
        .type(hasSuperType(named(point.type())).and(not(isInterface())))
        .transform(
            (DynamicType.Builder<?> type,
                TypeDescription description,
                ClassLoader loader,
                JavaModule module,
                java.security.ProtectionDomain domain) ->
                type.visit(
                    advice.on(
                        isMethod()
                            .and(namedOneOf(point.methods().toArray(new String[0])))
                            .and(not(isAbstract())))))
        .asTerminalTransformation();
  }

  /** Host classes woven so far. */
  public long transformedTypes() {
    return transformedTypes.get();
  }

  /** Host classes that matched but could not be woven. */
  public long failedTypes() {
    return failedTypes.get();
  }

  private final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      transformedTypes.incrementAndGet();
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      failedTypes.incrementAndGet();
      warnings.accept("could not instrument " + typeName + ": " + error);
    }
  }
}
