package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's start never stalls the host: the same hello world, started many times with the agent,
 * two JVMs at a time (which varies how the agent's startup threads interleave), exits each time
 * with its output. A start that hangs is reported with its thread dump.
 *
 * <p>Why many times: premain runs three threads at once (the host's, the one preloading the agent's
 * classes, the one weaving the JDK's pools), and one interleaving of their class loading
 * deadlocked, in about 1 of 60 starts on JDK 25, before the weaver stopped loading classes for the
 * agent's own.
 */
class RepeatedStartIT {
  private static final Path HOST_JAR =
      Jvm.ROOT.resolve("examples/library-host/target/library-host.jar");
  private static final int STARTS = 40;
  private static final int AT_A_TIME = 2;
  private static final long EXIT_SECONDS = 60;

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void everyStartWithTheAgentRunsTheHostToTheEnd(Path java) throws Exception {
    for (int started = 0; started < STARTS; started += AT_A_TIME) {
      List<Jvm> hosts = new ArrayList<>();
      try {
        for (int i = 0; i < AT_A_TIME; i++) {
          hosts.add(
              Jvm.start(
                  List.of(
                      java.toString(),
                      // executors and HTTP servers on (the defaults), no port to collide on
                      Jvm.agentArgument(0),
                      "-cp",
                      HOST_JAR.toString(),
                      "com.example.libraryhost.HelloHost")));
        }
        for (Jvm host : hosts) {
          assertThat(exited(host, java))
              .as("exit code of start %d; stderr: %s", started, host.stderrLines())
              .isZero();
          assertThat(host.stdoutLines()).contains("hello");
        }
      } finally {
        hosts.forEach(Jvm::close);
      }
    }
  }

  /** The host's exit code, or a failure with its threads when it does not exit in time. */
  private static int exited(Jvm host, Path java) throws Exception {
    if (host.waitFor(EXIT_SECONDS)) {
      return host.exitCode();
    }
    Process dump =
        new ProcessBuilder(
                java.resolveSibling("jcmd").toString(), String.valueOf(host.pid()), "Thread.print")
            .redirectErrorStream(true)
            .start();
    String threads = new String(dump.getInputStream().readAllBytes());
    dump.waitFor(30, TimeUnit.SECONDS);
    throw new AssertionError(
        "the host did not exit within " + EXIT_SECONDS + " s; its threads:\n" + threads);
  }
}
