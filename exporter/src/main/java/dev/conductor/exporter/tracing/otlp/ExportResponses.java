package dev.conductor.exporter.tracing.otlp;

/**
 * Reads the one thing the agent needs from an {@code ExportTraceServiceResponse}: {@code
 * partial_success.rejected_spans}. A body it cannot read counts as nothing rejected: the collector
 * answered 2xx.
 */
final class ExportResponses {
  private static final int RESPONSE_PARTIAL_SUCCESS = 1;
  private static final int PARTIAL_SUCCESS_REJECTED_SPANS = 1;

  private ExportResponses() {}

  static long rejectedSpans(byte[] response) {
    try {
      Reader partial = new Reader(response, 0, response.length).message(RESPONSE_PARTIAL_SUCCESS);
      return partial == null ? 0 : Math.max(0, partial.varint(PARTIAL_SUCCESS_REJECTED_SPANS));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return 0; // not protobuf: an empty body, JSON, a proxy's page
    }
  }

  /** Scans the fields of one message for the first one with a given number. */
  private static final class Reader {
    private final byte[] data;
    private final int end;
    private int position;

    Reader(byte[] data, int start, int end) {
      this.data = data;
      this.position = start;
      this.end = end;
    }

    /** The embedded message in field {@code number}, or null. */
    Reader message(int number) {
      while (position < end) {
        long tag = rawVarint();
        if (tag >>> 3 == number && (tag & 7) == 2) {
          int length = length();
          return new Reader(data, position, position + length);
        }
        skip((int) (tag & 7));
      }
      return null;
    }

    /** The varint in field {@code number}, or 0 (protobuf's default). */
    long varint(int number) {
      while (position < end) {
        long tag = rawVarint();
        if (tag >>> 3 == number && (tag & 7) == 0) {
          return rawVarint();
        }
        skip((int) (tag & 7));
      }
      return 0;
    }

    private void skip(int wireType) {
      switch (wireType) {
        case 0 -> rawVarint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw new IllegalArgumentException("wire type " + wireType);
      }
    }

    private int length() {
      long length = rawVarint();
      if (length < 0 || length > end - position) {
        throw new IllegalArgumentException("truncated");
      }
      return (int) length;
    }

    private void advance(int bytes) {
      if (bytes > end - position) {
        throw new IllegalArgumentException("truncated");
      }
      position += bytes;
    }

    private long rawVarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IllegalArgumentException("truncated");
        }
        byte b = data[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }
  }
}
