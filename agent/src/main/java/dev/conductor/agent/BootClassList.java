package dev.conductor.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;

/**
 * Run by the build, not by the agent: writes the list of classes {@link BootstrapInjector} defines
 * in the bootstrap class loader, in an order it can define them in (each class after its superclass
 * and interfaces). The {@code dev.conductor.bootstrap} classes, and of the relocated JCTools only
 * the classes they reach through their constant pools, transitively: JCTools has some 180 classes,
 * the two queues the recorders use need a few dozen. Working this out at build time keeps a class
 * file parser and a jar walk off the host's startup path.
 *
 * <p>It also writes the same classes, in the same order, into one file that the injector reads with
 * a single stream: read one by one from the jar, in a JVM that has barely started, the 57 class
 * files took 5-12 ms of the host's startup.
 *
 * <p>Usage: {@code BootClassList <unpacked agent jar contents> <list file> <classes file>}
 */
public final class BootClassList {
  private static final String BOOTSTRAP_PREFIX = "dev/conductor/bootstrap/";
  private static final String LAUNCHER_PREFIX = "dev/conductor/bootstrap/launch/";
  private static final String JCTOOLS_PREFIX = "dev/conductor/shaded/jctools/";
  private static final int CONSTANT_CLASS = 7;

  private BootClassList() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    List<String> ordered = definitionOrder(read(root));
    List<String> lines = new ArrayList<>();
    for (String internalName : ordered) {
      lines.add(internalName + ".class");
    }
    Files.write(Path.of(args[1]), lines, StandardCharsets.UTF_8);
    ClassesFile.write(root, ordered, Path.of(args[2]));
  }

  /** The bootstrap package's classes and what they reach of JCTools, by internal name. */
  private static Map<String, byte[]> read(Path root) throws IOException {
    Deque<String> toRead = new ArrayDeque<>();
    try (Stream<Path> files = Files.walk(root.resolve(BOOTSTRAP_PREFIX))) {
      files
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .filter(name -> name.endsWith(".class") && isBoot(name))
          .sorted()
          .forEach(name -> toRead.add(name.substring(0, name.length() - ".class".length())));
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    while (!toRead.isEmpty()) {
      String internalName = toRead.poll();
      Path file = root.resolve(internalName + ".class");
      if (classes.containsKey(internalName) || !Files.exists(file)) {
        continue; // seen, or a JDK class
      }
      byte[] bytes = Files.readAllBytes(file);
      classes.put(internalName, bytes);
      for (String referenced : referencedClasses(bytes)) {
        if (isBoot(referenced) && !classes.containsKey(referenced)) {
          toRead.add(referenced);
        }
      }
    }
    return classes;
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

  /** Each class after its superclass and interfaces, as the JVM requires. */
  private static List<String> definitionOrder(Map<String, byte[]> classes) {
    Set<String> ordered = new LinkedHashSet<>();
    for (String internalName : classes.keySet()) {
      visit(internalName, classes, ordered);
    }
    return new ArrayList<>(ordered);
  }

  private static void visit(String internalName, Map<String, byte[]> classes, Set<String> ordered) {
    byte[] bytes = classes.get(internalName);
    if (bytes == null || ordered.contains(internalName)) {
      return;
    }
    ClassReader header = new ClassReader(bytes);
    visit(header.getSuperName(), classes, ordered);
    for (String anInterface : header.getInterfaces()) {
      visit(anInterface, classes, ordered);
    }
    ordered.add(internalName);
  }
}
