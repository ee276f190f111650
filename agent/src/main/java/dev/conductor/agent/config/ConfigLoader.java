package dev.conductor.agent.config;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the configuration: the YAML file, then environment variables ({@code CONDUCTOR_<SECTION>_
 * <KEY>}), then system properties ({@code -Dconductor.<section>.<key>}), then the agent's own
 * arguments, each overriding the one before for single keys.
 *
 * <p>Every problem is collected, with the file's line or the override that caused it, and reported
 * together in one {@link ConfigException}. Environment variables and system properties are looked
 * up only for known keys, because the host may use the same prefix for its own settings.
 */
public final class ConfigLoader {
  private static final int MAX_FILE_BYTES = 1024 * 1024;

  private final Map<String, String> environment;
  private final Map<String, String> systemProperties;

  public ConfigLoader(Map<String, String> environment, Map<String, String> systemProperties) {
    this.environment = Map.copyOf(environment);
    this.systemProperties = Map.copyOf(systemProperties);
  }

  /** A loader over this JVM's real environment and system properties. */
  public static ConfigLoader fromProcess() {
    // Plain loops here and below, no lambdas or streams: this runs in premain, where each first
    // lambda shape costs the host's startup a generated class.
    Map<String, String> properties = new HashMap<>();
    for (Map.Entry<Object, Object> entry : System.getProperties().entrySet()) {
      if (entry.getKey() instanceof String key && entry.getValue() instanceof String value) {
        properties.put(key, value);
      }
    }
    return new ConfigLoader(System.getenv(), properties);
  }

  public AgentConfig load(AgentArguments arguments) throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Object> values = new HashMap<>();
    for (ScalarKey key : Schema.SCALARS.values()) {
      values.put(key.path(), key.defaultValue());
    }
    InstrumentationConfig instrumentation = InstrumentationConfig.EMPTY;

    String file = arguments.configFile();
    if (file != null) {
      YamlNode.Mapping root = parseFile(file, problems);
      if (root != null) {
        readSections(root, values, problems);
        instrumentation =
            InstrumentationConfig.read(sectionNode(root, "instrumentation"), problems);
      }
    }
    for (ScalarKey key : Schema.SCALARS.values()) {
      String envName = "CONDUCTOR_" + key.path().replace('.', '_').toUpperCase(Locale.ROOT);
      override(key, environment.get(envName), "environment variable " + envName, values, problems);
      String property = "conductor." + key.path();
      override(key, systemProperties.get(property), "-D" + property, values, problems);
    }
    for (Map.Entry<String, String> argument : arguments.overrides().entrySet()) {
      String path = argument.getKey();
      ScalarKey key = Schema.SCALARS.get(path);
      if (key == null) {
        problems.add(unknownKey(path, "agent argument", Schema.SCALARS.keySet()));
      } else {
        override(key, argument.getValue(), "agent argument", values, problems);
      }
    }
    if (Boolean.TRUE.equals(values.get("metrics.api_authentication"))
        && ((String) values.get("metrics.api_key")).isBlank()) {
      problems.add(
          new ConfigProblem(
              "metrics.api_key", null, "api_authentication is true, so an api_key is required"));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(file, problems);
    }
    return new AgentConfig(file, values, instrumentation);
  }

  private static YamlNode.Mapping parseFile(String file, List<ConfigProblem> problems) {
    String text;
    // java.io rather than java.nio.file: its classes are loaded already when premain runs, where
    // Files.readString loads some 25 more (channels, attribute views) on the host's startup path.
    try (FileInputStream in = new FileInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        problems.add(new ConfigProblem("config", file, "the file is larger than 1 MiB"));
        return null;
      }
      // Strict, as Files.readString is: a file that is not UTF-8 is reported, not guessed at.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IOException | RuntimeException e) {
      problems.add(new ConfigProblem("config", file, "cannot read the file: " + e));
      return null;
    }
    YamlNode.Mapping plain = BlockYamlReader.read(text);
    if (plain != null) {
      return plain; // the usual case, read without loading SnakeYAML on the host's startup path
    }
    return SnakeYamlFallback.read(text, problems);
  }

  private static void readSections(
      YamlNode.Mapping root, Map<String, Object> values, List<ConfigProblem> problems) {
    for (YamlNode.Entry section : root.entries()) {
      String sectionName = scalarText(section.key());
      if (!Schema.sections().contains(sectionName)) {
        problems.add(unknownKey(sectionName, line(section.key()), Schema.sections()));
        continue;
      }
      YamlNode body = section.value();
      if (isNull(body)) {
        continue;
      }
      if (!(body instanceof YamlNode.Mapping mapping)) {
        problems.add(new ConfigProblem(sectionName, line(body), "expected a mapping of keys"));
        continue;
      }
      readKeys(sectionName, sectionName, mapping, values, problems);
    }
  }

  /**
   * Reads the keys of {@code mapping}, found at {@code prefix} (a section, or a group of keys
   * inside one such as {@code tracing.otlp}).
   */
  private static void readKeys(
      String sectionName,
      String prefix,
      YamlNode.Mapping mapping,
      Map<String, Object> values,
      List<ConfigProblem> problems) {
    for (YamlNode.Entry entry : mapping.entries()) {
      String name = scalarText(entry.key());
      String path = prefix + "." + name;
      if (path.equals("instrumentation." + name)
          && (Schema.POINT_LISTS.contains(name) || name.equals(Schema.EXECUTOR_NAMES))) {
        continue; // read by InstrumentationConfig
      }
      ScalarKey key = Schema.SCALARS.get(path);
      YamlNode value = entry.value();
      if (key == null && isGroup(path)) {
        if (value instanceof YamlNode.Mapping group) {
          readKeys(sectionName, path, group, values, problems);
        } else if (!isNull(value)) {
          problems.add(new ConfigProblem(path, line(value), "expected a mapping of keys"));
        }
        continue;
      }
      if (key == null) {
        List<String> known = new ArrayList<>(sectionKeys(sectionName));
        problems.add(unknownKey(path, line(entry.key()), prefixed(sectionName, known)));
        continue;
      }
      String text = valueText(value, key);
      if (text == null) {
        problems.add(new ConfigProblem(path, line(value), "expected " + key.type().expected()));
      } else {
        set(key, text, line(value), values, problems);
      }
    }
  }

  /** Whether {@code path} names a group of keys, like {@code tracing.otlp}. */
  private static boolean isGroup(String path) {
    String start = path + ".";
    for (String known : Schema.SCALARS.keySet()) {
      if (known.startsWith(start)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> sectionKeys(String section) {
    List<String> names = new ArrayList<>();
    for (ScalarKey key : Schema.SCALARS.values()) {
      if (key.section().equals(section)) {
        names.add(key.name());
      }
    }
    if (section.equals("instrumentation")) {
      names.addAll(Schema.POINT_LISTS);
      names.add(Schema.EXECUTOR_NAMES);
    }
    return names;
  }

  private static List<String> prefixed(String section, List<String> names) {
    List<String> paths = new ArrayList<>(names.size());
    for (String name : names) {
      paths.add(section + "." + name);
    }
    return paths;
  }

  /** The text of a scalar value, or of a flow list of numbers; null for other shapes. */
  private static String valueText(YamlNode value, ScalarKey key) {
    if (value instanceof YamlNode.Scalar scalar) {
      return scalar.text();
    }
    if (key.type() == KeyType.NUMBER_LIST && value instanceof YamlNode.Sequence sequence) {
      StringBuilder text = new StringBuilder();
      for (YamlNode element : sequence.items()) {
        if (!(element instanceof YamlNode.Scalar scalar)) {
          return null;
        }
        text.append(text.length() == 0 ? "" : ",").append(scalar.text());
      }
      return text.toString();
    }
    return null;
  }

  private static void override(
      ScalarKey key,
      String text,
      String source,
      Map<String, Object> values,
      List<ConfigProblem> problems) {
    if (text != null) {
      set(key, text, source, values, problems);
    }
  }

  private static void set(
      ScalarKey key,
      String text,
      String source,
      Map<String, Object> values,
      List<ConfigProblem> problems) {
    try {
      Object value = key.type().parse(text);
      String outOfRange = key.rangeProblem(value);
      if (outOfRange != null) {
        problems.add(new ConfigProblem(key.path(), source, outOfRange));
      } else {
        values.put(key.path(), value);
      }
    } catch (IllegalArgumentException e) {
      problems.add(new ConfigProblem(key.path(), source, e.getMessage()));
    }
  }

  static ConfigProblem unknownKey(String path, String source, Collection<String> known) {
    String suggestion = Suggestions.closest(path, known);
    return new ConfigProblem(
        path,
        source,
        "unknown key" + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
  }

  private static YamlNode sectionNode(YamlNode.Mapping root, String name) {
    for (YamlNode.Entry section : root.entries()) {
      if (name.equals(scalarText(section.key()))) {
        return section.value();
      }
    }
    return null;
  }

  static String scalarText(YamlNode node) {
    return node instanceof YamlNode.Scalar scalar ? scalar.text() : String.valueOf(node);
  }

  static boolean isNull(YamlNode node) {
    return node == null || node instanceof YamlNode.Scalar scalar && scalar.isNull();
  }

  static String line(YamlNode node) {
    return node == null || node.line() < 0 ? null : "line " + (node.line() + 1);
  }
}
