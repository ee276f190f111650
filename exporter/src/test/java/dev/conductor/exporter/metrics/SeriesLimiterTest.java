package dev.conductor.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesLimiterTest {
  private final List<List<String>> created = new ArrayList<>();

  /** Keeps each series' label values, as a metric would keep a data point. */
  private SeriesLimiter<List<String>> limiter(int maxSeries, boolean... bounded) {
    return new SeriesLimiter<>(
        "m",
        maxSeries,
        values -> {
          List<String> series = List.of(values);
          created.add(series);
          return series;
        },
        bounded);
  }

  @Test
  void newCombinationsPastTheCapFoldIntoOtherButKeepBoundedLabels() {
    SeriesLimiter<List<String>> limiter = limiter(3, false, true);
    assertThat(limiter.get("a", "success")).containsExactly("a", "success");
    assertThat(limiter.get("b", "success")).containsExactly("b", "success");
    assertThat(limiter.get("c", "failed")).containsExactly("c", "failed");
    assertThat(limiter.get("d", "failed")).containsExactly("other", "failed");
    assertThat(limiter.get("a", "success")).as("known ones pass").containsExactly("a", "success");
    assertThat(limiter.overflowed()).isEqualTo(1);
  }

  @Test
  void tenThousandDistinctValuesMakeABoundedNumberOfSeries() {
    SeriesLimiter<List<String>> limiter = limiter(100, false, true);
    Set<List<String>> series = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      series.add(limiter.get("task-" + i, i % 2 == 0 ? "success" : "failed"));
    }
    assertThat(series).hasSize(102);
    assertThat(created).hasSize(102);
    assertThat(limiter.overflowed()).isEqualTo(9_900);
  }

  @Test
  void eachSeriesIsCreatedOnceWhateverStringInstancesCarryItsValues() {
    SeriesLimiter<List<String>> limiter = limiter(10, false, false, true);
    List<String> first = limiter.get("analysis", "agent-1", "success");
    List<String> again =
        limiter.get(new String("analysis"), new String("agent-1"), new String("success"));
    assertThat(again).isSameAs(first);
    assertThat(created).containsExactly(List.of("analysis", "agent-1", "success"));
  }

  @Test
  void aKnownSeriesIsFoundWithoutAllocating() {
    SeriesLimiter<List<String>> limiter = limiter(10, false, true, false);
    String[] types = {"analysis", "refactor", "documentation"};
    for (String type : types) {
      limiter.get(type, "success", "agent-1");
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 300_000; i++) {
      limiter.get(types[i % types.length], "success", "agent-1");
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes for 300 000 lookups").isLessThan(300_000);
  }
}
