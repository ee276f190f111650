package dev.conductor.exporter.tracing;

/** W3C text forms of trace and span ids: lower-case hex, 32 and 16 digits. */
public final class TraceIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {}

  public static String traceId(long high, long low) {
    char[] text = new char[32];
    write(high, text, 0);
    write(low, text, 16);
    return new String(text);
  }

  public static String spanId(long id) {
    char[] text = new char[16];
    write(id, text, 0);
    return new String(text);
  }

  /** Parses 32 hex digits into {high, low}; null when the text is not a valid, non-zero id. */
  public static long[] parseTraceId(String text) {
    if (text == null || text.length() != 32) {
      return null;
    }
    try {
      long high = Long.parseUnsignedLong(text, 0, 16, 16);
      long low = Long.parseUnsignedLong(text, 16, 32, 16);
      return high == 0 && low == 0 ? null : new long[] {high, low};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void write(long value, char[] text, int offset) {
    for (int i = 15; i >= 0; i--) {
      text[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
