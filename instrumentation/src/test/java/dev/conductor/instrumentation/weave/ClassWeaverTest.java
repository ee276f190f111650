package dev.conductor.instrumentation.weave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.LogCorrelation;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.bootstrap.Tracing;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weaves {@link Shapes} with a task rule on all its {@code run...} methods, loads the result in a
 * class loader of its own (so the JVM verifies it) and checks that every method behaves exactly as
 * before and is recorded once per call, with its exception when it threw.
 */
class ClassWeaverTest {
  private static final String SHAPES = Shapes.class.getName();
  private static final Set<String> RUN_METHODS =
      Set.of(
          "runVoid",
          "runInt",
          "runLong",
          "runDouble",
          "runBoolean",
          "runChar",
          "runStatic",
          "runEarlyReturns",
          "runOwnHandler",
          "runThrows",
          "runSynchronized",
          "runLambda",
          "runTryWithResources",
          "runManyLocals",
          "runRecursive");

  private final EventBuffer buffer = new EventBuffer(256);

  @BeforeEach
  void installRecorders() {
    LabelCapture statusFromReturn =
        (event, self, a0, a1, a2, a3, returned) ->
            event.status = returned == null ? null : String.valueOf(returned);
    Recorders.install(
        buffer,
        new LabelCapture[] {statusFromReturn},
        new boolean[] {false},
        new LabelCapture[0],
        new LabelCapture[0],
        new LabelCapture[0]);
  }

  @Test
  void wovenMethodsBehaveAsBeforeAndAreRecordedOncePerCall() throws Exception {
    Class<?> woven = wovenShapes(new Rules().task(0, SHAPES, List.copyOf(RUN_METHODS)));
    Object shapes = woven.getConstructor(String.class).newInstance("xyz");

    assertThat(call(shapes, "runVoid")).isNull();
    assertThat(call(shapes, "runInt", 1, 2L, 3.0, "ab")).isEqualTo(1 + 3 * (2 + 3 + 2));
    assertThat(call(shapes, "runLong", 21L)).isEqualTo(42L);
    assertThat(call(shapes, "runDouble", 5.0)).isEqualTo(2.5);
    assertThat(call(shapes, "runBoolean", true)).isEqualTo(false);
    assertThat(call(shapes, "runChar")).isEqualTo('x');
    assertThat(call(null, "runStatic", "ab", 3)).isEqualTo("ababab");
    assertThat(call(shapes, "runEarlyReturns", 0)).isEqualTo("zero");
    assertThat(call(shapes, "runEarlyReturns", 2)).isEqualTo("two");
    assertThat(call(shapes, "runEarlyReturns", 7)).isEqualTo("many");
    assertThat(call(shapes, "runOwnHandler", true)).isEqualTo("caught inner");
    assertThat(call(shapes, "runOwnHandler", false)).isEqualTo("no exception");
    assertThat(call(shapes, "runSynchronized", 1)).isEqualTo(2);
    assertThat(call(shapes, "runLambda", List.of("a", "b"))).isEqualTo(List.of("axyz", "bxyz"));
    assertThat(call(shapes, "runTryWithResources")).isEqualTo((int) 'x');
    assertThat(call(shapes, "runManyLocals", 1L, 2.0, 3, 4L, 0.5f)).isEqualTo(1L + 3 + 6 + 1);
    assertThat(call(shapes, "runRecursive", 5)).isEqualTo(5);
    assertThatThrownBy(() -> call(shapes, "runThrows", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("code 3");

    List<End> ends = drainEnds();
    // 18 outermost calls; the recursive calls inside runRecursive are nested and not counted.
    assertThat(ends).hasSize(18);
    assertThat(ends.stream().map(End::status))
        .contains("42", "2.5", "false", "x", "ababab", "zero", "two", "many", "5");
    End thrown = ends.get(ends.size() - 1);
    assertThat(thrown.thrown()).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.status()).as("no return value when the method threw").isNull();
    assertThat(ends.subList(0, ends.size() - 1)).allSatisfy(e -> assertThat(e.thrown()).isNull());
  }

  /**
   * Bytecode that javac never writes but other compilers and optimizers do: a parameter's slot
   * reused for a value of another type. The woven exit must not read the slot.
   */
  @Test
  void aParameterSlotReusedForAnotherTypeStillVerifies() throws Exception {
    String name = "dev/conductor/instrumentation/weave/ReusedSlot";
    org.objectweb.asm.ClassWriter writer =
        new org.objectweb.asm.ClassWriter(
            org.objectweb.asm.ClassWriter.COMPUTE_FRAMES
                | org.objectweb.asm.ClassWriter.COMPUTE_MAXS);
    writer.visit(
        org.objectweb.asm.Opcodes.V17,
        org.objectweb.asm.Opcodes.ACC_PUBLIC,
        name,
        null,
        "java/lang/Object",
        null);
    org.objectweb.asm.MethodVisitor run =
        writer.visitMethod(
            org.objectweb.asm.Opcodes.ACC_PUBLIC | org.objectweb.asm.Opcodes.ACC_STATIC,
            "run",
            "(Ljava/lang/Object;)I",
            null,
            null);
    run.visitCode();
    org.objectweb.asm.Label notNull = new org.objectweb.asm.Label();
    run.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
    run.visitJumpInsn(org.objectweb.asm.Opcodes.IFNONNULL, notNull);
    run.visitInsn(org.objectweb.asm.Opcodes.ICONST_0);
    run.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
    run.visitLabel(notNull);
    run.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, 7);
    run.visitVarInsn(org.objectweb.asm.Opcodes.ISTORE, 0); // the Object parameter's slot, now int
    run.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 0);
    run.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
    run.visitMaxs(0, 0);
    run.visitEnd();
    writer.visitEnd();
    String className = name.replace('/', '.');
    byte[] woven =
        ClassWeaver.weave(
            writer.toByteArray(), new Rules().task(0, className, List.of("run")).all());
    assertThat(woven).isNotNull();
    Class<?> type = define(className, woven);

    assertThat(type.getMethod("run", Object.class).invoke(null, "task-1")).isEqualTo(7);
    assertThat(type.getMethod("run", Object.class).invoke(null, (Object) null)).isEqualTo(0);
    assertThat(drainEnds()).hasSize(2);
  }

  @Test
  void aClassWithoutMatchingMethodsIsLeftAlone() throws IOException {
    assertThat(
            ClassWeaver.weave(
                classFile(SHAPES), new Rules().task(0, SHAPES, List.of("absent")).all()))
        .isNull();
  }

  @Test
  void enqueueAgentAndPoolHooksVerifyOnTheSameShapes() throws Exception {
    Rules rules =
        new Rules()
            .enqueue(0, SHAPES, List.of("runInt", "runStatic"))
            .agentLifecycle(0, SHAPES, "runBoolean", Event.HEALTH_CHECK)
            .api(0, SHAPES, "runOwnHandler")
            .task(0, SHAPES, List.of("runInt"));
    Object shapes = wovenShapes(rules).getConstructor(String.class).newInstance("q");
    assertThat(call(shapes, "runInt", 1, 0L, 0.0, "")).isEqualTo(1);
    assertThat(call(null, "runStatic", "a", 2)).isEqualTo("aa");
    assertThat(call(shapes, "runBoolean", false)).isEqualTo(true);
    assertThat(call(shapes, "runOwnHandler", true)).isEqualTo("caught inner");
    List<Integer> kinds = new ArrayList<>();
    buffer.drain(e -> kinds.add(e.kind));
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            Event.TASK_END, Event.ENQUEUE, Event.ENQUEUE, Event.HEALTH_CHECK, Event.API_REQUEST);
  }

  @Test
  void aWorkerLoopRecordsEachTaskBetweenItsBeforeAndAfterExecute() throws Exception {
    String shape = WorkerLoopShape.class.getName();
    Rules rules = new Rules();
    rules.add(
        Rule.TypeMatch.named(shape),
        Rule.MethodMatch.named("runWorker", 1),
        Rules.WORKER_LOOP,
        0,
        0);
    Object loop = woven(shape, rules).getConstructor().newInstance();
    Runnable fine = new NamedTask("fine", null);
    RuntimeException boom = new IllegalStateException("boom");
    Runnable failing = new NamedTask("failing", boom);

    loop.getClass()
        .getMethod("runWorker", Runnable[].class)
        .invoke(loop, (Object) new Runnable[] {fine, failing});

    assertThat(loop.getClass().getField("calls").get(loop))
        .isEqualTo(List.of("before fine", "after fine", "before failing", "after failing boom"));
    List<String> events = new ArrayList<>();
    buffer.drain(
        e -> {
          assertThat(e.executor).isSameAs(loop);
          events.add(e.kind + " " + e.task + (e.thrown == null ? "" : " " + e.thrown.getMessage()));
        });
    assertThat(events)
        .containsExactly(
            Event.EXECUTOR_START + " fine",
            Event.EXECUTOR_DONE + " fine",
            Event.EXECUTOR_START + " failing",
            Event.EXECUTOR_DONE + " failing boom");
  }

  /**
   * The running JDK's own {@code ThreadPoolExecutor}: its worker loop makes the two calls the
   * worker-loop rule hooks, each time it calls them (a JDK whose loop changed would leave every
   * pool task unrecorded).
   */
  @Test
  void theJdksWorkerLoopGetsTheTaskHooksAtEachOfItsCalls() throws IOException {
    byte[] woven =
        ClassWeaver.weave(
            classFile("java.util.concurrent.ThreadPoolExecutor"),
            new Rules().threadPools(false).all());
    assertThat(woven).isNotNull();
    Map<String, Integer> calls = new java.util.HashMap<>();
    new org.objectweb.asm.ClassReader(woven)
        .accept(
            new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
              @Override
              public org.objectweb.asm.MethodVisitor visitMethod(
                  int access, String name, String descriptor, String signature, String[] e) {
                if (!name.equals("runWorker")) {
                  return null;
                }
                return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(
                      int opcode, String owner, String method, String desc, boolean itf) {
                    calls.merge(method, 1, Integer::sum);
                  }
                };
              }
            },
            0);
    assertThat(calls.get("workerLoopEnter")).isEqualTo(1);
    assertThat(calls.get("workerTaskStarts")).isEqualTo(calls.get("beforeExecute")).isPositive();
    assertThat(calls.get("workerTaskEnded")).isEqualTo(calls.get("afterExecute")).isPositive();
  }

  private record NamedTask(String name, RuntimeException failure) implements Runnable {
    @Override
    public void run() {
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String EVENT_SHAPE = LoggingEventShape.class.getName();
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  /**
   * Weaves {@link LoggingEventShape} as the log correlation rules weave Logback: the adapter's
   * {@code getPropertyMap()} with the replacing exit, the event's {@code getMDCPropertyMap()} with
   * the hooks that mark it.
   */
  private static Class<?> wovenEventShape() throws IOException, ClassNotFoundException {
    Rules rules = new Rules();
    rules.add(
        Rule.TypeMatch.named(EVENT_SHAPE),
        Rule.MethodMatch.named("getPropertyMap", 0),
        Rules.LOG_CONTEXT_MAP,
        0,
        0);
    rules.add(
        Rule.TypeMatch.named(EVENT_SHAPE),
        Rule.MethodMatch.named("getMDCPropertyMap", 0),
        Rules.LOG_EVENT_MAP,
        0,
        0);
    return woven(EVENT_SHAPE, rules);
  }

  private static Object eventShape(Class<?> type, Map<String, String> mdc) throws Exception {
    return type.getConstructor(Map.class).newInstance(mdc);
  }

  @Test
  void aReplacingExitGivesTheLogEventACopyOfTheMapWithTheTraceIds() throws Exception {
    Tracing.install(16, new int[0], new int[0]);
    LogCorrelation.install();
    Class<?> woven = wovenEventShape();
    Map<String, String> mdc = Map.of("user", "ada");
    int saved = Tracing.restoreRemote("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    try {
      Object inTrace = eventShape(woven, mdc);
      assertThat(call(inTrace, "getMDCPropertyMap"))
          .isEqualTo(
              Map.of(
                  "user", "ada",
                  "trace_id", TRACE_ID,
                  "span_id", SPAN_ID,
                  "correlation_id", TRACE_ID));
      assertThat(mdc).as("the host's MDC itself").containsOnlyKeys("user");
      assertThat(call(inTrace, "getPropertyMap"))
          .as("the adapter called by the host, not for an event")
          .isSameAs(mdc);
      assertThat(call(inTrace, "getCopyOfContextMap")).isEqualTo(mdc);
      assertThat(call(eventShape(woven, null), "getMDCPropertyMap"))
          .as("an empty MDC")
          .isEqualTo(Map.of("trace_id", TRACE_ID, "span_id", SPAN_ID, "correlation_id", TRACE_ID));
      Map<String, String> ownTraceId = Map.of("trace_id", "the host's own");
      assertThat(call(eventShape(woven, ownTraceId), "getMDCPropertyMap")).isSameAs(ownTraceId);

      Object taken = call(inTrace, "getMDCPropertyMap");
      Tracing.endRemote(saved);
      saved = -1;
      assertThat(call(inTrace, "getMDCPropertyMap"))
          .as("the event keeps the map it took, outside the trace too")
          .isSameAs(taken);
    } finally {
      Tracing.endRemote(saved);
    }
  }

  @Test
  void aReplacingExitThatReturnsWhatItGotChangesNothing() throws Exception {
    Tracing.install(16, new int[0], new int[0]);
    LogCorrelation.install();
    Class<?> woven = wovenEventShape();
    Map<String, String> mdc = Map.of("user", "ada");
    assertThat(call(eventShape(woven, mdc), "getMDCPropertyMap")).isSameAs(mdc);
    assertThat(call(eventShape(woven, mdc), "getPropertyMap")).isSameAs(mdc);
    assertThat(call(eventShape(woven, null), "getMDCPropertyMap")).isNull();
    assertThat(call(eventShape(woven, null), "getCopyOfContextMap")).isNull();
  }

  /** The task ends recorded, as (status, thrown) in call order. */
  private List<End> drainEnds() {
    List<End> ends = new ArrayList<>();
    buffer.drain(
        e -> {
          if (e.kind == Event.TASK_END) {
            ends.add(new End(e.status, e.thrown));
          }
        });
    return ends;
  }

  private record End(Object status, Throwable thrown) {}

  private static Object call(Object target, String name, Object... arguments) throws Exception {
    Class<?> type = target == null ? lastWoven : target.getClass();
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
        try {
          return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
          throw (Exception) e.getCause();
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  private static Class<?> lastWoven;

  private static Class<?> wovenShapes(Rules rules) throws IOException, ClassNotFoundException {
    lastWoven = woven(SHAPES, rules);
    return lastWoven;
  }

  /** {@code className} woven with {@code rules} (which must match some of it), defined anew. */
  private static Class<?> woven(String className, Rules rules)
      throws IOException, ClassNotFoundException {
    byte[] woven = ClassWeaver.weave(classFile(className), rules.all());
    assertThat(woven).isNotNull();
    return define(className, woven);
  }

  /** Defines {@code woven} in a loader of its own, so that the JVM verifies it. */
  private static Class<?> define(String className, byte[] woven) throws ClassNotFoundException {
    ClassLoader loader =
        new ClassLoader(ClassWeaverTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(className)) {
              synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineClass(name, woven, 0, woven.length);
              }
            }
            return super.loadClass(name, resolve);
          }
        };
    return Class.forName(className, true, loader);
  }

  private static byte[] classFile(String className) throws IOException {
    try (InputStream in =
        ClassWeaverTest.class.getResourceAsStream("/" + className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }
}
