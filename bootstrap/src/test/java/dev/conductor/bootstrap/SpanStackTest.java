package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ids a thread's span stack makes for its spans. */
class SpanStackTest {
  private static final int ROOTS = 100_000;

  @Test
  void rootSpansGetIdsThatAreNeverZeroAndNeverRepeat() {
    Set<Long> ids = new HashSet<>();
    collectRootIds(new SpanStack(), ids);
    assertThat(ids).as("three ids per root span, all distinct").hasSize(3 * ROOTS);
    assertThat(ids).doesNotContain(0L);
  }

  @Test
  void twoThreadsMakeDifferentIds() throws InterruptedException {
    Set<Long> first = new HashSet<>();
    Set<Long> second = new HashSet<>();
    Thread other = new Thread(() -> collectRootIds(new SpanStack(), second));
    other.start();
    collectRootIds(new SpanStack(), first);
    other.join();
    first.retainAll(second);
    assertThat(first).as("ids both threads made").isEmpty();
  }

  @Test
  void theIdsBitsAreSpreadEvenly() {
    int[] ones = new int[64];
    SpanStack stack = new SpanStack();
    for (int i = 0; i < ROOTS; i++) {
      stack.pushRoot();
      long id = stack.spanId(stack.topWithIds());
      for (int bit = 0; bit < 64; bit++) {
        ones[bit] += (int) ((id >>> bit) & 1);
      }
      stack.pop();
    }
    for (int bit = 0; bit < 64; bit++) {
      // Binomial(100000, 0.5): a standard deviation of 158; 1,000 is more than six of them.
      assertThat(ones[bit]).as("bit %d set", bit).isBetween(ROOTS / 2 - 1000, ROOTS / 2 + 1000);
    }
  }

  private static void collectRootIds(SpanStack stack, Set<Long> ids) {
    for (int i = 0; i < ROOTS; i++) {
      stack.pushRoot();
      int top = stack.topWithIds();
      ids.add(stack.traceHigh(top));
      ids.add(stack.traceLow(top));
      ids.add(stack.spanId(top));
      stack.pop();
    }
  }
}
