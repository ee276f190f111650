package dev.conductor.instrumentation.weave;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;

/**
 * Answers "which of the names the rules ask about is this class, or does it extend or implement?"
 * for a class that is being loaded, before it is defined: its supertypes may not be loaded yet, so
 * their class files are read as resources of the class's loader (the JDK's are loaded, never
 * initialized). Nothing of the host is loaded or initialized by the agent.
 *
 * <p>Answers are cached per class loader (weakly, so that a loader can be collected) and the cache
 * of each loader is bounded: past {@link #MAX_CACHED_PER_LOADER} it starts over.
 */
final class Supertypes {
  static final int MAX_CACHED_PER_LOADER = 50_000;
  private static final int MAX_DEPTH = 64;

  private final Set<String> names;
  private final Map<ClassLoader, Map<String, Set<String>>> cache =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final Map<String, Set<String>> bootCache = new ConcurrentHashMap<>();

  /**
   * @param names binary names (with dots) of the types the rules ask about
   */
  Supertypes(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /** For a class being loaded, from its own class file header. */
  Set<String> of(ClassLoader loader, String internalName, String superName, String[] interfaces) {
    Set<String> found = new HashSet<>();
    addIfAsked(found, internalName);
    collect(found, loader, superName, 0);
    for (String anInterface : interfaces) {
      collect(found, loader, anInterface, 0);
    }
    Set<String> result = found.isEmpty() ? Set.of() : Set.copyOf(found);
    cacheOf(loader).put(internalName, result);
    return result;
  }

  /** Whether {@code className} is one of the names the rules ask about. */
  boolean asks(String className) {
    return names.contains(className);
  }

  /** For a class already loaded, through reflection. */
  Set<String> of(Class<?> type) {
    Set<String> found = new HashSet<>();
    collect(found, type);
    return found;
  }

  private void collect(Set<String> found, Class<?> type) {
    if (type == null) {
      return;
    }
    if (names.contains(type.getName())) {
      found.add(type.getName());
    }
    collect(found, type.getSuperclass());
    for (Class<?> anInterface : type.getInterfaces()) {
      collect(found, anInterface);
    }
  }

  private void collect(Set<String> found, ClassLoader loader, String internalName, int depth) {
    if (internalName == null || depth > MAX_DEPTH || internalName.equals("java/lang/Object")) {
      return;
    }
    found.addAll(resolve(loader, internalName, depth));
  }

  private Set<String> resolve(ClassLoader loader, String internalName, int depth) {
    Map<String, Set<String>> cached = cacheOf(loader);
    Set<String> known = cached.get(internalName);
    if (known != null) {
      return known;
    }
    Set<String> found = new HashSet<>();
    Class<?> jdkType = jdkType(internalName);
    if (jdkType != null) {
      collect(found, jdkType);
    } else {
      ClassReader header = header(loader, internalName);
      if (header != null) {
        addIfAsked(found, internalName);
        collect(found, loader, header.getSuperName(), depth + 1);
        for (String anInterface : header.getInterfaces()) {
          collect(found, loader, anInterface, depth + 1);
        }
      }
    }
    Set<String> result = found.isEmpty() ? Set.of() : Set.copyOf(found);
    if (cached.size() >= MAX_CACHED_PER_LOADER) {
      cached.clear();
    }
    cached.put(internalName, result);
    return result;
  }

  private void addIfAsked(Set<String> found, String internalName) {
    String name = internalName.replace('/', '.');
    if (names.contains(name)) {
      found.add(name);
    }
  }

  private Map<String, Set<String>> cacheOf(ClassLoader loader) {
    if (loader == null) {
      return bootCache;
    }
    Map<String, Set<String>> forLoader = cache.get(loader);
    if (forLoader == null) {
      Map<String, Set<String>> added = new ConcurrentHashMap<>();
      forLoader = cache.putIfAbsent(loader, added);
      if (forLoader == null) {
        forLoader = added;
      }
    }
    return forLoader;
  }

  /**
   * The JDK's own types ({@code java.*}) through reflection: cheaper than reading their class
   * files, and loading a JDK class runs none of the host's code.
   */
  private static Class<?> jdkType(String internalName) {
    if (!internalName.startsWith("java/")) {
      return null;
    }
    try {
      return Class.forName(
          internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /**
   * Whether a class of this superclass and these interfaces is, or may be, a subtype of the JDK's
   * {@code type}: true also when a supertype's class file cannot be read, for a caller that must
   * err on the safe side. Not cached: for the few classes that get trace context fields.
   */
  static boolean mayBeSubtypeOf(
      Class<?> type, ClassLoader loader, String superName, String[] interfaces) {
    ArrayDeque<String> toRead = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    if (superName != null) {
      toRead.add(superName);
    }
    toRead.addAll(List.of(interfaces));
    while (!toRead.isEmpty()) {
      String name = toRead.poll();
      if (!seen.add(name) || name.equals("java/lang/Object")) {
        continue;
      }
      if (seen.size() > MAX_DEPTH * 4) {
        return true; // a hierarchy this deep is not worth the risk
      }
      Class<?> jdk = jdkType(name);
      if (jdk != null) {
        if (type.isAssignableFrom(jdk)) {
          return true;
        }
        continue;
      }
      ClassReader header = name.startsWith("java/") ? null : header(loader, name);
      if (header == null) {
        return true; // unknown
      }
      if (header.getSuperName() != null) {
        toRead.add(header.getSuperName());
      }
      toRead.addAll(List.of(header.getInterfaces()));
    }
    return false;
  }

  private static ClassReader header(ClassLoader loader, String internalName) {
    ClassLoader source = loader != null ? loader : ClassLoader.getSystemClassLoader();
    try (InputStream in = source.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : new ClassReader(in);
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: treated as extending nothing the rules ask about
    }
  }
}
