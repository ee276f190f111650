package dev.conductor.instrumentation.weave;

import java.nio.charset.StandardCharsets;

/** A cheap look into a class file before it is parsed. */
final class ClassBytes {
  private ClassBytes() {}

  /**
   * Whether the class file holds {@code text} (ASCII) anywhere, as the constant pool holds every
   * name and descriptor the class uses. A class without it cannot have an annotation of that
   * descriptor; a class with it is then parsed to find out.
   */
  static boolean contains(byte[] classFile, String text) {
    byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
    byte first = needle[0];
    int last = classFile.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (classFile[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (classFile[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
