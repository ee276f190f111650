package dev.conductor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain-style reader must give the tree SnakeYAML gives (converted), or decline. */
class BlockYamlReaderTest {

  static Stream<Path> repositoryConfigFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("../config/monitoring.yaml"));
    try (Stream<Path> examples = Files.list(Path.of("../config/examples"))) {
      examples.forEach(files::add);
    }
    try (Stream<Path> benchmarks = Files.list(Path.of("../benchmarks/src/main/resources"))) {
      benchmarks.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
    }
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("repositoryConfigFiles")
  void readsEveryConfigFileOfTheRepositoryAsSnakeYamlDoes(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    YamlNode.Mapping plain = BlockYamlReader.read(text);
    assertThat(plain).as("%s is read without SnakeYAML's parser", file).isNotNull();
    assertThat(describe(plain)).isEqualTo(describe(snakeYaml(text)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "# only a comment\n\n",
        "metrics:\n  api_port: 8080\n  api_host: \"127.0.0.1\" # quoted\n",
        "a:\n- x\n- 'y z'\nb: 1\n",
        "a:\n  - type: com.acme.Agent\n    method: [run, execute]\n    labels:\n"
            + "      task_type: arg0.type\n  - type: B\n    method: go\n",
        "a:\n  b:\n  c: ~\n  d: null\n  e: ''\n  f: \"\"\n",
        "names: {}\nspaced: { }  # empty\nlist: []\nwords: [ a , 'b c', \"d\\\"e\" ]  # trailing\n",
        "url: http://host:8080/x\nhash: a#b\nspaced: a # comment\n",
        "a:\r\n  b: 1\r\n",
        "it: 'it''s'\nescapes: \"tab\\tnew\\nline \\\\ quote\\\"\"\n",
        "top:\n  -\n    x: 1\n  - # nothing\n  - y\n",
        "deep:\n    four: 4\n    more:\n        eight: 8\n",
      })
  void readsThePlainBlockStyleAsSnakeYamlDoes(String text) {
    YamlNode.Mapping plain = BlockYamlReader.read(text);
    assertThat(plain).as("read without SnakeYAML: %s", text).isNotNull();
    assertThat(describe(plain)).isEqualTo(describe(snakeYaml(text)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a: &anchor 1\nb: *anchor\n",
        "a: !!str 1\n",
        "a: |\n  block\n",
        "a: >\n  folded\n",
        "a: plain\n  continued\n",
        "a:\n\tb: 1\n",
        "a: 1\na: 2\n",
        "a: {b: 1}\n",
        "a: { }x\n",
        "---\na: 1\n",
        "a: [1,\n  2]\n",
        "a:\n    b: 1\n  c: 2\n",
        "\"a\": 1\n",
        "a: 'open\n",
        "a: \"\\u0041\"\n",
        "a: \"\\/\"\n",
        "- a\n- b\n",
        "a: 1\n- b\n",
        "? a\n: b\n",
        "a: [b, c,]\n",
        "a: x: y\n",
      })
  void declinesEverythingElse(String text) {
    assertThat(BlockYamlReader.read(text)).as("declined: %s", text).isNull();
  }

  @Test
  void nodesCarryTheirLinesForErrorMessages() {
    YamlNode.Mapping root = BlockYamlReader.read("# comment\nmetrics:\n\n  api_port: x\n");
    YamlNode port = ((YamlNode.Mapping) root.entries().get(0).value()).entries().get(0).value();
    assertThat(ConfigLoader.line(port)).isEqualTo("line 4");
  }

  private static YamlNode.Mapping snakeYaml(String text) {
    List<ConfigProblem> problems = new ArrayList<>();
    YamlNode.Mapping root = SnakeYamlFallback.read(text, problems);
    assertThat(problems).as("SnakeYAML reads %s", text).isEmpty();
    return root;
  }

  /** What the config reader sees of a node: kinds, texts, nulls and lines. */
  private static String describe(YamlNode node) {
    String line = node.line() < 0 ? "" : "@" + node.line();
    if (node instanceof YamlNode.Scalar scalar) {
      return (scalar.isNull() ? "null" : "'" + scalar.text() + "'") + line;
    }
    StringBuilder text = new StringBuilder();
    if (node instanceof YamlNode.Sequence sequence) {
      text.append('[');
      for (YamlNode item : sequence.items()) {
        text.append(describe(item)).append(", ");
      }
      return text.append(']').append(line).toString();
    }
    text.append('{');
    for (YamlNode.Entry entry : ((YamlNode.Mapping) node).entries()) {
      text.append(describe(entry.key())).append(": ").append(describe(entry.value())).append(", ");
    }
    return text.append('}').append(line).toString();
  }
}
