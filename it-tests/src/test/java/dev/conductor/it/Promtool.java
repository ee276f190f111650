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
    Path promtool = find();
    if (promtool == null) {
      // CI installs it (.ci/run) and fails without it; a developer without it is told, not passed.
      String install = "promtool is not on the PATH: apt-get install prometheus";
      assertThat(System.getenv("CI")).as(install + " (CI is set: required)").isNull();
      Assumptions.abort(install);
    }
    File input = File.createTempFile("scrape", ".txt");
    try {
      Files.writeString(input.toPath(), exposition, StandardCharsets.UTF_8);
      Process process =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectInput(input)
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("promtool check metrics said:\n" + output).isZero();
    } finally {
      Files.delete(input.toPath());
    }
  }

  /** promtool on the PATH, as {@code .ci/run} looks for it; null when there is none. */
  private static Path find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
