package dev.conductor.exporter.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string quoting for the few fixed-shape messages that need no object mapper. */
final class JsonText {
  private JsonText() {}

  static String quote(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
