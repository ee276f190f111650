package dev.conductor.agent.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
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
 * Reads a config file that {@link BlockYamlReader} declined (flow mappings, anchors, block
 * scalars...) with SnakeYAML's parser and composer, which also word the syntax errors, and converts
 * the tree to {@link YamlNode}s. A class of its own so that the usual startup, where the block
 * reader reads the file, loads none of SnakeYAML's parser or node classes.
 */
final class SnakeYamlFallback {
  /** Deeper than any config; a bound for trees that aliases make recursive. */
  private static final int MAX_DEPTH = 64;

  private SnakeYamlFallback() {}

  /**
   * The top-level mapping of {@code text} (empty for an empty file), or null when it is not valid
   * YAML or not a mapping, with the problem added to {@code problems}.
   */
  static YamlNode.Mapping read(String text, List<ConfigProblem> problems) {
    try {
      Node root = compose(text);
      if (root == null) {
        return new YamlNode.Mapping(List.of(), -1); // an empty file
      }
      YamlNode converted = convert(root, 0);
      if (converted instanceof YamlNode.Mapping mapping) {
        return mapping;
      }
      problems.add(
          new ConfigProblem(
              "(top level)", ConfigLoader.line(converted), "expected a mapping of sections"));
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
   * that a full Yaml instance (constructors, representers) would.
   */
  private static Node compose(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    return new Composer(
            new ParserImpl(new StreamReader(new StringReader(text)), options),
            new Resolver(),
            options)
        .getSingleNode();
  }

  /** {@code node} and what it holds as {@link YamlNode}s. */
  private static YamlNode convert(Node node, int depth) {
    if (depth > MAX_DEPTH) {
      throw new YAMLException("the document nests deeper than " + MAX_DEPTH + " levels");
    }
    int line = node.getStartMark() == null ? -1 : node.getStartMark().getLine();
    if (node instanceof ScalarNode scalar) {
      return new YamlNode.Scalar(scalar.getValue(), scalar.getTag().equals(Tag.NULL), line);
    }
    if (node instanceof SequenceNode sequence) {
      List<YamlNode> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(convert(item, depth + 1));
      }
      return new YamlNode.Sequence(items, line);
    }
    if (node instanceof MappingNode mapping) {
      List<YamlNode.Entry> entries = new ArrayList<>();
      for (NodeTuple entry : mapping.getValue()) {
        entries.add(
            new YamlNode.Entry(
                convert(entry.getKeyNode(), depth + 1), convert(entry.getValueNode(), depth + 1)));
      }
      return new YamlNode.Mapping(entries, line);
    }
    throw new YAMLException("unexpected YAML node " + node.getNodeId());
  }
}
