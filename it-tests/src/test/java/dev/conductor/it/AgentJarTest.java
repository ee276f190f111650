package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The agent jar as a product: the host's class loader can see only the bootstrap classes; every
 * other class, ours and the bundled libraries alike, is relocated and hidden under {@code inst/}.
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
                        || name.startsWith("inst/dev/conductor/") && !name.endsWith(".class")
                        || name.startsWith("inst/META-INF/") && !name.endsWith(".class");
                if (!allowed) {
                  leaks.add(name);
                }
              });
      assertThat(leaks).as("entries outside the allowed prefixes").isEmpty();
      assertThat(jar.getEntry("inst/dev/conductor/shaded/asm/ClassWriter.classdata")).isNotNull();
      assertThat(jar.getEntry("inst/dev/conductor/shaded/netty/channel/Channel.classdata"))
          .isNotNull();

      Manifest manifest = jar.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("dev.conductor.bootstrap.launch.Premain");
      assertThat(manifest.getMainAttributes().getValue("Can-Retransform-Classes"))
          .isEqualTo("true");
    }
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
