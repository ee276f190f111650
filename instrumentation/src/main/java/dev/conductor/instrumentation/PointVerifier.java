package dev.conductor.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Checks at startup that a configured type and its methods exist, and finds the types of their
 * parameters, by reading class files from the application class path without loading (or
 * initializing) any class of the host. Each class file is read once. Premain's thread only.
 */
public final class PointVerifier {
  private final ClassLoader loader;
  private final Map<String, Optional<ClassFile>> read = new HashMap<>();

  public PointVerifier(ClassLoader applicationLoader) {
    this.loader = applicationLoader;
  }

  /**
   * What the check found about one point.
   *
   * @param fatal the point can never match: the config is refused
   * @param method the method the finding is about, or null when it is about the type
   * @param message what is wrong, in words for the user
   */
  public record Finding(boolean fatal, String method, String message) {}

  /**
   * Returns what is wrong with {@code type}/{@code methods}, or empty when the type declares each
   * method or has it from an interface (which the classes that match implement).
   *
   * <p>A method the type only inherits from a superclass is a finding that is not fatal: the weaver
   * instruments methods where the matching classes declare them, so calls of the superclass's
   * method are not recorded, but a subclass of the type that overrides it is.
   */
  public Optional<Finding> check(String type, List<String> methods) {
    String internalName = type.replace('.', '/');
    Optional<ClassFile> file = classFile(internalName);
    if (file.isEmpty()) {
      return Optional.of(
          new Finding(
              true, null, "class " + type + " was not found on the application class path"));
    }
    for (String method : methods) {
      if (file.get().methods().contains(method)
          || declaredByInterface(file.get().interfaces(), method)) {
        continue;
      }
      String inheritedFrom = superclassDeclaring(file.get().superName(), method);
      if (inheritedFrom == null) {
        return Optional.of(
            new Finding(true, method, "class " + type + " has no method named " + method));
      }
      String superclass = inheritedFrom.replace('/', '.');
      return Optional.of(
          new Finding(
              false,
              method,
              type
                  + " does not declare "
                  + method
                  + " but inherits it from "
                  + superclass
                  + ": its calls are not recorded unless a subclass of "
                  + type
                  + " overrides it (name "
                  + superclass
                  + " as the type to record them)"));
    }
    return Optional.empty();
  }

  /** The superclass, from {@code internalName} up, that declares {@code method}; or null. */
  private String superclassDeclaring(String internalName, String method) {
    for (String name = internalName; name != null; ) {
      Optional<ClassFile> file = classFile(name);
      if (file.isEmpty()) {
        return null;
      }
      if (file.get().methods().contains(method)) {
        return name;
      }
      name = file.get().superName();
    }
    return null;
  }

  /** Whether one of {@code interfaces} or the interfaces they extend declares {@code method}. */
  private boolean declaredByInterface(String[] interfaces, String method) {
    Set<String> seen = new HashSet<>();
    java.util.ArrayDeque<String> toRead = new java.util.ArrayDeque<>(List.of(interfaces));
    while (!toRead.isEmpty()) {
      String name = toRead.poll();
      Optional<ClassFile> file = seen.add(name) ? classFile(name) : Optional.empty();
      if (file.isEmpty()) {
        continue;
      }
      if (file.get().methods().contains(method)) {
        return true;
      }
      toRead.addAll(List.of(file.get().interfaces()));
    }
    return false;
  }

  private Optional<ClassFile> classFile(String internalName) {
    Optional<ClassFile> file = read.get(internalName);
    if (file == null) {
      file = readClassFile(internalName);
      read.put(internalName, file);
    }
    return file;
  }

  private Optional<ClassFile> readClassFile(String internalName) {
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(ClassFile.of(new ClassReader(in)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The classes that methods {@code methods} of {@code type} declare as their parameter {@code
   * index} (binary names; primitive and array types left out), as the class file of {@code type}
   * says; empty when it cannot be read.
   */
  public Set<String> parameterTypes(String type, List<String> methods, int index) {
    Optional<ClassFile> file = classFile(type.replace('.', '/'));
    Set<String> types = new HashSet<>();
    if (file.isEmpty()) {
      return types;
    }
    for (String method : methods) {
      for (String descriptor : file.get().descriptors().getOrDefault(method, List.of())) {
        Type[] parameters = Type.getArgumentTypes(descriptor);
        if (index < parameters.length && parameters[index].getSort() == Type.OBJECT) {
          types.add(parameters[index].getClassName());
        }
      }
    }
    return types;
  }

  /**
   * The part of a class file the check needs: the supertypes and the methods' descriptors by name.
   */
  private record ClassFile(
      String superName, String[] interfaces, Map<String, List<String>> descriptors) {
    Set<String> methods() {
      return descriptors.keySet();
    }

    static ClassFile of(ClassReader reader) {
      Map<String, List<String>> descriptors = new HashMap<>();
      reader.accept(
          new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] thrown) {
              // No lambda here: this runs in premain, where a first lambda costs the host's startup
              // the spinning of its class.
              if (!name.startsWith("<")) {
                List<String> overloads = descriptors.get(name);
                if (overloads == null) {
                  overloads = new ArrayList<>();
                  descriptors.put(name, overloads);
                }
                overloads.add(descriptor);
              }
              return null;
            }
          },
          ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return new ClassFile(reader.getSuperName(), reader.getInterfaces(), descriptors);
    }
  }
}
