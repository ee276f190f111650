package dev.conductor.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesLimiterTest {

  @Test
  void newCombinationsPastTheCapFoldIntoOtherButKeepBoundedLabels() {
    SeriesLimiter limiter = new SeriesLimiter("m", 3, false, true);
    assertThat(limiter.limit("a", "success")).containsExactly("a", "success");
    assertThat(limiter.limit("b", "success")).containsExactly("b", "success");
    assertThat(limiter.limit("c", "failed")).containsExactly("c", "failed");
    assertThat(limiter.limit("d", "failed")).containsExactly("other", "failed");
    assertThat(limiter.limit("a", "success")).as("known ones pass").containsExactly("a", "success");
    assertThat(limiter.overflowed()).isEqualTo(1);
  }

  @Test
  void tenThousandDistinctValuesMakeABoundedNumberOfSeries() {
    SeriesLimiter limiter = new SeriesLimiter("m", 100, false, true);
    Set<List<String>> series = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      series.add(List.of(limiter.limit("task-" + i, i % 2 == 0 ? "success" : "failed")));
    }
    assertThat(series).hasSize(102);
    assertThat(limiter.overflowed()).isEqualTo(9_900);
  }
}
