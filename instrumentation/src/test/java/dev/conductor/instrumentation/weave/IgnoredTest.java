package dev.conductor.instrumentation.weave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which classes are never woven, by the name a transformer gets and by a loaded class's name. */
class IgnoredTest {
  private static final List<String> IGNORED =
      List.of(
          "java/lang/String",
          "java/util/HashMap",
          "sun/nio/fs/UnixPath",
          "jdk/internal/misc/Unsafe",
          "com/sun/crypto/provider/AESCrypt",
          "dev/conductor/exporter/ConductorExporter",
          "demo/Orchestrator$$Lambda/0x0000000800c0b000");

  private static final List<String> LOOKED_AT =
      List.of(
          "java/util/concurrent/ThreadPoolExecutor",
          "java/util/concurrent/CompletableFuture$Completion",
          "com/sun/net/httpserver/HttpServer",
          "sun/net/www/protocol/http/HttpURLConnection",
          "jdk/internal/net/http/HttpClientImpl",
          "demo/Orchestrator",
          "javax/servlet/http/HttpServlet");

  @Test
  void theJdkAndTheAgentAreIgnoredExceptWhatHasHooks() {
    for (String name : IGNORED) {
      assertThat(Ignored.isIgnored(name)).as(name).isTrue();
    }
    for (String name : LOOKED_AT) {
      assertThat(Ignored.isIgnored(name)).as(name).isFalse();
    }
  }

  @Test
  void aLoadedClassNameWithDotsGetsTheSameAnswer() {
    for (String name : IGNORED) {
      assertThat(Ignored.isIgnoredLoaded(name.replace('/', '.'))).as(name).isTrue();
    }
    for (String name : LOOKED_AT) {
      assertThat(Ignored.isIgnoredLoaded(name.replace('/', '.'))).as(name).isFalse();
    }
  }
}
