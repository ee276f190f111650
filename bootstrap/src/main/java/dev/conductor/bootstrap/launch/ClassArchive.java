package dev.conductor.bootstrap.launch;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;

/**
 * The agent's own classes and its relocated libraries, packed by the build into one stored entry of
 * the agent jar, with a hash index of their names, instead of one jar entry per class.
 *
 * <p>Why: opening a jar reads its central directory, entry by entry, in Java code that a JVM which
 * has barely started interprets. With some 4,300 entries that took 10-15 ms of the host's startup
 * on JDK 17 and 17-23 ms on JDK 25, before the agent's first class was loaded. The index is read
 * once, in one piece; a class is found by its name's hash and read with one positioned read of the
 * entry, which is stored (not compressed as a whole) so that skipping to a record costs nothing.
 *
 * <p>Format, big-endian as {@link java.io.DataOutputStream} writes it: {@link #MAGIC}, the number
 * of classes, the number of index slots (a power of two, at least twice the classes), then one
 * {@code int} per slot: the offset of a record from the start of the entry, or 0 for an empty slot.
 * A class's slot is its binary name's {@link String#hashCode()} masked to the slot count, or the
 * next ones in turn. Each record: the binary name ({@code writeUTF}), the class file's length, the
 * length of its compressed form, then the class file compressed with {@link
 * java.util.zip.Deflater}.
 */
public final class ClassArchive {
  public static final int MAGIC = 0x43444131; // "CDA1"

  /** The bytes before the index: the magic number, the number of classes, the number of slots. */
  public static final int HEADER = 12;

  private final JarFile jar;
  private final ZipEntry entry;
  private final int count;
  private final ByteBuffer slots;
  private final int mask;

  private ClassArchive(JarFile jar, ZipEntry entry, int count, ByteBuffer slots) {
    this.jar = jar;
    this.entry = entry;
    this.count = count;
    this.slots = slots;
    this.mask = slots.capacity() / 4 - 1;
  }

  /** Opens the archive in {@code entryName} of {@code jar}; the jar stays open with it. */
  public static ClassArchive open(JarFile jar, String entryName) throws IOException {
    ZipEntry entry = jar.getEntry(entryName);
    if (entry == null) {
      throw new IOException(entryName + " is missing from " + jar.getName());
    }
    if (entry.getMethod() != ZipEntry.STORED) {
      throw new IOException(entryName + " must be stored in the jar, not compressed");
    }
    try (DataInputStream in = new DataInputStream(jar.getInputStream(entry))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(entryName + " is not a class archive");
      }
      int count = in.readInt();
      int slotCount = in.readInt();
      if (slotCount <= 0 || Integer.bitCount(slotCount) != 1 || slotCount > (1 << 24)) {
        throw new IOException(entryName + ": bad index size " + slotCount);
      }
      byte[] index = new byte[slotCount * 4];
      in.readFully(index);
      return new ClassArchive(jar, entry, count, ByteBuffer.wrap(index));
    }
  }

  /** The number of classes in the archive. */
  public int size() {
    return count;
  }

  /** The class file of {@code binaryName} ({@code a.b.C$D}), or null when the archive has none. */
  byte[] read(String binaryName) throws IOException {
    try (DataInputStream record = find(binaryName)) {
      return record == null ? null : inflate(record);
    }
  }

  /** Whether the archive holds {@code binaryName}. */
  boolean contains(String binaryName) throws IOException {
    try (DataInputStream record = find(binaryName)) {
      return record != null;
    }
  }

  /** The record of {@code binaryName}, read up to its name; null when there is none. */
  private DataInputStream find(String binaryName) throws IOException {
    int slot = binaryName.hashCode() & mask;
    for (int probe = 0; probe <= mask; probe++, slot = (slot + 1) & mask) {
      int offset = slots.getInt(slot * 4);
      if (offset == 0) {
        return null;
      }
      DataInputStream record = recordAt(offset);
      if (record.readUTF().equals(binaryName)) {
        return record;
      }
      record.close();
    }
    return null; // a full index: only a damaged archive has one
  }

  /** Every class name in the archive, in the order of its records; reads the whole entry. */
  public List<String> names() throws IOException {
    List<String> names = new ArrayList<>(count);
    try (DataInputStream in = recordAt(HEADER + slots.capacity())) {
      for (int i = 0; i < count; i++) {
        names.add(in.readUTF());
        in.readInt();
        int compressed = in.readInt();
        in.skipNBytes(compressed);
      }
    }
    return names;
  }

  private DataInputStream recordAt(int offset) throws IOException {
    InputStream in = jar.getInputStream(entry);
    long left = offset;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        in.close();
        throw new EOFException("record offset " + offset + " is past the end of the archive");
      }
      left -= skipped;
    }
    return new DataInputStream(in);
  }

  private static byte[] inflate(DataInputStream in) throws IOException {
    byte[] classFile = new byte[in.readInt()];
    byte[] compressed = new byte[in.readInt()];
    in.readFully(compressed);
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      int done = 0;
      while (done < classFile.length) {
        int inflated = inflater.inflate(classFile, done, classFile.length - done);
        if (inflated == 0 && (inflater.finished() || inflater.needsInput())) {
          throw new IOException("truncated class in the archive");
        }
        done += inflated;
      }
      return classFile;
    } catch (DataFormatException e) {
      throw new IOException("corrupt class in the archive", e);
    } finally {
      inflater.end();
    }
  }
}
