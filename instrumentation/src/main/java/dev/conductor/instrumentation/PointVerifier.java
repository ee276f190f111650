package dev.conductor.instrumentation;

import java.util.List;
import java.util.Optional;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Checks at startup that a configured type and its methods exist, by reading class files from the
 * application class path without loading (or initializing) any class of the host.
 */
public final class PointVerifier {
  private final TypePool pool;

  public PointVerifier(ClassLoader applicationLoader) {
    this.pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(applicationLoader));
  }

  /** Returns what is wrong with {@code type}/{@code methods}, or empty when both are found. */
  public Optional<String> problem(String type, List<String> methods) {
    TypePool.Resolution resolution = pool.describe(type);
    if (!resolution.isResolved()) {
      return Optional.of("class " + type + " was not found on the application class path");
    }
    TypeDescription description = resolution.resolve();
    for (String method : methods) {
      if (!declares(description, method)) {
        return Optional.of("class " + type + " has no method named " + method);
      }
    }
    return Optional.empty();
  }

  /** Looks through the class, its superclasses and interfaces, as the matcher will at run time. */
  private static boolean declares(TypeDefinition type, String method) {
    for (TypeDefinition current = type; current != null; current = current.getSuperClass()) {
      for (MethodDescription candidate : current.getDeclaredMethods()) {
        if (candidate.isMethod() && candidate.getName().equals(method)) {
          return true;
        }
      }
      for (TypeDefinition anInterface : current.getInterfaces()) {
        if (declares(anInterface, method)) {
          return true;
        }
      }
    }
    return false;
  }
}
