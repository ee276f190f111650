package dev.conductor.instrumentation;

import java.io.IOException;
import java.io.InputStream;
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

/**
 * Checks at startup that a configured type and its methods exist, by reading class files from the
 * application class path without loading (or initializing) any class of the host.
 */
public final class PointVerifier {
  private final ClassLoader loader;
  private final Map<String, Optional<ClassFile>> read = new HashMap<>();

  public PointVerifier(ClassLoader applicationLoader) {
    this.loader = applicationLoader;
  }

  /** Returns what is wrong with {@code type}/{@code methods}, or empty when both are found. */
  public Optional<String> problem(String type, List<String> methods) {
    String internalName = type.replace('.', '/');
    if (classFile(internalName).isEmpty()) {
      return Optional.of("class " + type + " was not found on the application class path");
    }
    for (String method : methods) {
      if (!declares(internalName, method, new HashSet<>())) {
        return Optional.of("class " + type + " has no method named " + method);
      }
    }
    return Optional.empty();
  }

  /** Looks through the class, its superclasses and interfaces, as the weaver will at run time. */
  private boolean declares(String internalName, String method, Set<String> seen) {
    if (internalName == null || !seen.add(internalName)) {
      return false;
    }
    Optional<ClassFile> found = classFile(internalName);
    if (found.isEmpty()) {
      return false;
    }
    ClassFile file = found.get();
    if (file.methods().contains(method) || declares(file.superName(), method, seen)) {
      return true;
    }
    for (String anInterface : file.interfaces()) {
      if (declares(anInterface, method, seen)) {
        return true;
      }
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

  /** The part of a class file the check needs: the supertypes and the method names. */
  private record ClassFile(String superName, String[] interfaces, Set<String> methods) {
    static ClassFile of(ClassReader reader) {
      Set<String> methods = new HashSet<>();
      reader.accept(
          new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] thrown) {
              if (!name.startsWith("<")) {
                methods.add(name);
              }
              return null;
            }
          },
          ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return new ClassFile(reader.getSuperName(), reader.getInterfaces(), methods);
    }
  }
}
