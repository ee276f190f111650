package dev.conductor.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelValuesTest {
  enum Kind {
    CODE_REVIEW
  }

  private final LabelValues labels = new LabelValues(8);

  @Test
  void nullAndEmptyBecomeUnknown() {
    assertThat(labels.of(null)).isEqualTo("unknown");
    assertThat(labels.of("")).isEqualTo("unknown");
  }

  @Test
  void longValuesAreCutWithoutSplittingASurrogatePair() {
    assertThat(labels.of("abcdefghijkl")).isEqualTo("abcdefgh");
    assertThat(labels.of("abcdefg\uD83D\uDE00xyz")).isEqualTo("abcdefg");
  }

  @Test
  void enumsUseTheirNameAndNumbersTheirText() {
    assertThat(labels.of(Kind.CODE_REVIEW)).isEqualTo("CODE_REV");
    assertThat(labels.of(7)).isEqualTo("7");
  }
}
