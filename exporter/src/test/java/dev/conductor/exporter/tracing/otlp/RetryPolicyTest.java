package dev.conductor.exporter.tracing.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(5, 1_000, 5_000, 2);

  @Test
  void backoffGrowsByTheMultiplierWithJitterBetweenHalfAndAll() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(policy.backoffNanos(1, 0)).isBetween(500L, 1_000L);
      assertThat(policy.backoffNanos(2, 0)).isBetween(1_000L, 2_000L);
      assertThat(policy.backoffNanos(3, 0)).isBetween(2_000L, 4_000L);
    }
  }

  @Test
  void backoffNeverExceedsTheCapNotEvenWhenTheCollectorAsksForMore() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(policy.backoffNanos(30, 0)).isBetween(2_500L, 5_000L);
      assertThat(policy.backoffNanos(1, 60_000_000_000L)).isEqualTo(5_000L);
    }
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsHonoured() {
    assertThat(policy.backoffNanos(1, 4_000)).isEqualTo(4_000L);
  }
}
