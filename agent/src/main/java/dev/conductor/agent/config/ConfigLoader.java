package dev.conductor.agent.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

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
      MappingNode root = parseFile(file, problems);
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

  private static MappingNode parseFile(String file, List<ConfigProblem> problems) {
    String text;
    try {
      Path path = Path.of(file);
      if (Files.size(path) > MAX_FILE_BYTES) {
        problems.add(new ConfigProblem("config", file, "the file is larger than 1 MiB"));
        return null;
      }
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      problems.add(new ConfigProblem("config", file, "cannot read the file: " + e));
      return null;
    }
    MappingNode plain = BlockYamlReader.read(text);
    if (plain != null) {
      return plain; // the usual case, read without loading SnakeYAML's parser on the host's startup
    }
    try {
      Node root = composeWithSnakeYaml(text);
      if (root == null) {
        return new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO); // an empty file
      }
      if (root instanceof MappingNode mapping) {
        return mapping;
      }
      problems.add(new ConfigProblem("(top level)", line(root), "expected a mapping of sections"));
    } catch (MarkedYAMLException e) {
      String where =
          e.getProblemMark() == null ? null : "line " + (e.getProblemMark().getLine() + 1);
      problems.add(new ConfigProblem("(syntax)", where, "not valid YAML: " + e.getProblem()));
    } catch (YAMLException e) {
      problems.add(new ConfigProblem("(syntax)", null, "not valid YAML: " + e.getMessage()));
    }
    return null;
  }

  /**
   * The node tree of {@code text} as SnakeYAML's composer builds it, or null for an empty file. The
   * composer alone: a node tree is all the loader reads, and it loads a fraction of the classes
   * that a full Yaml instance (constructors, representers) would on the host's startup path.
   */
  static Node composeWithSnakeYaml(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    return new Composer(
            new ParserImpl(new StreamReader(new StringReader(text)), options),
            new Resolver(),
            options)
        .getSingleNode();
  }

  private static void readSections(
      MappingNode root, Map<String, Object> values, List<ConfigProblem> problems) {
    for (NodeTuple section : root.getValue()) {
      String sectionName = scalarText(section.getKeyNode());
      if (!Schema.sections().contains(sectionName)) {
        problems.add(unknownKey(sectionName, line(section.getKeyNode()), Schema.sections()));
        continue;
      }
      Node body = section.getValueNode();
      if (isNull(body)) {
        continue;
      }
      if (!(body instanceof MappingNode mapping)) {
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
      MappingNode mapping,
      Map<String, Object> values,
      List<ConfigProblem> problems) {
    for (NodeTuple entry : mapping.getValue()) {
      String name = scalarText(entry.getKeyNode());
      String path = prefix + "." + name;
      if (path.equals("instrumentation." + name)
          && (Schema.POINT_LISTS.contains(name) || name.equals(Schema.EXECUTOR_NAMES))) {
        continue; // read by InstrumentationConfig
      }
      ScalarKey key = Schema.SCALARS.get(path);
      Node value = entry.getValueNode();
      if (key == null && isGroup(path)) {
        if (value instanceof MappingNode group) {
          readKeys(sectionName, path, group, values, problems);
        } else if (!isNull(value)) {
          problems.add(new ConfigProblem(path, line(value), "expected a mapping of keys"));
        }
        continue;
      }
      if (key == null) {
        List<String> known = new ArrayList<>(sectionKeys(sectionName));
        problems.add(unknownKey(path, line(entry.getKeyNode()), prefixed(sectionName, known)));
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
  private static String valueText(Node value, ScalarKey key) {
    if (value instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    if (key.type() == KeyType.NUMBER_LIST && value instanceof SequenceNode sequence) {
      StringBuilder text = new StringBuilder();
      for (Node element : sequence.getValue()) {
        if (!(element instanceof ScalarNode scalar)) {
          return null;
        }
        text.append(text.length() == 0 ? "" : ",").append(scalar.getValue());
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

  private static Node sectionNode(MappingNode root, String name) {
    for (NodeTuple section : root.getValue()) {
      if (name.equals(scalarText(section.getKeyNode()))) {
        return section.getValueNode();
      }
    }
    return null;
  }

  static String scalarText(Node node) {
    return node instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(node);
  }

  static boolean isNull(Node node) {
    return node == null || node.getTag().equals(Tag.NULL);
  }

  static String line(Node node) {
    return node == null || node.getStartMark() == null
        ? null
        : "line " + (node.getStartMark().getLine() + 1);
  }
}
