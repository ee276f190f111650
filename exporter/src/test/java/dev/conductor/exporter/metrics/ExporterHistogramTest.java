package dev.conductor.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.exporter.Scrapes;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The single-writer histogram scrapes exactly as the client's own histogram would. */
class ExporterHistogramTest {
  private static final double[] BOUNDS = {0.005, 0.1, 1, 10};
  private static final double[] VALUES = {0, 0.001, 0.005, 0.0051, 0.1, 0.5, 1, 3, 10, 11, 1e9};

  @Test
  void theScrapeIsTheClientHistogramsForTheSameObservations() throws Exception {
    PrometheusRegistry ours = new PrometheusRegistry();
    ExporterHistogram histogram =
        new ExporterHistogram("demo_seconds", "How long", BOUNDS, "task_type", "agent_id");
    ours.register(histogram);
    PrometheusRegistry clients = new PrometheusRegistry();
    Histogram client =
        Histogram.builder()
            .name("demo_seconds")
            .help("How long")
            .labelNames("task_type", "agent_id")
            .withoutExemplars()
            .classicOnly()
            .classicUpperBounds(BOUNDS)
            .register(clients);

    ExporterHistogram.Series review = histogram.labelValues("code_review", "agent-1");
    ExporterHistogram.Series refactor = histogram.labelValues("refactor", "agent-2");
    for (double value : VALUES) {
      review.observe(value);
      client.labelValues("code_review", "agent-1").observe(value);
    }
    refactor.observe(0.2);
    client.labelValues("refactor", "agent-2").observe(0.2);

    String scraped = withoutCreated(Scrapes.text(ours));
    assertThat(scraped).isEqualTo(withoutCreated(Scrapes.text(clients)));
    assertThat(scraped)
        .contains(
            "demo_seconds_bucket{agent_id=\"agent-1\",task_type=\"code_review\",le=\"0.005\"} 3")
        .contains("demo_seconds_count{agent_id=\"agent-1\",task_type=\"code_review\"} 11");
    Scrapes.assertPromtoolAccepts(Scrapes.text(ours));
  }

  @Test
  void unsortedBoundsAreBucketedAsTheClientSortsThem() throws Exception {
    PrometheusRegistry ours = new PrometheusRegistry();
    ExporterHistogram histogram =
        new ExporterHistogram("demo_seconds", "How long", new double[] {1, 0.1, 10, 1}, "pool");
    ours.register(histogram);
    histogram.labelValues("workers").observe(0.5);

    assertThat(Scrapes.text(ours))
        .contains("demo_seconds_bucket{pool=\"workers\",le=\"0.1\"} 0")
        .contains("demo_seconds_bucket{pool=\"workers\",le=\"1.0\"} 1")
        .contains("demo_seconds_bucket{pool=\"workers\",le=\"+Inf\"} 1");
  }

  @Test
  void aScrapeWhileTheWriterObservesAlwaysCountsAsManyAsItsBucketsHold() throws Exception {
    ExporterHistogram histogram = new ExporterHistogram("demo_seconds", "How long", BOUNDS, "pool");
    ExporterHistogram.Series series = histogram.labelValues("workers");
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              for (long i = 0; !stop.get(); i++) {
                series.observe(VALUES[(int) (i % VALUES.length)]);
              }
            });
    writer.start();
    try {
      long lastCount = 0;
      for (int scrape = 0; scrape < 2_000; scrape++) {
        HistogramDataPointSnapshot point = histogram.collect().getDataPoints().get(0);
        long buckets = 0;
        for (int i = 0; i < point.getClassicBuckets().size(); i++) {
          buckets += point.getClassicBuckets().getCount(i);
        }
        assertThat(point.getCount()).isEqualTo(buckets).isGreaterThanOrEqualTo(lastCount);
        lastCount = point.getCount();
      }
      assertThat(lastCount).isPositive();
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  /** The {@code _created} lines carry each series' creation time, which differs between the two. */
  private static String withoutCreated(String exposition) {
    return exposition
        .lines()
        .filter(l -> !l.contains("_created"))
        .collect(Collectors.joining("\n"));
  }
}
