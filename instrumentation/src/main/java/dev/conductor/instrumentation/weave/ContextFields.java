package dev.conductor.instrumentation.weave;

import dev.conductor.bootstrap.ContextCarrier;
import java.io.Serializable;
import java.util.Arrays;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Gives a task class the fields that carry the trace context from its enqueue to its start, and
 * makes it a {@link ContextCarrier}: four {@code long} fields and the interface's five methods,
 * each a plain read or write.
 *
 * <p>The fields are private, transient and synthetic, so that code which copies or serializes an
 * object's fields by reflection (Gson, Java serialization, most mappers) passes them over. Classes
 * whose shape other code relies on are left alone (see {@link #canCarry}). Unlike the hooks, this
 * adds members: it is only done as a class first loads, and then again whenever that class is
 * retransformed, since a retransformation may not change a class's members.
 */
final class ContextFields {
  static final String CARRIER = Type.getInternalName(ContextCarrier.class);

  /** How the names of the fields and methods added begin. */
  private static final String PREFIX = "conductor$";

  private static final String[] FIELDS = {
    "conductor$traceHigh", "conductor$traceLow", "conductor$parentSpan", "conductor$enqueuedAt"
  };

  private static final int FIELD_ACCESS =
      Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC;

  private ContextFields() {}

  /**
   * Whether a class of this header, defined by {@code loader}, may get the fields: a class (not an
   * interface, annotation, enum, record or module) that does not already carry them, declares no
   * member of the names they use, and is not serializable unless it declares its own serial
   * version: adding an interface and methods changes the serial version that a serializable class
   * gets by default, and its objects could no longer be read by the application without the agent
   * (or the other way round). A class whose supertypes cannot all be read counts as serializable.
   */
  static boolean canCarry(ClassReader header, ClassLoader loader) {
    int notAClass =
        Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM | Opcodes.ACC_MODULE;
    String superName = header.getSuperName();
    if ((header.getAccess() & notAClass) != 0
        || "java/lang/Enum".equals(superName)
        || "java/lang/Record".equals(superName)
        || Arrays.asList(header.getInterfaces()).contains(CARRIER)) {
      return false;
    }
    Members members = Members.of(header);
    return !members.usesOurNames()
        && (members.serialVersion()
            || !Supertypes.mayBeSubtypeOf(
                Serializable.class, loader, superName, header.getInterfaces()));
  }

  /** What {@link #canCarry} needs to know of a class's own members. */
  private record Members(boolean serialVersion, boolean usesOurNames) {
    static Members of(ClassReader header) {
      boolean[] found = new boolean[2];
      header.accept(
          new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(
                int access, String name, String descriptor, String signature, Object value) {
              int constant = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
              if (name.equals("serialVersionUID")
                  && descriptor.equals("J")
                  && (access & constant) == constant) {
                found[0] = true;
              }
              found[1] |= name.startsWith(PREFIX);
              return null;
            }

            @Override
            public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] thrown) {
              found[1] |= name.startsWith(PREFIX);
              return null;
            }
          },
          ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return new Members(found[0], found[1]);
    }
  }

  /**
   * The class file with the fields, the interface and its methods added; as it is when it has them
   * already (bytes read back from a class after this transformer, to redefine it).
   */
  static byte[] add(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    if (Arrays.asList(reader.getInterfaces()).contains(CARRIER)) {
      return classFile;
    }
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new Adding(writer), 0);
    return writer.toByteArray();
  }

  private static final class Adding extends ClassVisitor {
    private String owner;

    Adding(ClassVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      owner = name;
      String[] with = Arrays.copyOf(interfaces, interfaces.length + 1);
      with[interfaces.length] = CARRIER;
      // A generic class keeps its signature valid: the interface is appended to it as well.
      String withSignature = signature == null ? null : signature + "L" + CARRIER + ";";
      super.visit(version, access, name, withSignature, superName, with);
    }

    @Override
    public void visitEnd() {
      for (String field : FIELDS) {
        super.visitField(FIELD_ACCESS, field, "J", null, null).visitEnd();
      }
      handOver();
      for (String field : FIELDS) {
        getter(field);
      }
      super.visitEnd();
    }

    private void handOver() {
      MethodVisitor method =
          super.visitMethod(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC,
              "conductor$handOver",
              "(JJJJ)V",
              null,
              null);
      method.visitCode();
      for (int i = 0; i < FIELDS.length; i++) {
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitVarInsn(Opcodes.LLOAD, 1 + 2 * i);
        method.visitFieldInsn(Opcodes.PUTFIELD, owner, FIELDS[i], "J");
      }
      method.visitInsn(Opcodes.RETURN);
      method.visitMaxs(3, 1 + 2 * FIELDS.length);
      method.visitEnd();
    }

    private void getter(String field) {
      MethodVisitor method =
          super.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, field, "()J", null, null);
      method.visitCode();
      method.visitVarInsn(Opcodes.ALOAD, 0);
      method.visitFieldInsn(Opcodes.GETFIELD, owner, field, "J");
      method.visitInsn(Opcodes.LRETURN);
      method.visitMaxs(2, 1);
      method.visitEnd();
    }
  }
}
