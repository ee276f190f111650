package dev.conductor.exporter.tracing.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol buffers wire format, written into one growable array that is reused from request to
 * request. Only what OTLP traces need: varints, fixed64, fixed32, doubles, strings, bytes and
 * nested messages.
 *
 * <p>A nested message's length comes before its content but is known only after it. {@link
 * #beginMessage} reserves the longest varint a length can take (5 bytes); {@link #endMessage}
 * writes the real length there and moves the content back over the unused bytes. Messages close
 * innermost first, so a move never touches bytes an enclosing message has already placed.
 *
 * <p>Not thread-safe: one writer per thread.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;
  private static final int RESERVED_LENGTH = 5;

  private byte[] buffer;
  private int position;

  ProtoWriter(int initialCapacity) {
    buffer = new byte[initialCapacity];
  }

  void reset() {
    position = 0;
  }

  byte[] array() {
    return buffer;
  }

  int length() {
    return position;
  }

  /** Returns the mark that {@link #endMessage} takes. */
  int beginMessage(int field) {
    tag(field, LENGTH_DELIMITED);
    ensure(RESERVED_LENGTH);
    int mark = position;
    position += RESERVED_LENGTH;
    return mark;
  }

  void endMessage(int mark) {
    int contentStart = mark + RESERVED_LENGTH;
    int length = position - contentStart;
    position = mark;
    varint(length); // at most RESERVED_LENGTH bytes: never reaches the content
    System.arraycopy(buffer, contentStart, buffer, position, length);
    position += length;
  }

  void string(int field, String value) {
    bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    raw(value, 0, value.length);
  }

  /** Writes already encoded bytes as they are, e.g. a message encoded once and kept. */
  void raw(byte[] value, int offset, int length) {
    ensure(length);
    System.arraycopy(value, offset, buffer, position, length);
    position += length;
  }

  /** Two longs as 16 big-endian bytes: a W3C trace id. */
  void bytes128(int field, long high, long low) {
    tag(field, LENGTH_DELIMITED);
    varint(16);
    bigEndian(high);
    bigEndian(low);
  }

  /** One long as 8 big-endian bytes: a W3C span id. */
  void bytes64(int field, long value) {
    tag(field, LENGTH_DELIMITED);
    varint(8);
    bigEndian(value);
  }

  void int64(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  void bool(int field, boolean value) {
    tag(field, VARINT);
    varint(value ? 1 : 0);
  }

  void fixed64(int field, long value) {
    tag(field, FIXED64);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buffer[position++] = (byte) (value >>> (8 * i));
    }
  }

  void fixed32(int field, int value) {
    tag(field, FIXED32);
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buffer[position++] = (byte) (value >>> (8 * i));
    }
  }

  void double64(int field, double value) {
    fixed64(field, Double.doubleToRawLongBits(value));
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  private void bigEndian(long value) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buffer[position++] = (byte) (value >>> (8 * i));
    }
  }

  private void ensure(int more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
    }
  }
}
