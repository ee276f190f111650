package dev.conductor.instrumentation.weave;

import dev.conductor.bootstrap.SpanNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves the hooks of the matching rules into one class file. Adds no member, changes no signature:
 * the result is valid for retransforming a class already loaded.
 */
final class ClassWeaver {
  private static final int NOT_WOVEN =
      Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC;

  private ClassWeaver() {}

  /** Returns the woven class file, or null when no method of the class matched a rule. */
  static byte[] weave(byte[] classFile, List<Rule> rules) {
    ClassReader reader = new ClassReader(classFile);
    Shape shape = Shape.of(reader, rules);
    ClassWriter writer = new ClassWriter(reader, 0);
    Visitor visitor = new Visitor(writer, rules, shape);
    reader.accept(visitor, ClassReader.EXPAND_FRAMES);
    return visitor.woven ? writer.toByteArray() : null;
  }

  /**
   * What the weaving needs to know before it starts: each method's locals, the pool field, and the
   * runtime-visible annotations of each method with their {@code value} (a span's name, say). Only
   * methods that a rule may match are read: parsing every method's code of a large class such as
   * {@code ThreadPoolExecutor}, in a JVM that has barely started, is most of its weaving time,
   * which the host's startup pays for the JDK pool classes.
   */
  private record Shape(
      Map<String, Integer> maxLocals,
      String executorField,
      Map<String, Map<String, String>> annotations) {
    static Shape of(ClassReader reader, List<Rule> rules) {
      Map<String, Integer> maxLocals = new HashMap<>();
      Map<String, Map<String, String>> annotations = new HashMap<>();
      String[] executorField = new String[1];
      reader.accept(
          new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(
                int access, String name, String descriptor, String signature, Object value) {
              if (name.equals("executor") && (access & Opcodes.ACC_STATIC) == 0) {
                executorField[0] = descriptor;
              }
              return null;
            }

            @Override
            public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] thrown) {
              if (!mayMatch(rules, name)) {
                return null; // not woven: its code is not read
              }
              String method = name + descriptor;
              return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                  if (!visible) {
                    return null;
                  }
                  Map<String, String> found = annotations.get(method);
                  if (found == null) {
                    found = new HashMap<>();
                    annotations.put(method, found);
                  }
                  Map<String, String> values = found;
                  values.put(annotation, "");
                  return new AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public void visit(String element, Object value) {
                      if ("value".equals(element) && value instanceof String text) {
                        values.put(annotation, text);
                      }
                    }
                  };
                }

                @Override
                public void visitMaxs(int maxStack, int locals) {
                  maxLocals.put(method, locals);
                }
              };
            }
          },
          ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return new Shape(maxLocals, executorField[0], annotations);
    }

    private static boolean mayMatch(List<Rule> rules, String method) {
      for (Rule rule : rules) {
        if (rule.methods().mayMatch(method)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Visitor extends ClassVisitor {
    private final List<Rule> rules;
    private final Shape shape;
    private String owner;
    boolean woven;

    Visitor(ClassVisitor next, List<Rule> rules, Shape shape) {
      super(Opcodes.ASM9, next);
      this.rules = rules;
      this.shape = shape;
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
      super.visit(version, access, name, signature, superName, interfaces);
    }

    /** An annotation's value when it has one, else the class's simple name and the method's. */
    private String spanName(String value, String method) {
      if (value != null && !value.isBlank()) {
        return value;
      }
      return owner.substring(owner.lastIndexOf('/') + 1) + "." + method;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      Integer maxLocals = shape.maxLocals().get(name + descriptor);
      if (next == null || (access & NOT_WOVEN) != 0 || maxLocals == null) {
        return next;
      }
      Map<String, String> annotations =
          shape.annotations().getOrDefault(name + descriptor, Map.of());
      List<Hook> hooks = new ArrayList<>();
      for (Rule rule : rules) {
        if (rule.methods().matches(name, descriptor, annotations.keySet())) {
          String annotation = rule.methods().annotation();
          hooks.add(
              annotation == null
                  ? rule.hook()
                  : rule.hook()
                      .at(SpanNames.register(spanName(annotations.get(annotation), name)), 0));
        }
      }
      if (hooks.isEmpty()) {
        return next;
      }
      woven = true;
      return new MethodWeaver(
          next, owner, access, name, descriptor, maxLocals, hooks, shape.executorField());
    }
  }
}
