package dev.conductor.agent.config;

import java.util.List;

/**
 * A node of a config file's tree, with the line it starts on: the little of YAML that the config
 * needs.
 *
 * <p>Why not SnakeYAML's nodes: each of them carries a SnakeYAML {@code Tag}, and that class's
 * static initializer (tag URIs encoded through a regular expression, the {@code java.sql} date
 * classes looked up for timestamps) takes 20-40 ms of a JVM that has just started, on the host's
 * startup path. The usual config file is read by {@link BlockYamlReader} straight into these nodes;
 * only a file it declines goes through SnakeYAML ({@link SnakeYamlFallback}), whose tree is then
 * converted.
 */
abstract class YamlNode {
  private final int line;

  private YamlNode(int line) {
    this.line = line;
  }

  /** The 0-based line the node starts on, or -1 when unknown. */
  final int line() {
    return line;
  }

  /** A scalar: its text, and whether YAML reads it as null ({@code ~}, {@code null}, nothing). */
  static final class Scalar extends YamlNode {
    private final String text;
    private final boolean isNull;

    Scalar(String text, boolean isNull, int line) {
      super(line);
      this.text = text;
      this.isNull = isNull;
    }

    String text() {
      return text;
    }

    boolean isNull() {
      return isNull;
    }

    @Override
    public String toString() {
      return isNull ? "null" : text;
    }
  }

  /** A mapping: its entries in the file's order. */
  static final class Mapping extends YamlNode {
    private final List<Entry> entries;

    Mapping(List<Entry> entries, int line) {
      super(line);
      this.entries = entries;
    }

    List<Entry> entries() {
      return entries;
    }

    @Override
    public String toString() {
      return "a mapping";
    }
  }

  /** A sequence: its items in order. */
  static final class Sequence extends YamlNode {
    private final List<YamlNode> items;

    Sequence(List<YamlNode> items, int line) {
      super(line);
      this.items = items;
    }

    List<YamlNode> items() {
      return items;
    }

    @Override
    public String toString() {
      return "a list";
    }
  }

  /** One key and its value in a {@link Mapping}. */
  static final class Entry {
    private final YamlNode key;
    private final YamlNode value;

    Entry(YamlNode key, YamlNode value) {
      this.key = key;
      this.value = value;
    }

    YamlNode key() {
      return key;
    }

    YamlNode value() {
      return value;
    }
  }
}
