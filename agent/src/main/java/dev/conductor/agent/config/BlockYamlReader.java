package dev.conductor.agent.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a config file written in YAML's plain block style into a {@link YamlNode} tree, without
 * SnakeYAML; declines (returns null) anything else.
 *
 * <p>Why: the config is read in premain, on the host's startup path, and SnakeYAML's scanner,
 * parser and composer are some 115 classes, loaded and verified before the host's {@code main} can
 * run: 20-40 ms of a hello world's startup; its node classes cost as much again (see {@link
 * YamlNode}). Config files are block mappings, block sequences, one- line flow lists, plain and
 * quoted scalars and comments; this reads exactly that, in one class.
 *
 * <p>Anything beyond it (anchors, tags, block scalars, multi-line scalars, flow mappings, several
 * documents, tabs, duplicate keys, odd indentation) makes it decline, and the caller parses the
 * file with SnakeYAML ({@link SnakeYamlFallback}), which also words the errors. A test holds both
 * readers to the same tree on every config file of the repository and on a set of edge cases.
 */
final class BlockYamlReader {
  /** Thrown inside the reader when the text is not in the plain block style. */
  private static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Declined() {
      super(null, null, false, false);
    }
  }

  private static final Declined DECLINED = new Declined();

  /** A line with content: its 0-based number, its indentation, and the rest of it. */
  private record Line(int number, int indent, String text) {}

  private final List<Line> lines = new ArrayList<>();
  private int next;

  private BlockYamlReader() {}

  /**
   * The tree of {@code text}, whose top level must be a mapping (an empty file is an empty one), or
   * null when {@code text} is not in the plain block style.
   */
  static YamlNode.Mapping read(String text) {
    try {
      BlockYamlReader reader = new BlockYamlReader();
      reader.split(text);
      return reader.document();
    } catch (RuntimeException e) {
      return null; // SnakeYAML decides, and explains
    }
  }

  private void split(String text) {
    String all = text.startsWith("\uFEFF") ? text.substring(1) : text;
    int number = 0;
    int start = 0;
    while (start <= all.length()) {
      int end = all.indexOf('\n', start);
      String raw = end < 0 ? all.substring(start) : all.substring(start, end);
      if (raw.endsWith("\r")) {
        raw = raw.substring(0, raw.length() - 1);
      }
      addLine(number, raw);
      number++;
      if (end < 0) {
        break;
      }
      start = end + 1;
    }
  }

  private void addLine(int number, String raw) {
    if (raw.indexOf('\t') >= 0) {
      throw DECLINED;
    }
    int indent = 0;
    while (indent < raw.length() && raw.charAt(indent) == ' ') {
      indent++;
    }
    String text = raw.substring(indent);
    if (text.isEmpty() || text.startsWith("#")) {
      return;
    }
    if (text.startsWith("---") || text.startsWith("...") || text.startsWith("%")) {
      throw DECLINED; // document markers and directives
    }
    lines.add(new Line(number, indent, stripTrailingSpaces(text)));
  }

  private YamlNode.Mapping document() {
    if (lines.isEmpty()) {
      return new YamlNode.Mapping(List.of(), -1);
    }
    YamlNode root = block(lines.get(0).indent());
    if (next != lines.size() || !(root instanceof YamlNode.Mapping mapping)) {
      throw DECLINED;
    }
    return mapping;
  }

  private YamlNode block(int indent) {
    Line first = lines.get(next);
    if (first.indent() != indent) {
      throw DECLINED;
    }
    return isSequenceItem(first.text()) ? sequence(indent) : mapping(indent);
  }

  private YamlNode.Mapping mapping(int indent) {
    List<YamlNode.Entry> entries = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int startLine = lines.get(next).number();
    while (next < lines.size()
        && lines.get(next).indent() == indent
        && !isSequenceItem(lines.get(next).text())) {
      Line line = lines.get(next);
      int colon = keyEnd(line.text());
      if (colon < 0) {
        throw DECLINED;
      }
      String key = line.text().substring(0, colon);
      if (!isPlainKey(key) || !keys.add(key)) {
        throw DECLINED;
      }
      next++;
      YamlNode value = valueAfter(line.text().substring(colon + 1), line, indent, true);
      entries.add(new YamlNode.Entry(scalar(key, line.number()), value));
    }
    if (next < lines.size() && lines.get(next).indent() >= indent) {
      throw DECLINED; // deeper than anything expects, or a list item among keys
    }
    return new YamlNode.Mapping(entries, startLine);
  }

  private YamlNode.Sequence sequence(int indent) {
    List<YamlNode> items = new ArrayList<>();
    int startLine = lines.get(next).number();
    while (next < lines.size()
        && lines.get(next).indent() == indent
        && isSequenceItem(lines.get(next).text())) {
      Line line = lines.get(next);
      String after = line.text().substring(1);
      int spaces = 0;
      while (spaces < after.length() && after.charAt(spaces) == ' ') {
        spaces++;
      }
      String content = after.substring(spaces);
      if (content.isEmpty() || content.startsWith("#")) {
        next++;
        items.add(valueAfter("", line, indent, false));
      } else if (isSequenceItem(content)) {
        throw DECLINED; // "- - x"
      } else if (keyEnd(content) >= 0 && !isQuote(content.charAt(0))) {
        // A mapping that starts on the item's line: read that line again as its first entry.
        int column = indent + 1 + spaces;
        lines.set(next, new Line(line.number(), column, content));
        items.add(mapping(column));
      } else {
        next++;
        items.add(inlineValue(content, line.number()));
      }
    }
    if (next < lines.size() && lines.get(next).indent() > indent) {
      throw DECLINED;
    }
    return new YamlNode.Sequence(items, startLine);
  }

  /**
   * The value after a key's colon or an item's dash: inline, or a block on the lines below, or
   * null. A mapping's value may be a list at the key's own indentation, as YAML allows.
   */
  private YamlNode valueAfter(String rest, Line line, int indent, boolean ofKey) {
    String inline = rest.stripLeading();
    if (!inline.isEmpty() && !inline.startsWith("#")) {
      if (!rest.startsWith(" ")) {
        throw DECLINED;
      }
      return inlineValue(inline, line.number());
    }
    if (!inline.isEmpty() && !rest.startsWith(" ")) {
      throw DECLINED; // "key:#" is not a comment
    }
    if (next < lines.size()) {
      Line below = lines.get(next);
      if (below.indent() > indent) {
        return block(below.indent());
      }
      if (ofKey && below.indent() == indent && isSequenceItem(below.text())) {
        return sequence(indent);
      }
    }
    return new YamlNode.Scalar("", true, line.number());
  }

  private static YamlNode inlineValue(String text, int lineNumber) {
    char first = text.charAt(0);
    if (first == '[') {
      return flowSequence(text, lineNumber);
    }
    if (first == '{') {
      return emptyFlowMapping(text, lineNumber);
    }
    if (isQuote(first)) {
      StringBuilder value = new StringBuilder();
      int end = quoted(text, 0, value);
      if (!isBlankOrComment(text.substring(end))) {
        throw DECLINED;
      }
      return quotedScalar(value.toString(), lineNumber);
    }
    String value = plainValue(text);
    if (!isPlainValue(value)) {
      throw DECLINED;
    }
    return scalar(value, lineNumber);
  }

  private static YamlNode.Sequence flowSequence(String text, int lineNumber) {
    List<YamlNode> items = new ArrayList<>();
    int at = skipSpaces(text, 1);
    if (at < text.length() && text.charAt(at) == ']') {
      at++;
    } else {
      while (true) {
        if (at >= text.length()) {
          throw DECLINED; // continues on the next line
        }
        if (isQuote(text.charAt(at))) {
          StringBuilder value = new StringBuilder();
          at = quoted(text, at, value);
          items.add(quotedScalar(value.toString(), lineNumber));
        } else {
          int end = at;
          while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != ']') {
            end++;
          }
          String value = stripTrailingSpaces(text.substring(at, end));
          if (!isPlainValue(value) || value.indexOf(':') >= 0 || value.indexOf('#') >= 0) {
            throw DECLINED;
          }
          items.add(scalar(value, lineNumber));
          at = end;
        }
        at = skipSpaces(text, at);
        if (at >= text.length()) {
          throw DECLINED;
        }
        char separator = text.charAt(at++);
        if (separator == ']') {
          break;
        }
        if (separator != ',') {
          throw DECLINED;
        }
        at = skipSpaces(text, at);
        if (at < text.length() && text.charAt(at) == ']') {
          throw DECLINED; // a trailing comma
        }
      }
    }
    if (!isBlankOrComment(text.substring(at))) {
      throw DECLINED;
    }
    return new YamlNode.Sequence(items, lineNumber);
  }

  /** {@code {}}, the one flow mapping read here: an empty map, as a config's default. */
  private static YamlNode.Mapping emptyFlowMapping(String text, int lineNumber) {
    int close = skipSpaces(text, 1);
    if (close >= text.length()
        || text.charAt(close) != '}'
        || !isBlankOrComment(text.substring(close + 1))) {
      throw DECLINED;
    }
    return new YamlNode.Mapping(new ArrayList<>(), lineNumber);
  }

  /** Reads the quoted scalar at {@code start} into {@code value}; returns the index after it. */
  private static int quoted(String text, int start, StringBuilder value) {
    char quote = text.charAt(start);
    int at = start + 1;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (quote == '\'' && c == '\'') {
        if (at + 1 < text.length() && text.charAt(at + 1) == '\'') {
          value.append('\'');
          at += 2;
          continue;
        }
        return at + 1;
      }
      if (quote == '"' && c == '"') {
        return at + 1;
      }
      if (quote == '"' && c == '\\') {
        if (at + 1 >= text.length()) {
          throw DECLINED;
        }
        value.append(escaped(text.charAt(at + 1)));
        at += 2;
        continue;
      }
      value.append(c);
      at++;
    }
    throw DECLINED; // continues on the next line
  }

  private static char escaped(char c) {
    switch (c) {
      case '\\':
        return '\\';
      case '"':
        return '"';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      default:
        throw DECLINED;
    }
  }

  /** Where the key of a {@code key: value} line ends, or -1 when the line has no such colon. */
  private static int keyEnd(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '#' && i > 0 && text.charAt(i - 1) == ' ') {
        return -1;
      }
      if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isSequenceItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  private static boolean isPlainKey(String key) {
    return isPlainValue(key) && key.indexOf('#') < 0 && key.indexOf('"') < 0;
  }

  /** A plain scalar with none of YAML's indicators where they would mean something. */
  private static boolean isPlainValue(String value) {
    if (value.isEmpty() || value.endsWith(" ") || value.startsWith(" ")) {
      return false;
    }
    if ("-?:,[]{}#&*!|>'\"%@`".indexOf(value.charAt(0)) >= 0) {
      return false;
    }
    return !value.contains(": ") && !value.endsWith(":") && !value.contains(" #");
  }

  /** A plain value up to its comment, if any. */
  private static String plainValue(String text) {
    int comment = text.indexOf(" #");
    return stripTrailingSpaces(comment < 0 ? text : text.substring(0, comment));
  }

  private static boolean isBlankOrComment(String rest) {
    if (rest.isEmpty()) {
      return true;
    }
    String stripped = rest.stripLeading();
    return rest.startsWith(" ") && (stripped.isEmpty() || stripped.startsWith("#"));
  }

  private static int skipSpaces(String text, int at) {
    while (at < text.length() && text.charAt(at) == ' ') {
      at++;
    }
    return at;
  }

  private static String stripTrailingSpaces(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == ' ') {
      end--;
    }
    return text.substring(0, end);
  }

  /** A plain scalar; YAML 1.1 reads ~ and null as null, as SnakeYAML's resolver does. */
  private static YamlNode.Scalar scalar(String value, int lineNumber) {
    boolean isNull =
        value.equals("~") || value.equals("null") || value.equals("Null") || value.equals("NULL");
    return new YamlNode.Scalar(value, isNull, lineNumber);
  }

  private static YamlNode.Scalar quotedScalar(String value, int lineNumber) {
    return new YamlNode.Scalar(value, false, lineNumber);
  }
}
