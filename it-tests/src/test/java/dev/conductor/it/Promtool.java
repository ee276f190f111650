package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs Prometheus' own {@code promtool check metrics} over a scrape. */
final class Promtool {
  private Promtool() {}

  static void assertValid(String exposition) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      // CI installs it (.ci/run); a developer without it is told, not silently passed.
      Assumptions.assumeTrue(System.getenv("CI") == null, "promtool is required in CI");
      Assumptions.abort("promtool is not installed: apt-get install prometheus");
    }
    File input = File.createTempFile("scrape", ".txt");
    Files.writeString(input.toPath(), exposition, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(input)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool check metrics said:\n" + output).isZero();
  }
}
