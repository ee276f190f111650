package dev.conductor.instrumentation.weave;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.contexthost.ContextHost;
import dev.conductor.bootstrap.ContextCarrier;
import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.bootstrap.Tracing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@link ContextHost}'s classes loaded through the weaver, as the agent loads a host's: a task
 * class that a point names gets fields for the trace context, and an enqueue and the task's start
 * on another thread hand the context over in them; the classes that must keep their shape do not
 * get them and hand it over through the table, as before.
 */
class ContextFieldsTest {
  private static final String HOST = ContextHost.class.getName();
  private static final List<String> NAMED =
      List.of(
          "Job",
          "UrgentJob",
          "SerializableJob",
          "LooselyVersionedJob",
          "VersionedJob",
          "ClashingJob",
          "Kind",
          "Item");

  private final EventBuffer buffer = new EventBuffer(64);
  private final List<String> warnings = new ArrayList<>();
  private Weaver weaver;
  private ClassLoader loader;

  @BeforeEach
  void install() {
    Recorders.install(
        buffer,
        new LabelCapture[] {LabelCapture.NONE},
        new boolean[] {false},
        new LabelCapture[] {LabelCapture.NONE},
        new LabelCapture[0],
        new LabelCapture[0]);
    Tracing.install(1024, new int[] {0}, new int[] {0}); // the task object: arg0 on both sides
    Rules rules = new Rules().enqueue(0, HOST, List.of("submit")).task(0, HOST, List.of("run"));
    for (String nested : NAMED) {
      rules.carryContext(HOST + "$" + nested);
    }
    weaver = new Weaver(rules, null, warnings::add);
    loader = new WeavingLoader(weaver);
  }

  @Test
  void aNamedTaskClassCarriesTheContextFromItsEnqueueToItsStartOnAnotherThread() throws Exception {
    Class<?> job = loader.loadClass(HOST + "$Job");
    assertThat(ContextCarrier.class).isAssignableFrom(job);
    assertThat(job.getGenericInterfaces())
        .as("the class's generic signature still reads")
        .contains(ContextCarrier.class);
    List<Field> added = new ArrayList<>();
    for (Field field : job.getDeclaredFields()) {
      if (field.getName().startsWith("conductor$")) {
        added.add(field);
        assertThat(field.getType()).isEqualTo(long.class);
        assertThat(Modifier.isPrivate(field.getModifiers())).isTrue();
        assertThat(Modifier.isTransient(field.getModifiers())).isTrue();
        assertThat(field.isSynthetic()).as("passed over by reflective mappers").isTrue();
      }
    }
    assertThat(added).hasSize(4);
    Object task = job.getConstructor(Object.class).newInstance("payload");
    assertThat(job.getField("payload").get(task))
        .as("its own state as before")
        .isEqualTo("payload");

    long[][] spans = enqueueAndRunElsewhere(task);
    long[] enqueue = spans[0];
    long[] execution = spans[1];
    assertThat(execution[1]).as("same trace").isEqualTo(enqueue[1]);
    assertThat(execution[2]).isEqualTo(enqueue[2]);
    assertThat(execution[3]).as("parent: the enqueue's span").isEqualTo(enqueue[0]);
    assertThat(execution[4]).as("the enqueue's time handed over").isEqualTo(enqueue[4]);
    ContextCarrier carrier = (ContextCarrier) task;
    assertThat(carrier.conductor$traceHigh() | carrier.conductor$traceLow())
        .as("taken by the start: a second start without an enqueue starts a trace of its own")
        .isZero();
  }

  @Test
  void aSubclassInheritsTheFields() throws Exception {
    Class<?> urgent = loader.loadClass(HOST + "$UrgentJob");
    assertThat(ContextCarrier.class).isAssignableFrom(urgent);
    assertThat(urgent.getDeclaredFields()).as("none of its own").isEmpty();
    long[][] spans = enqueueAndRunElsewhere(urgent.getConstructor(String.class).newInstance("u"));
    assertThat(spans[1][3]).isEqualTo(spans[0][0]);
  }

  @Test
  void classesThatMustKeepTheirShapeHandTheContextOverThroughTheTable() throws Exception {
    for (String nested :
        List.of("SerializableJob", "LooselyVersionedJob", "ClashingJob", "Kind", "Item")) {
      assertThat(ContextCarrier.class.isAssignableFrom(loader.loadClass(HOST + "$" + nested)))
          .as(nested)
          .isFalse();
    }
    assertThat(ContextCarrier.class)
        .as("serializable with a version of its own")
        .isAssignableFrom(loader.loadClass(HOST + "$VersionedJob"));

    Object serializable =
        loader.loadClass(HOST + "$SerializableJob").getConstructor().newInstance();
    long[][] spans = enqueueAndRunElsewhere(serializable);
    assertThat(spans[1][3]).as("linked all the same").isEqualTo(spans[0][0]);
    assertThat(spans[1][1]).isEqualTo(spans[0][1]);
    Object clashing = loader.loadClass(HOST + "$ClashingJob").getConstructor().newInstance();
    assertThat(clashing.getClass().getField("conductor$traceHigh").getLong(clashing)).isEqualTo(42);
    assertThat(warnings).as("passed over, not failed").isEmpty();
  }

  @Test
  void jdkClassesAndTheAgentsOwnAreNeverNamed() {
    Rules rules = new Rules();
    for (String type :
        List.of(
            "java.lang.Object",
            "java.util.concurrent.FutureTask",
            "com.sun.net.httpserver.HttpExchange",
            "sun.misc.Signal",
            "org.w3c.dom.Node",
            "dev.conductor.bootstrap.Event")) {
      rules.carryContext(type);
    }
    assertThat(rules.contextCarriers()).isEmpty();
  }

  @Test
  void aLoaderThatDoesNotSeeTheAgentsInterfaceGetsNoFieldsAndItsClassesStillLoad()
      throws Exception {
    ClassLoader isolated =
        new WeavingLoader(weaver) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.conductor.bootstrap.")) {
              throw new ClassNotFoundException(name); // does not delegate the agent's package
            }
            return super.loadClass(name, resolve);
          }
        };
    Class<?> job = isolated.loadClass(HOST + "$Job");
    assertThat(job.getInterfaces()).isEmpty();
    assertThat(job.getConstructor(Object.class).newInstance("p")).isNotNull();
  }

  @Test
  void aRetransformationAddsTheFieldsExactlyToTheClassesThatGotThemAsTheyLoaded() throws Exception {
    Class<?> job = loader.loadClass(HOST + "$Job");
    byte[] again = weaver.transform(null, loader, internal(job), job, null, classFile(job));
    assertThat(again).isNotNull();
    assertThat(members(again))
        .as("the loaded class's members exactly, as a retransformation requires")
        .isEqualTo(members(job));
    assertThat(weaver.transform(null, loader, internal(job), job, null, again))
        .as("bytes that have them already (read back to redefine the class) are left as they are")
        .isEqualTo(again);

    Class<?> serializable = loader.loadClass(HOST + "$SerializableJob");
    assertThat(
            weaver.transform(
                null, loader, internal(serializable), serializable, null, classFile(serializable)))
        .as("no fields then, none now")
        .isNull();
    assertThat(warnings).isEmpty();
  }

  /**
   * Enqueues {@code task} on this thread and runs it on another; returns the two spans as {span id,
   * trace id high, trace id low, parent span id, enqueue time or start time}.
   */
  private long[][] enqueueAndRunElsewhere(Object task) throws Exception {
    Object host = loader.loadClass(HOST).getConstructor().newInstance();
    host.getClass().getMethod("submit", Object.class).invoke(host, task);
    Thread worker =
        new Thread(
            () -> {
              try {
                host.getClass().getMethod("run", Object.class).invoke(host, task);
              } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
              }
            });
    worker.start();
    worker.join();
    Map<Integer, long[]> byKind = new HashMap<>();
    buffer.drain(
        e -> {
          Tracing.makeIds(e);
          byKind.put(
              e.kind,
              new long[] {
                e.spanId,
                e.traceIdHigh,
                e.traceIdLow,
                e.parentSpanId,
                e.kind == Event.ENQUEUE ? e.startNanos : e.enqueuedAt
              });
        });
    assertThat(byKind).containsOnlyKeys(Event.ENQUEUE, Event.TASK_END);
    return new long[][] {byKind.get(Event.ENQUEUE), byKind.get(Event.TASK_END)};
  }

  /** Fields and methods by name and descriptor, and interfaces, of a loaded class. */
  private static Set<String> members(Class<?> type) {
    Set<String> members = new TreeSet<>();
    for (Field field : type.getDeclaredFields()) {
      members.add(field.getName() + " " + Type.getDescriptor(field.getType()));
    }
    for (Method method : type.getDeclaredMethods()) {
      members.add(method.getName() + Type.getMethodDescriptor(method));
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      members.add("<init>" + Type.getConstructorDescriptor(constructor));
    }
    for (Class<?> anInterface : type.getInterfaces()) {
      members.add("implements " + internal(anInterface));
    }
    return members;
  }

  /** The same of a class file. */
  private static Set<String> members(byte[] classFile) {
    Set<String> members = new TreeSet<>();
    ClassReader reader = new ClassReader(classFile);
    for (String anInterface : reader.getInterfaces()) {
      members.add("implements " + anInterface);
    }
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public FieldVisitor visitField(
              int access, String name, String descriptor, String signature, Object value) {
            members.add(name + " " + descriptor);
            return null;
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] thrown) {
            if (!name.equals("<clinit>")) {
              members.add(name + descriptor);
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE);
    return members;
  }

  private static String internal(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in =
        ContextFieldsTest.class.getClassLoader().getResourceAsStream(internal(type) + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines {@link ContextHost} and its nested classes itself, through the weaver. */
  private static class WeavingLoader extends ClassLoader {
    private final Weaver weaver;

    WeavingLoader(Weaver weaver) {
      super(ContextFieldsTest.class.getClassLoader());
      this.weaver = weaver;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(HOST)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        String internalName = name.replace('.', '/');
        byte[] original;
        try (InputStream in = getParent().getResourceAsStream(internalName + ".class")) {
          original = in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        byte[] woven = weaver.transform(null, this, internalName, null, null, original);
        byte[] bytes = woven != null ? woven : original;
        return defineClass(name, bytes, 0, bytes.length);
      }
    }
  }
}
