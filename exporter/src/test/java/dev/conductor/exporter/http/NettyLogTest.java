package dev.conductor.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyLogTest {
  private final InternalLoggerFactory before = InternalLoggerFactory.getDefaultFactory();

  @AfterEach
  void restore() {
    InternalLoggerFactory.setDefaultFactory(before);
  }

  @Test
  void nettysWarningsAndErrorsBecomeAgentWarningsAndTheRestIsDropped() {
    List<String> warnings = new ArrayList<>();
    NettyLog.install(warnings::add);
    InternalLogger logger = InternalLoggerFactory.getInstance("io.netty.Sample");

    logger.info("started {}", "quietly");
    logger.debug("detail {} {}", 1, 2);
    logger.warn("port {} is busy", 8080);
    logger.error("failed {} of {}", 1, 3, new IllegalStateException("x"));
    logger.warn("closing", new IllegalStateException("boom"));

    assertThat(logger.isInfoEnabled()).isFalse();
    assertThat(warnings)
        .containsExactly(
            "netty: port 8080 is busy",
            "netty: failed 1 of 3 (java.lang.IllegalStateException: x)",
            "netty: closing (java.lang.IllegalStateException: boom)");
  }

  @Test
  void placeholdersAreFilledInTurnAndExtraOnesLeftAsTheyAre() {
    assertThat(NettyLog.format("a {} b {} c", 1, "two")).isEqualTo("a 1 b two c");
    assertThat(NettyLog.format("a {} b {}", 1)).isEqualTo("a 1 b {}");
    assertThat(NettyLog.format("no placeholder", 1)).isEqualTo("no placeholder");
    assertThat(NettyLog.format(null)).isEqualTo("null");
  }
}
