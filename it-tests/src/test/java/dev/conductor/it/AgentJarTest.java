package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.launch.AgentClassLoader;
import dev.conductor.bootstrap.launch.ClassArchive;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The agent jar as a product: the host's class loader can see only the bootstrap classes; every
 * other class, ours and the bundled libraries alike, is relocated and hidden in the class archive
 * under {@code inst/}.
 */
class AgentJarTest {
  private static final List<String> VISIBLE_PREFIXES =
      List.of("dev/conductor/bootstrap/", "dev/conductor/shaded/jctools/");

  @Test
  void onlyBootstrapClassesAreVisibleAndEverythingElseIsRelocatedUnderInst() throws Exception {
    List<String> leaks = new ArrayList<>();
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      jar.stream()
          .filter(entry -> !entry.isDirectory())
          .map(entry -> entry.getName())
          .forEach(
              name -> {
                boolean allowed =
                    name.equals("META-INF/MANIFEST.MF")
                        || name.endsWith(".class")
                            && VISIBLE_PREFIXES.stream().anyMatch(name::startsWith)
                        || name.startsWith("inst/dev/conductor/") && !isClassFile(name)
                        || name.startsWith("inst/META-INF/") && !isClassFile(name);
                if (!allowed) {
                  leaks.add(name);
                }
              });
      assertThat(leaks).as("entries outside the allowed prefixes").isEmpty();

      ClassArchive archive =
          ClassArchive.open(jar, AgentClassLoader.PREFIX + AgentClassLoader.CLASSES);
      List<String> archived = archive.names();
      assertThat(archived)
          .hasSize(archive.size())
          .hasSizeGreaterThan(1000)
          .contains(
              "dev.conductor.agent.ConductorAgent",
              "dev.conductor.shaded.asm.ClassWriter",
              "dev.conductor.shaded.netty.channel.Channel",
              "dev.conductor.shaded.jackson.databind.ObjectMapper",
              "dev.conductor.shaded.prometheus.metrics.core.metrics.Counter",
              "dev.conductor.shaded.snakeyaml.nodes.Node")
          .allMatch(name -> name.startsWith("dev.conductor."), "relocated under dev.conductor")
          .noneMatch(name -> name.startsWith("dev.conductor.bootstrap."), "no bootstrap class")
          .doesNotHaveDuplicates();

      Manifest manifest = jar.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("dev.conductor.bootstrap.launch.Premain");
      assertThat(manifest.getMainAttributes().getValue("Can-Retransform-Classes"))
          .isEqualTo("true");
    }
  }

  private static boolean isClassFile(String name) {
    return name.endsWith(".class") || name.endsWith(".classdata");
  }

  @Test
  void serviceFilesNameRelocatedClasses() throws Exception {
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      jar.stream()
          .filter(e -> !e.isDirectory() && e.getName().startsWith("inst/META-INF/services/"))
          .forEach(
              e -> {
                assertThat(e.getName()).startsWith("inst/META-INF/services/dev.conductor.shaded.");
              });
    }
  }
}
