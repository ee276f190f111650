package dev.conductor.exporter.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper's {@code
 * Accept} header asks for it. Compression is negotiated by the server pipeline.
 */
public final class MetricsEndpoint implements Endpoint {
  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  public MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Response handle(Map<String, String> headers, Map<String, String> query) throws Exception {
    ExpositionFormatWriter writer = textWriter(headers.get("accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    writer.write(body, registry.scrape());
    return new Response(200, writer.getContentType(), body.toByteArray());
  }

  /** The protobuf format is not bundled: a scraper that prefers it gets its next choice, text. */
  private ExpositionFormatWriter textWriter(String accept) {
    if (accept != null && formats.getOpenMetricsTextFormatWriter().accepts(accept)) {
      return formats.getOpenMetricsTextFormatWriter();
    }
    return formats.getPrometheusTextFormatWriter();
  }
}
