package dev.conductor.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;

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
  private static final String BOOTSTRAP_PREFIX = "dev/conductor/bootstrap/";
  private static final String LAUNCHER_PREFIX = "dev/conductor/bootstrap/launch/";
  private static final String JCTOOLS_PREFIX = "dev/conductor/shaded/jctools/";
  private static final int CONSTANT_CLASS = 7;
  private static final String BOOT_CLASS_LIST = "inst/dev/conductor/boot-classes.list";

  private BootstrapInjector() {}

  /** Defines every bootstrap class of {@code agentJar}; idempotent per JVM. */
  static void inject(Instrumentation instrumentation, File agentJar) throws Throwable {
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
    // A method handle called with its exact type: reflection on JDK 18+ spins method handle
    // adapters for this signature first, some 40 ms of the host's startup on JDK 25.
    MethodHandle define =
        MethodHandles.lookup()
            .unreflect(
                unsafeClass.getMethod(
                    "defineClass",
                    String.class,
                    byte[].class,
                    int.class,
                    int.class,
                    ClassLoader.class,
                    ProtectionDomain.class))
            .bindTo(unsafe);
    defineAll(readBootClasses(agentJar), define);
  }

  private static boolean alreadyDefined() {
    try {
      Class.forName("dev.conductor.bootstrap.TaskRecorder", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Reads the {@code dev.conductor.bootstrap} classes and, of the relocated JCTools, only the
   * classes they reach: those named in their constant pools, transitively. JCTools has some 180
   * classes; the two queues the recorders use need a few dozen.
   */
  private static Map<String, byte[]> readBootClasses(File agentJar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (JarFile jar = new JarFile(agentJar, false)) {
      Deque<String> toRead = new ArrayDeque<>();
      for (String path : bootClassList(jar)) {
        toRead.add(path.substring(0, path.length() - ".class".length()));
      }
      while (!toRead.isEmpty()) {
        String internalName = toRead.poll();
        if (classes.containsKey(internalName)) {
          continue;
        }
        JarEntry entry = jar.getJarEntry(internalName + ".class");
        if (entry == null) {
          continue; // a JDK class
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        classes.put(internalName, bytes);
        for (String referenced : referencedClasses(bytes)) {
          if (isBoot(referenced) && !classes.containsKey(referenced)) {
            toRead.add(referenced);
          }
        }
      }
    }
    return classes;
  }

  /** The {@code dev.conductor.bootstrap} class files, as listed by the build. */
  private static List<String> bootClassList(JarFile jar) throws IOException {
    JarEntry entry = jar.getJarEntry(BOOT_CLASS_LIST);
    if (entry == null) {
      throw new IOException(BOOT_CLASS_LIST + " is missing from the agent jar");
    }
    List<String> paths = new ArrayList<>();
    try (InputStream in = jar.getInputStream(entry)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.strip().endsWith(".class")) {
          paths.add(line.strip());
        }
      }
    }
    return paths;
  }

  /** The classes a class file names in its constant pool (supertypes included). */
  private static List<String> referencedClasses(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    char[] buffer = new char[reader.getMaxStringLength()];
    List<String> names = new ArrayList<>();
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset > 0 && classFile[offset - 1] == CONSTANT_CLASS) {
        String name = reader.readUTF8(offset, buffer);
        int element = name.lastIndexOf('[');
        if (element >= 0) { // an array: its element type, if a class
          name = name.endsWith(";") ? name.substring(element + 2, name.length() - 1) : "";
        }
        names.add(name);
      }
    }
    return names;
  }

  private static boolean isBoot(String internalName) {
    return internalName.startsWith(BOOTSTRAP_PREFIX) && !internalName.startsWith(LAUNCHER_PREFIX)
        || internalName.startsWith(JCTOOLS_PREFIX);
  }

  /** Defines each class after its superclass and interfaces, as the JVM requires. */
  private static void defineAll(Map<String, byte[]> classes, MethodHandle define) throws Throwable {
    Set<String> defined = new HashSet<>();
    for (String internalName : classes.keySet()) {
      define(internalName, classes, defined, define);
    }
  }

  private static void define(
      String internalName, Map<String, byte[]> classes, Set<String> defined, MethodHandle define)
      throws Throwable {
    byte[] bytes = classes.get(internalName);
    if (bytes == null || !defined.add(internalName)) {
      return;
    }
    ClassReader header = new ClassReader(bytes);
    define(header.getSuperName(), classes, defined, define);
    for (String anInterface : header.getInterfaces()) {
      define(anInterface, classes, defined, define);
    }
    Class<?> unused =
        (Class<?>)
            define.invokeExact(
                internalName.replace('/', '.'),
                bytes,
                0,
                bytes.length,
                (ClassLoader) null,
                (ProtectionDomain) null);
  }
}
