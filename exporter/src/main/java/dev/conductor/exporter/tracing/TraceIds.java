package dev.conductor.exporter.tracing;

import dev.conductor.bootstrap.TraceParent;

/** W3C text forms of trace and span ids: lower-case hex, 32 and 16 digits. */
public final class TraceIds {
  private TraceIds() {}

  public static String traceId(long high, long low) {
    return TraceParent.hex(high, low);
  }

  public static String spanId(long id) {
    return TraceParent.hex(id);
  }

  /** Parses 32 lower-case hex digits into {high, low}; null when not a valid, non-zero id. */
  public static long[] parseTraceId(String text) {
    if (text == null || text.length() != 32 || !text.chars().allMatch(TraceIds::isHexDigit)) {
      return null;
    }
    long high = Long.parseUnsignedLong(text, 0, 16, 16);
    long low = Long.parseUnsignedLong(text, 16, 32, 16);
    return high == 0 && low == 0 ? null : new long[] {high, low};
  }

  private static boolean isHexDigit(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
  }
}
