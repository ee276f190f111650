package dev.conductor.instrumentation;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Turns a point's label expressions into a {@link LabelCapture} the JIT can inline: one hidden
 * class per point whose {@code static final} method handles read the labels, each step specialized
 * for the class it has seen (see {@code LabelExpression.specialized()}). Read through {@code
 * PropertyStep}'s handles, which sit in fields, a label costs some 10 ns a step; through a constant
 * handle, about what the getter itself costs.
 *
 * <p>Compiling takes a few milliseconds, so it runs on a thread of the agent's own, never on the
 * host's: a point records with its general capture until the compiled one replaces it.
 */
final class CaptureCompiler {
  private static final String EVENT = "dev/conductor/bootstrap/Event";
  private static final String HANDLE = "java/lang/invoke/MethodHandle";
  private static final String LABEL_DESCRIPTOR =
      "(L" + EVENT + ";" + "Ljava/lang/Object;".repeat(6) + ")Z";

  private static final BlockingQueue<Runnable> REQUESTS = new LinkedBlockingQueue<>();
  private static volatile Thread worker;

  private CaptureCompiler() {}

  /**
   * Compiles {@code labels} on the agent's compiler thread and hands the result to {@code install}.
   * A point that cannot be compiled keeps its general capture.
   */
  static void request(PointLabels labels, Consumer<LabelCapture> install) {
    startWorker();
    REQUESTS.add(
        () -> {
          try {
            install.accept(compile(labels));
          } catch (Throwable e) {
            // the general capture stays in place; it reads the same labels, only slower
          }
        });
  }

  private static synchronized void startWorker() {
    if (worker != null) {
      return;
    }
    // Started from a host thread (the one that asked first): inherit none of its thread-locals.
    Thread thread =
        new Thread(
            null,
            () -> {
              while (true) {
                try {
                  REQUESTS.take().run();
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "conductor-agent-compiler",
            0,
            false);
    thread.setDaemon(true);
    thread.setContextClassLoader(null);
    thread.start();
    worker = thread;
  }

  /** Builds the compiled capture now, on the calling thread. */
  static LabelCapture compile(PointLabels labels) throws Throwable {
    List<MethodHandle> reads = new ArrayList<>();
    addRead(reads, labels.task(), "task", false);
    addRead(reads, labels.taskType(), "taskType", true);
    addRead(reads, labels.taskId(), "taskId", true);
    addRead(reads, labels.agentId(), "agentId", true);
    addRead(reads, labels.priority(), "priority", true);
    addRead(reads, labels.status(), "status", true);
    MethodHandles.Lookup lookup =
        MethodHandles.lookup().defineHiddenClassWithClassData(classFile(reads.size()), reads, true);
    return (LabelCapture) lookup.findConstructor(lookup.lookupClass(), VOID).invoke();
  }

  private static final MethodType VOID = MethodType.methodType(void.class);

  /**
   * One label as a handle typed {@code (Event, self, arg0..arg3, returned)boolean} that stores the
   * value in the event's field and returns whether reading it failed.
   */
  private static void addRead(
      List<MethodHandle> reads, LabelExpression expression, String field, boolean immutable)
      throws ReflectiveOperationException {
    if (expression == null) {
      return;
    }
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle value = expression.specialized();
    if (immutable) {
      value = MethodHandles.filterReturnValue(value, IMMUTABLE);
    }
    MethodHandle setter = lookup.findSetter(Event.class, field, Object.class);
    MethodHandle store = MethodHandles.collectArguments(setter, 1, value);
    MethodHandle succeeded =
        MethodHandles.filterReturnValue(store, MethodHandles.constant(boolean.class, false));
    MethodHandle failed =
        MethodHandles.dropArguments(
            MethodHandles.constant(boolean.class, true), 0, Throwable.class);
    reads.add(MethodHandles.catchException(succeeded, Throwable.class, failed));
  }

  private static final MethodHandle IMMUTABLE;

  static {
    try {
      IMMUTABLE =
          MethodHandles.lookup()
              .findStatic(
                  PointCapture.class,
                  "immutableValue",
                  MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * {@code final class CompiledCapture implements LabelCapture} with one {@code static final
   * MethodHandle} per label, taken from the class data, and a {@code capture} that calls each and
   * throws when any failed, so that the recorder counts the error as it does for the general
   * capture.
   */
  private static byte[] classFile(int labels) {
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
          @Override
          protected String getCommonSuperClass(String type1, String type2) {
            return "java/lang/Object"; // never asked: no merge of different reference types
          }
        };
    String name = "dev/conductor/instrumentation/CompiledCapture";
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_FINAL | Opcodes.ACC_SUPER,
        name,
        null,
        "java/lang/Object",
        new String[] {Type.getInternalName(LabelCapture.class)});
    for (int i = 0; i < labels; i++) {
      writer
          .visitField(
              Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
              "label" + i,
              "L" + HANDLE + ";",
              null,
              null)
          .visitEnd();
    }
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    init.visitCode();
    for (int i = 0; i < labels; i++) {
      init.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          "java/lang/invoke/MethodHandles",
          "lookup",
          "()Ljava/lang/invoke/MethodHandles$Lookup;",
          false);
      init.visitLdcInsn("_");
      init.visitLdcInsn(Type.getObjectType(HANDLE));
      init.visitLdcInsn(i);
      init.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          "java/lang/invoke/MethodHandles",
          "classDataAt",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
              + "Ljava/lang/Object;",
          false);
      init.visitTypeInsn(Opcodes.CHECKCAST, HANDLE);
      init.visitFieldInsn(Opcodes.PUTSTATIC, name, "label" + i, "L" + HANDLE + ";");
    }
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    MethodVisitor constructor = writer.visitMethod(0, "<init>", "()V", null, null);
    constructor.visitCode();
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    constructor.visitInsn(Opcodes.RETURN);
    constructor.visitMaxs(0, 0);
    constructor.visitEnd();

    MethodVisitor capture =
        writer.visitMethod(
            Opcodes.ACC_PUBLIC,
            "capture",
            "(L" + EVENT + ";" + "Ljava/lang/Object;".repeat(6) + ")V",
            null,
            null);
    capture.visitCode();
    int failed = 8; // this, event, self, arg0..arg3, returned
    capture.visitInsn(Opcodes.ICONST_0);
    capture.visitVarInsn(Opcodes.ISTORE, failed);
    for (int i = 0; i < labels; i++) {
      capture.visitFieldInsn(Opcodes.GETSTATIC, name, "label" + i, "L" + HANDLE + ";");
      for (int slot = 1; slot <= 7; slot++) {
        capture.visitVarInsn(Opcodes.ALOAD, slot);
      }
      capture.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, HANDLE, "invokeExact", LABEL_DESCRIPTOR, false);
      capture.visitVarInsn(Opcodes.ILOAD, failed);
      capture.visitInsn(Opcodes.IOR);
      capture.visitVarInsn(Opcodes.ISTORE, failed);
    }
    org.objectweb.asm.Label done = new org.objectweb.asm.Label();
    capture.visitVarInsn(Opcodes.ILOAD, failed);
    capture.visitJumpInsn(Opcodes.IFEQ, done);
    capture.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
    capture.visitInsn(Opcodes.DUP);
    capture.visitLdcInsn("a label expression failed");
    capture.visitMethodInsn(
        Opcodes.INVOKESPECIAL,
        "java/lang/IllegalStateException",
        "<init>",
        "(Ljava/lang/String;)V",
        false);
    capture.visitInsn(Opcodes.ATHROW);
    capture.visitLabel(done);
    capture.visitInsn(Opcodes.RETURN);
    capture.visitMaxs(0, 0);
    capture.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
