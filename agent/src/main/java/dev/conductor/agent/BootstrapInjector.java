package dev.conductor.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the agent's bootstrap classes ({@code dev.conductor.bootstrap} and the relocated JCTools
 * it uses) directly in the bootstrap class loader.
 *
 * <p>Why not {@link Instrumentation#appendToBootstrapClassLoaderSearch}: appending a jar to the
 * bootstrap path makes the JVM switch class-data sharing off for every class of the application and
 * print a warning about it on stderr. Defining the few classes we need keeps CDS on and stderr
 * clean. {@code jdk.internal.misc} is opened to this class's module alone, never to the host.
 *
 * <p>Must not reference any bootstrap class itself: it runs before they exist.
 */
final class BootstrapInjector {
  private static final String[] BOOT_PREFIXES = {
    "dev/conductor/bootstrap/", "dev/conductor/shaded/jctools/"
  };
  private static final String LAUNCHER_PREFIX = "dev/conductor/bootstrap/launch/";

  private BootstrapInjector() {}

  /** Defines every bootstrap class of {@code agentJar}; idempotent per JVM. */
  static void inject(Instrumentation instrumentation, File agentJar) throws Exception {
    if (alreadyDefined()) {
      return;
    }
    Module base = Object.class.getModule();
    instrumentation.redefineModule(
        base,
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(BootstrapInjector.class.getModule())),
        Map.of(),
        Set.of(),
        Map.of());
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method define =
        unsafeClass.getMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ClassLoader.class,
            ProtectionDomain.class);
    defineAll(readBootClasses(agentJar), unsafe, define);
  }

  private static boolean alreadyDefined() {
    try {
      Class.forName("dev.conductor.bootstrap.TaskRecorder", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Map<String, byte[]> readBootClasses(File agentJar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (JarFile jar = new JarFile(agentJar, false)) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String path = entry.getName();
        if (path.endsWith(".class") && isBoot(path)) {
          try (InputStream in = jar.getInputStream(entry)) {
            String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
            classes.put(name, in.readAllBytes());
          }
        }
      }
    }
    return classes;
  }

  private static boolean isBoot(String path) {
    if (path.startsWith(LAUNCHER_PREFIX)) {
      return false;
    }
    for (String prefix : BOOT_PREFIXES) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Defining a class needs its superclass and interfaces defined first. Rather than sort the
   * hierarchy, each round defines what it can and leaves the rest for the next round.
   */
  private static void defineAll(Map<String, byte[]> pending, Object unsafe, Method define)
      throws Exception {
    while (!pending.isEmpty()) {
      int before = pending.size();
      Throwable lastFailure = null;
      for (var iterator = pending.entrySet().iterator(); iterator.hasNext(); ) {
        Map.Entry<String, byte[]> entry = iterator.next();
        byte[] bytes = entry.getValue();
        try {
          define.invoke(unsafe, entry.getKey(), bytes, 0, bytes.length, null, null);
          iterator.remove();
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof NoClassDefFoundError)) {
            throw e;
          }
          lastFailure = e.getCause(); // a supertype is not defined yet: try in the next round
        }
      }
      if (pending.size() == before) {
        throw new IllegalStateException(
            "cannot define bootstrap classes " + pending.keySet(), lastFailure);
      }
    }
  }
}
