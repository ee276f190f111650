package dev.conductor.bootstrap.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.agent.ClassArchiveWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class archive as the build writes it ({@link ClassArchiveWriter}) and the agent's class
 * loader reads it, in a real jar.
 */
class ClassArchiveTest {
  @TempDir Path dir;

  @Test
  void everyClassWrittenIsReadBackWithItsBytesAndNothingElseIsFound() throws IOException {
    Path classes = dir.resolve("classes");
    Map<String, byte[]> written = new LinkedHashMap<>();
    Random random = new Random(7);
    // Enough names that many share a home slot and are found by probing; sizes from empty to
    // larger than the reader's buffers, with incompressible and repetitive bytes.
    for (int i = 0; i < 600; i++) {
      String path = "p" + (i % 7) + "/Name" + i + (i % 3 == 0 ? "$Inner" : "") + ".class";
      byte[] bytes = new byte[i == 0 ? 0 : random.nextInt(i % 50 == 0 ? 100_000 : 3_000)];
      if (i % 2 == 0) {
        random.nextBytes(bytes);
      }
      written.put(path, bytes);
      Files.createDirectories(classes.resolve(path).getParent());
      Files.write(classes.resolve(path), bytes);
    }
    Path jarFile = jarWith(classes, new ArrayList<>(written.keySet()), true);

    try (JarFile jar = new JarFile(jarFile.toFile())) {
      ClassArchive archive = ClassArchive.open(jar, "inst/dev/conductor/classes.bin");
      assertThat(archive.size()).isEqualTo(600);
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, byte[]> entry : written.entrySet()) {
        String name = binaryName(entry.getKey());
        names.add(name);
        assertThat(archive.read(name)).as(name).isEqualTo(entry.getValue());
        assertThat(archive.contains(name)).isTrue();
      }
      assertThat(archive.names()).containsExactlyInAnyOrderElementsOf(names);
      assertThat(archive.read("p1.Missing")).isNull();
      assertThat(archive.contains("p1.Name1.Other")).isFalse();
    }
  }

  @Test
  void theAgentLoaderDefinesArchivedClassesAndServesThemAndOtherResources() throws Exception {
    Path classes = dir.resolve("classes");
    String path = Sample.class.getName().replace('.', '/') + ".class";
    byte[] classFile;
    try (InputStream in = Sample.class.getClassLoader().getResourceAsStream(path)) {
      classFile = in.readAllBytes();
    }
    Files.createDirectories(classes.resolve(path).getParent());
    Files.write(classes.resolve(path), classFile);
    Path jarFile = jarWith(classes, List.of(path), true);

    // The loader keeps its jar open for the JVM's life, as the agent's does.
    AgentClassLoader loader = new AgentClassLoader(jarFile.toFile());
    Class<?> loaded = Class.forName(Sample.class.getName(), true, loader);
    assertThat(loaded.getClassLoader()).isSameAs(loader);
    assertThat(loaded).isNotSameAs(Sample.class);
    assertThat(loaded.getMethod("answer").invoke(null)).isEqualTo(42);

    URL classResource = loader.getResource(path);
    assertThat(classResource.getProtocol()).isEqualTo(AgentClassLoader.ARCHIVE_PROTOCOL);
    try (InputStream in = classResource.openStream()) {
      assertThat(in.readAllBytes()).isEqualTo(classFile);
    }
    try (InputStream in = loader.getResourceAsStream("dev/conductor/note.txt")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    assertThat(loader.getResource("dev/conductor/Missing.class")).isNull();
    assertThatThrownBy(() -> Class.forName("dev.conductor.Missing", false, loader))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theAgentsEntryIsReachedThroughTheLaunchersOwnInterface() throws Exception {
    Path classes = dir.resolve("classes");
    List<String> paths = new ArrayList<>();
    for (Class<?> type : List.of(SampleEntry.class, Sample.class)) {
      String path = type.getName().replace('.', '/') + ".class";
      try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
        Files.createDirectories(classes.resolve(path).getParent());
        Files.write(classes.resolve(path), in.readAllBytes());
      }
      paths.add(path);
    }
    AgentClassLoader loader = new AgentClassLoader(jarWith(classes, paths, true).toFile());

    // Initializing the entry class registers it; its copy in the agent's loader implements the
    // launcher's AgentEntry, so a plain interface call reaches it.
    AgentEntry entry = loader.entry(SampleEntry.class.getName());
    assertThat(entry.getClass().getClassLoader()).isSameAs(loader);
    assertThat(entry.getClass()).isNotSameAs(SampleEntry.class);
    assertThatThrownBy(() -> entry.defineBootstrapClasses(null, new java.io.File("agent.jar")))
        .isInstanceOf(IOException.class)
        .hasMessage("reached with agent.jar");

    // A class that registers nothing is refused with its name.
    AgentClassLoader other = new AgentClassLoader(jarWith(classes, paths, true).toFile());
    assertThatThrownBy(() -> other.entry(Sample.class.getName()))
        .isInstanceOf(ClassNotFoundException.class)
        .hasMessageContaining(Sample.class.getName());
  }

  @Test
  void aCompressedArchiveEntryIsRefusedWithAClearMessage() throws IOException {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("p"));
    Files.write(classes.resolve("p/A.class"), new byte[] {1, 2, 3});
    Path jarFile = jarWith(classes, List.of("p/A.class"), false);

    try (JarFile jar = new JarFile(jarFile.toFile())) {
      assertThatThrownBy(() -> ClassArchive.open(jar, "inst/dev/conductor/classes.bin"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("must be stored");
    }
  }

  /** A jar like the agent's: the archive under inst/, stored or not, and one other resource. */
  private Path jarWith(Path classes, List<String> paths, boolean stored) throws IOException {
    Path archive = dir.resolve("classes.bin");
    ClassArchiveWriter.write(classes, paths, archive);
    byte[] bytes = Files.readAllBytes(archive);
    Path jarFile = dir.resolve(stored ? "stored.jar" : "deflated.jar");
    try (OutputStream file = Files.newOutputStream(jarFile);
        JarOutputStream jar = new JarOutputStream(file)) {
      JarEntry entry = new JarEntry("inst/dev/conductor/classes.bin");
      if (stored) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCrc(crc.getValue());
      }
      jar.putNextEntry(entry);
      jar.write(bytes);
      jar.closeEntry();
      jar.putNextEntry(new JarEntry("inst/dev/conductor/note.txt"));
      jar.write("hello".getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return jarFile;
  }

  private static String binaryName(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }

  /** An agent entry as the agent's own: it registers itself when initialized. */
  public static final class SampleEntry implements AgentEntry {
    static {
      AgentClassLoader.register(new SampleEntry());
    }

    @Override
    public void defineBootstrapClasses(
        java.lang.instrument.Instrumentation instrumentation, java.io.File agentJar)
        throws IOException {
      throw new IOException("reached with " + agentJar);
    }

    @Override
    public void start(
        String arguments,
        java.lang.instrument.Instrumentation instrumentation,
        java.io.File agentJar,
        boolean hostRunning) {}

    @Override
    public void warmUp() {}
  }

  /** A class the test's loader has, defined again by the agent's loader from the archive. */
  public static final class Sample {
    public static int answer() {
      return 42;
    }
  }
}
