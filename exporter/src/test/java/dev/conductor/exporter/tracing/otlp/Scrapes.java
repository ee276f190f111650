package dev.conductor.exporter.tracing.otlp;

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

/** The registry in the Prometheus text format, and Prometheus' own check of it. */
final class Scrapes {
  private Scrapes() {}

  static String text(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  static void assertPromtoolAccepts(String exposition) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      // CI installs it; a developer without it is told, not silently passed.
      Assumptions.assumeTrue(System.getenv("CI") == null, "promtool is required in CI");
      Assumptions.abort("promtool is not installed: apt-get install prometheus");
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
}
