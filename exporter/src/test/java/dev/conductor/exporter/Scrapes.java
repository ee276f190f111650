package dev.conductor.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The registry in the Prometheus text format, and Prometheus' own check of it. For tests. */
public final class Scrapes {
  private Scrapes() {}

  public static String text(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  public static void assertPromtoolAccepts(String exposition) throws Exception {
    Path promtool = findOnPath("promtool");
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

  private static Path findOnPath(String command) {
    for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
