package dev.conductor.agent;

import dev.conductor.bootstrap.launch.ClassArchive;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * Run by the build, not by the agent: packs class files into the archive that {@link ClassArchive}
 * reads (see there for the format), so that the agent jar holds one entry for them instead of one
 * per class.
 *
 * <p>Usage: {@code ClassArchiveWriter <unpacked agent jar contents> <output file> [excluded path
 * prefix ...]}: every {@code .class} file under the directory, except those whose path starts with
 * one of the prefixes, in the order of their paths so that the same classes give the same bytes.
 */
public final class ClassArchiveWriter {
  private ClassArchiveWriter() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    List<String> excluded = List.of(args).subList(2, args.length);
    List<String> classFiles = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .filter(path -> excluded.stream().noneMatch(path::startsWith))
          .sorted()
          .forEach(classFiles::add);
    }
    write(root, classFiles, Path.of(args[1]));
  }

  /**
   * Writes the class files {@code paths} (relative to {@code root}) as an archive to {@code out}.
   */
  public static void write(Path root, List<String> paths, Path out) throws IOException {
    int slotCount = Integer.highestOneBit(Math.max(1, paths.size()) * 2) * 2;
    int[] slots = new int[slotCount];
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    DataOutputStream recordData = new DataOutputStream(records);
    int start = ClassArchive.HEADER + slotCount * 4;
    for (String path : paths) {
      String binaryName = path.substring(0, path.length() - ".class".length()).replace('/', '.');
      int slot = binaryName.hashCode() & (slotCount - 1);
      while (slots[slot] != 0) {
        slot = (slot + 1) & (slotCount - 1);
      }
      slots[slot] = start + records.size();
      byte[] classFile = Files.readAllBytes(root.resolve(path));
      byte[] compressed = deflate(classFile);
      recordData.writeUTF(binaryName);
      recordData.writeInt(classFile.length);
      recordData.writeInt(compressed.length);
      recordData.write(compressed);
    }
    recordData.flush();
    try (DataOutputStream archive = new DataOutputStream(Files.newOutputStream(out))) {
      archive.writeInt(ClassArchive.MAGIC);
      archive.writeInt(paths.size());
      archive.writeInt(slotCount);
      for (int offset : slots) {
        archive.writeInt(offset);
      }
      records.writeTo(archive);
    }
  }

  private static byte[] deflate(byte[] classFile) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(classFile);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(classFile.length / 2 + 64);
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
