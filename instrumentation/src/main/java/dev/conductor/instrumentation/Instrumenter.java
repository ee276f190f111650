package dev.conductor.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.Recorders;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the advice into the host's classes for the configured task, enqueue and agent points.
 *
 * <p>Classes already loaded when the agent starts are retransformed; classes loaded later are
 * transformed as they load. The agent's own classes and Byte Buddy are never touched.
 */
public final class Instrumenter {
  private final AtomicLong transformedTypes = new AtomicLong();
  private final AtomicLong failedTypes = new AtomicLong();
  private final Consumer<String> warnings;
  private Instrumentation instrumentation;

  /**
   * @param warnings where to report a class that could not be woven (one line each)
   */
  public Instrumenter(Consumer<String> warnings) {
    this.warnings = warnings;
  }

  /** Installs the recorders and the transformer. Call once, after the config has been validated. */
  public void install(
      Instrumentation instrumentation,
      List<TaskPoint> tasks,
      List<EnqueuePoint> enqueues,
      List<AgentPoint> agents,
      List<ApiPoint> apis,
      boolean executors,
      EventBuffer buffer) {
    this.instrumentation = instrumentation;
    // Starts are needed to know what is waiting (enqueued, not started) and what is in flight.
    boolean trackStarts = !enqueues.isEmpty() || !agents.isEmpty();
    LabelCapture[] taskCaptures = new LabelCapture[tasks.size()];
    boolean[] startsTracked = new boolean[tasks.size()];
    for (int i = 0; i < tasks.size(); i++) {
      taskCaptures[i] = new PointCapture(tasks.get(i).labels());
      startsTracked[i] = trackStarts;
    }
    LabelCapture[] enqueueCaptures = new LabelCapture[enqueues.size()];
    for (int i = 0; i < enqueues.size(); i++) {
      enqueueCaptures[i] = new PointCapture(enqueues.get(i).labels());
    }
    LabelCapture[] agentCaptures = new LabelCapture[agents.size()];
    for (int i = 0; i < agents.size(); i++) {
      agentCaptures[i] =
          new PointCapture(new PointLabels(null, null, null, agents.get(i).agentId(), null, null));
    }
    LabelCapture[] apiCaptures = new LabelCapture[apis.size()];
    for (int i = 0; i < apis.size(); i++) {
      apiCaptures[i] = new PointCapture(apis.get(i).labels());
    }
    Recorders.install(
        buffer, taskCaptures, startsTracked, enqueueCaptures, agentCaptures, apiCaptures);
    if (tasks.isEmpty() && enqueues.isEmpty() && agents.isEmpty() && apis.isEmpty() && !executors) {
      return;
    }

    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new FailureListener())
            .with(debugListener())
            .ignore(ignoredTypes());
    for (int i = 0; i < tasks.size(); i++) {
      TaskPoint point = tasks.get(i);
      Advice advice = Advice.withCustomMapping().bind(PointId.class, i).to(TaskAdvice.class);
      builder = weave(builder, point.type(), advice.on(methods(point.methods())));
    }
    for (int i = 0; i < enqueues.size(); i++) {
      EnqueuePoint point = enqueues.get(i);
      Advice advice = Advice.withCustomMapping().bind(PointId.class, i).to(EnqueueAdvice.class);
      builder = weave(builder, point.type(), advice.on(methods(point.methods())));
    }
    for (int i = 0; i < agents.size(); i++) {
      AgentPoint point = agents.get(i);
      AsmVisitorWrapper.ForDeclaredMethods lifecycle = new AsmVisitorWrapper.ForDeclaredMethods();
      lifecycle = lifecycleOn(lifecycle, i, point.start(), Event.AGENT_STARTED);
      lifecycle = lifecycleOn(lifecycle, i, point.stop(), Event.AGENT_STOPPED);
      lifecycle = lifecycleOn(lifecycle, i, point.healthCheck(), Event.HEALTH_CHECK);
      builder = weave(builder, point.type(), lifecycle);
    }
    for (int i = 0; i < apis.size(); i++) {
      ApiPoint point = apis.get(i);
      Advice advice = Advice.withCustomMapping().bind(PointId.class, i).to(ApiAdvice.class);
      builder = weave(builder, point.type(), advice.on(methods(List.of(point.method()))));
    }
    if (executors) {
      builder = weaveThreadPools(builder);
      loadPoolClasses();
    }
    builder.installOn(instrumentation);
  }

  private static final String THREAD_POOL = "java.util.concurrent.ThreadPoolExecutor";
  private static final String SCHEDULED_POOL = "java.util.concurrent.ScheduledThreadPoolExecutor";

  /**
   * Loads (without initializing) the JDK pool classes that exist on this JDK, so that they are
   * woven at install by retransformation, like the classes already in use.
   */
  private static void loadPoolClasses() {
    for (String name :
        List.of(
            THREAD_POOL,
            SCHEDULED_POOL,
            THREAD_PER_TASK,
            THREAD_PER_TASK + "$TaskRunner",
            THREAD_PER_TASK + "$ThreadBoundFuture")) {
      try {
        Class.forName(name, false, null);
      } catch (ClassNotFoundException | LinkageError notOnThisJdk) {
        // thread-per-task executors exist from JDK 21 on
      }
    }
  }

  /** JDK 21+: behind newVirtualThreadPerTaskExecutor() and newThreadPerTaskExecutor(factory). */
  private static final String THREAD_PER_TASK = "java.util.concurrent.ThreadPerTaskExecutor";

  /**
   * Thread pools with no config. A scheduled pool's {@code execute} wraps the task before it is
   * queued, so its submits cannot be matched to its starts by identity: for those pools only run
   * time, counts and activity are recorded, not queue wait.
   */
  private AgentBuilder weaveThreadPools(AgentBuilder builder) {
    AsmVisitorWrapper.ForDeclaredMethods pools =
        new AsmVisitorWrapper.ForDeclaredMethods()
            .invokable(
                isMethod().and(named("beforeExecute")).and(takesArguments(2)),
                Advice.to(ExecutorAdvice.BeforeExecute.class))
            .invokable(
                isMethod().and(named("afterExecute")).and(takesArguments(2)),
                Advice.to(ExecutorAdvice.AfterExecute.class))
            .invokable(
                isMethod().and(named("reject")).and(takesArguments(1)),
                Advice.to(ExecutorAdvice.Reject.class))
            .invokable(isConstructor(), Advice.to(ExecutorAdvice.Constructor.class));
    AsmVisitorWrapper.ForDeclaredMethods submits =
        new AsmVisitorWrapper.ForDeclaredMethods()
            .invokable(
                isMethod().and(named("execute")).and(takesArguments(Runnable.class)),
                Advice.to(ExecutorAdvice.Execute.class));
    AsmVisitorWrapper.ForDeclaredMethods threadPerTask =
        new AsmVisitorWrapper.ForDeclaredMethods()
            .invokable(
                isMethod().and(named("newThread")).and(takesArguments(Runnable.class)),
                Advice.to(ExecutorAdvice.Execute.class))
            .invokable(isConstructor(), Advice.to(ExecutorAdvice.Constructor.class));
    AsmVisitorWrapper.ForDeclaredMethods threadPerTaskRun =
        new AsmVisitorWrapper.ForDeclaredMethods()
            .invokable(
                isMethod().and(named("run")).and(takesArguments(0)),
                Advice.to(ExecutorAdvice.ThreadTaskRun.class));
    AgentBuilder withThreadPerTask =
        weaveMatching(
            weaveMatching(builder, named(THREAD_PER_TASK), threadPerTask),
            namedOneOf(THREAD_PER_TASK + "$TaskRunner", THREAD_PER_TASK + "$ThreadBoundFuture"),
            threadPerTaskRun);
    return weaveMatching(
            withThreadPerTask, hasSuperType(named(THREAD_POOL)).and(not(isInterface())), pools)
        .type(
            hasSuperType(named(THREAD_POOL))
                .and(not(hasSuperType(named(SCHEDULED_POOL))))
                .and(not(isInterface())))
        .transform(
            (DynamicType.Builder<?> typeBuilder,
                TypeDescription description,
                ClassLoader loader,
                JavaModule module,
                ProtectionDomain domain) -> typeBuilder.visit(submits));
  }

  /**
   * Types never woven: the agent's own, Byte Buddy's, and the JDK's except the packages with
   * something to hook (pools, the HTTP server). Besides safety this is speed: at install every
   * loaded class is matched, and most classes loaded at startup are the JDK's.
   */
  private static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
    return nameStartsWith("dev.conductor.")
        .or(nameStartsWith("net.bytebuddy."))
        .or(nameStartsWith("java.").and(not(nameStartsWith("java.util.concurrent."))))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun.").and(not(nameStartsWith("com.sun.net.httpserver."))))
        .or(isSynthetic());
  }

  private static AsmVisitorWrapper.ForDeclaredMethods lifecycleOn(
      AsmVisitorWrapper.ForDeclaredMethods wrapper, int point, String method, int kind) {
    if (method == null) {
      return wrapper;
    }
    return wrapper.invokable(
        methods(List.of(method)),
        Advice.withCustomMapping()
            .bind(PointId.class, point)
            .bind(LifecycleAdvice.Kind.class, kind)
            .to(LifecycleAdvice.class));
  }

  private static ElementMatcher.Junction<MethodDescription> methods(List<String> names) {
    return isMethod().and(namedOneOf(names.toArray(new String[0]))).and(not(isAbstract()));
  }

  private AgentBuilder weave(AgentBuilder builder, String type, AsmVisitorWrapper visitor) {
    return weaveMatching(builder, hasSuperType(named(type)).and(not(isInterface())), visitor);
  }

  private AgentBuilder weaveMatching(
      AgentBuilder builder,
      ElementMatcher<? super TypeDescription> types,
      AsmVisitorWrapper visitor) {
    return builder
        .type(types)
        .transform(
            (DynamicType.Builder<?> typeBuilder,
                TypeDescription description,
                ClassLoader loader,
                JavaModule module,
                ProtectionDomain domain) -> {
              canReadRecorders(module);
              return typeBuilder.visit(visitor);
            });
    // Not terminal: a class can be a task point and an agent point at once, every match applies.
  }

  /**
   * Woven code calls the recorders, which live in the bootstrap loader's unnamed module. A class of
   * a named module (the JDK's HTTP server, say) reads only what its module declares, so the read
   * edge is added before the class is woven.
   */
  private void canReadRecorders(JavaModule module) {
    if (module == null || !module.isNamed()) {
      return;
    }
    Module target = (Module) module.unwrap();
    Module recorders = Recorders.class.getModule();
    if (!target.canRead(recorders)) {
      instrumentation.redefineModule(
          target, Set.of(recorders), Map.of(), Map.of(), Set.of(), Map.of());
    }
  }

  /**
   * {@code -Dconductor.debug.instrumentation=true} prints every class the agent looks at and what
   * it did with it: for finding out why a point does not match.
   */
  private static AgentBuilder.Listener debugListener() {
    return Boolean.getBoolean("conductor.debug.instrumentation")
        ? AgentBuilder.Listener.StreamWriting.toSystemError()
        : AgentBuilder.Listener.NoOp.INSTANCE;
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
