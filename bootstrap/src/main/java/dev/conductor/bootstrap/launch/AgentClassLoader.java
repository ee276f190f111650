package dev.conductor.bootstrap.launch;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.SecureClassLoader;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes and its relocated libraries from the agent jar's class archive
 * ({@link ClassArchive}, under {@code inst/}), and their resources from the jar's {@code inst/}
 * tree, where neither the application class loader nor a classpath scanner in the host ever sees
 * them.
 *
 * <p>The parent is the platform loader: the agent sees the JDK and, through the bootstrap path,
 * {@code dev.conductor.bootstrap}, but never the host's classes. A host that ships its own Byte
 * Buddy, Netty or SnakeYAML therefore cannot clash with ours.
 */
public final class AgentClassLoader extends SecureClassLoader {
  public static final String PREFIX = "inst/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final ClassArchive classes;
  private final String jarUrl;
  private final ProtectionDomain domain;

  public AgentClassLoader(File agentJar) throws IOException {
    super("conductor-agent", ClassLoader.getPlatformClassLoader());
    this.jar = new JarFile(agentJar, false);
    this.classes = ClassArchive.open(jar, PREFIX + CLASSES);
    this.jarUrl = "jar:" + agentJar.toURI() + "!/";
    this.domain =
        new ProtectionDomain(
            new CodeSource(agentJar.toURI().toURL(), (Certificate[]) null), null, this, null);
  }

  /** The agent's entry class: it registers an instance of itself when it is initialized. */
  static final String ENTRY_CLASS = "dev.conductor.agent.AgentLaunch";

  /** Written by the thread that starts the agent, read by the preloading thread. */
  private volatile AgentEntry entry;

  /**
   * The agent's entry, which initializing {@code entryClass} registers: no reflection, no method
   * handle (see {@link AgentEntry}).
   */
  AgentEntry entry(String entryClass) throws ClassNotFoundException {
    Class.forName(entryClass, true, this);
    if (entry == null) {
      throw new ClassNotFoundException(entryClass + " did not register an entry");
    }
    return entry;
  }

  /**
   * Registers the agent's entry with the loader of its class; called by the entry class's static
   * initializer, on the thread of {@link #entry}, which reads it back.
   */
  public static void register(AgentEntry entry) {
    ((AgentClassLoader) entry.getClass().getClassLoader()).entry = entry;
  }

  /**
   * {@link AgentEntry} and this class come from the loader that loaded {@link Premain}, so that the
   * agent's entry implements the very interface the launcher calls and registers with this loader;
   * every other class as the class comment says.
   */
  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.equals(AgentEntry.class.getName())) {
      return AgentEntry.class;
    }
    if (name.equals(AgentClassLoader.class.getName())) {
      return AgentClassLoader.class;
    }
    return super.loadClass(name, resolve);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes;
    try {
      bytes = classes.read(name);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      String packageName = className.substring(0, dot);
      if (getDefinedPackage(packageName) == null) {
        try {
          definePackage(packageName, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException alreadyDefinedByAnotherThread) {
          // Parallel class loading can race here; the package exists either way.
        }
      }
    }
  }

  /**
   * Defines, without initializing, the classes the agent's start needs ({@code
   * inst/dev/conductor/startup-classes.bin}, written by the build with their bytes, in the order
   * the start needs them): run on a second thread while the agent's first steps run on the host's,
   * so that reading and defining those classes overlaps with them. One stream over one jar entry,
   * not an entry per class. A class that fails to define here is left for its first real use, which
   * reports the failure where it matters.
   *
   * <p>The bytecode library's classes ({@link #INITIALIZED_EARLY}) come first in that file, and
   * this thread also initializes them as soon as they are defined: verifying and initializing them
   * is most of what the first class woven costs, and that is {@code ThreadPoolExecutor}, woven in
   * premain, which waits for it (measured: its weaving took 15-27 ms without this, 7-21 ms with the
   * library initialized after all the other classes, 8 ms when this thread was done first; putting
   * the library first took premain 3-8 ms less again). The library is pure code, so running its
   * static initializers on this thread changes nothing else. Then it runs the agent's {@link
   * AgentEntry#warmUp}, if the agent has registered its entry by then.
   */
  void preloadStartupClasses() {
    JarEntry entry = jar.getJarEntry(PREFIX + STARTUP_CLASSES);
    if (entry == null) {
      return;
    }
    List<String> initializedEarly = new ArrayList<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(jar.getInputStream(entry), 1 << 16))) {
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        if (name.startsWith(INITIALIZED_EARLY)) {
          initializedEarly.add(name);
        } else {
          initialize(initializedEarly); // the library's classes come first: all defined now
        }
        preload(name, bytes);
      }
    } catch (IOException e) {
      // the rest loads on first use
    }
    initialize(initializedEarly);
    AgentEntry registered = this.entry;
    if (registered != null) {
      try {
        registered.warmUp();
      } catch (RuntimeException | LinkageError e) {
        // nothing warmed then; an uncaught error would print on the host's stderr
      }
    }
  }

  private void initialize(List<String> names) {
    for (String name : names) {
      try {
        Class.forName(name, true, this);
      } catch (ClassNotFoundException | LinkageError e) {
        // left for its first real use
      }
    }
    names.clear();
  }

  /** The package prefix of the classes {@link #preloadStartupClasses} also initializes. */
  private static final String INITIALIZED_EARLY = "dev.conductor.shaded.asm.";

  private void preload(String name, byte[] bytes) {
    synchronized (getClassLoadingLock(name)) {
      if (findLoadedClass(name) != null) {
        return; // the host's thread, or a subclass of it defined here, needed it first
      }
      try {
        definePackageOf(name);
        defineClass(name, bytes, 0, bytes.length, domain);
      } catch (LinkageError e) {
        // left for its first real use
      }
    }
  }

  static final String STARTUP_CLASSES = "dev/conductor/startup-classes.bin";

  /** The {@link ClassArchive} of every class this loader defines. */
  public static final String CLASSES = "dev/conductor/classes.bin";

  /** The list of bootstrap classes, which only the agent jar holds. */
  static final String BOOT_CLASSES = "dev/conductor/boot-classes.list";

  static boolean isAgentJar(File file) {
    try (JarFile candidate = new JarFile(file, false)) {
      return candidate.getJarEntry(PREFIX + BOOT_CLASSES) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A class file as a resource is read from the class archive, through a URL of its own; any other
   * resource is an entry of the jar's {@code inst/} tree.
   */
  @Override
  protected URL findResource(String name) {
    try {
      if (name.endsWith(".class")) {
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        return classes.contains(className)
            ? new URL(ARCHIVE_PROTOCOL, null, -1, "/" + name, new ArchivedClassHandler(className))
            : null;
      }
      String path = PREFIX + name;
      return jar.getJarEntry(path) == null ? null : new URL(jarUrl + path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The protocol of the URLs of class files read from the archive. */
  static final String ARCHIVE_PROTOCOL = "conductor-agent";

  /** Opens the URL of one archived class file. */
  private final class ArchivedClassHandler extends URLStreamHandler {
    private final String className;

    ArchivedClassHandler(String className) {
      this.className = className;
    }

    @Override
    protected URLConnection openConnection(URL url) {
      return new URLConnection(url) {
        @Override
        public void connect() {}

        @Override
        public InputStream getInputStream() throws IOException {
          byte[] classFile = classes.read(className);
          if (classFile == null) {
            throw new FileNotFoundException(url.toString());
          }
          return new ByteArrayInputStream(classFile);
        }
      };
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
  }
}
