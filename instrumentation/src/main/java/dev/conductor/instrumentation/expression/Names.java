package dev.conductor.instrumentation.expression;

/**
 * The shapes of names in the config: Java identifiers, qualified class names, argument words.
 *
 * <p>Checked by hand rather than with regular expressions because the config is read in premain, on
 * the host's startup path, where compiling a pattern (with Unicode classes, which generate lambdas)
 * costs more than the whole check.
 */
public final class Names {
  private Names() {}

  /** A name like {@code execute} or {@code Agent}: a letter, {@code _} or {@code $}, then more. */
  public static boolean isName(String text) {
    if (text.isEmpty() || !isNameStart(text.codePointAt(0))) {
      return false;
    }
    for (int i = Character.charCount(text.codePointAt(0)); i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      if (!isNamePart(codePoint)) {
        return false;
      }
      i += Character.charCount(codePoint);
    }
    return true;
  }

  /** A class name like {@code com.acme.Agent}: names joined by single dots. */
  public static boolean isQualifiedName(String text) {
    int start = 0;
    while (true) {
      int dot = text.indexOf('.', start);
      if (!isName(dot < 0 ? text.substring(start) : text.substring(start, dot))) {
        return false;
      }
      if (dot < 0) {
        return true;
      }
      start = dot + 1;
    }
  }

  /** A field or method name in ASCII: {@code [A-Za-z_$][A-Za-z0-9_$]*}. */
  static boolean isAsciiName(String text) {
    if (text.isEmpty() || !isAsciiNameStart(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isAsciiNameStart(c) && !(c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} is {@code prefix} followed by one or more ASCII digits. */
  static boolean isPrefixAndDigits(String text, String prefix) {
    if (text.length() <= prefix.length() || !text.startsWith(prefix)) {
      return false;
    }
    for (int i = prefix.length(); i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameStart(int codePoint) {
    return Character.isLetter(codePoint) || codePoint == '_' || codePoint == '$';
  }

  private static boolean isNamePart(int codePoint) {
    if (isNameStart(codePoint)) {
      return true;
    }
    int type = Character.getType(codePoint);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  private static boolean isAsciiNameStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
  }
}
