package dev.conductor.agent;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
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
 * clean. {@code jdk.internal.misc} is exported to this class's module alone, never to the host.
 *
 * <p>Must not reference any bootstrap class itself: it runs before they exist.
 */
final class BootstrapInjector {
  private static final String BOOT_CLASSES = "inst/dev/conductor/boot-classes.bin";

  private BootstrapInjector() {}

  /** Defines every bootstrap class of {@code agentJar}; idempotent per JVM. */
  static void inject(Instrumentation instrumentation, File agentJar) throws IOException {
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
    defineAll(agentJar);
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
   * Defines the classes {@link BootClassList} wrote at build time, in their order: each after its
   * superclass and interfaces. One stream over one jar entry, not one entry per class.
   */
  private static void defineAll(File agentJar) throws IOException {
    try (JarFile jar = new JarFile(agentJar, false)) {
      JarEntry entry = jar.getJarEntry(BOOT_CLASSES);
      if (entry == null) {
        throw new IOException(BOOT_CLASSES + " is missing from the agent jar");
      }
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(jar.getInputStream(entry), 1 << 16))) {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
          String name = in.readUTF();
          byte[] bytes = new byte[in.readInt()];
          in.readFully(bytes);
          InternalDefiner.define(name, bytes);
        }
      }
    }
  }

  /**
   * Calls {@code jdk.internal.misc.Unsafe} directly (the build compiles this module with that
   * package exported to it): a reflective call or a method handle would spin method handle classes
   * for its signature first, 5-7 ms of the host's startup measured. A class of its own, so that the
   * JVM resolves {@code Unsafe} only when it first runs, after {@link #inject} exported the package
   * to this module.
   */
  private static final class InternalDefiner {
    private static final jdk.internal.misc.Unsafe UNSAFE = jdk.internal.misc.Unsafe.getUnsafe();

    static void define(String name, byte[] bytes) {
      UNSAFE.defineClass(name, bytes, 0, bytes.length, null, null);
    }
  }
}
