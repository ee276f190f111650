package dev.conductor.bootstrap;

/**
 * The W3C {@code traceparent} header: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex
 * flags>}. Only version 00's layout is read; later versions start with the same fields.
 */
public final class TraceParent {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int LENGTH = 55;

  private TraceParent() {}

  /** {trace id high, trace id low, parent span id}, or null when the header is not valid. */
  public static long[] parse(String header) {
    String text = header.strip();
    if (text.length() < LENGTH
        || text.charAt(2) != '-'
        || text.charAt(35) != '-'
        || text.charAt(52) != '-'
        || text.startsWith("ff")
        || text.length() > LENGTH && text.charAt(LENGTH) != '-') {
      return null;
    }
    if (!isHex(text, 0, 2) || !isHex(text, 3, 35) || !isHex(text, 36, 52) || !isHex(text, 53, 55)) {
      return null;
    }
    long high = hexLong(text, 3);
    long low = hexLong(text, 19);
    long parent = hexLong(text, 36);
    if (high == 0 && low == 0 || parent == 0) {
      return null;
    }
    return new long[] {high, low, parent};
  }

  /** The header for a sampled span. */
  public static String format(long traceHigh, long traceLow, long spanId) {
    char[] text = new char[LENGTH];
    text[0] = '0';
    text[1] = '0';
    text[2] = '-';
    write(traceHigh, text, 3);
    write(traceLow, text, 19);
    text[35] = '-';
    write(spanId, text, 36);
    text[52] = '-';
    text[53] = '0';
    text[54] = '1';
    return new String(text);
  }

  public static String hex(long high, long low) {
    char[] text = new char[32];
    write(high, text, 0);
    write(low, text, 16);
    return new String(text);
  }

  public static String hex(long id) {
    char[] text = new char[16];
    write(id, text, 0);
    return new String(text);
  }

  private static void write(long value, char[] text, int offset) {
    for (int i = 15; i >= 0; i--) {
      text[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** 16 hex digits from {@code from}, already checked with {@link #isHex}. */
  private static long hexLong(String text, int from) {
    long value = 0;
    for (int i = from; i < from + 16; i++) {
      value = value << 4 | digit(text.charAt(i));
    }
    return value;
  }

  private static boolean isHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (digit(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
