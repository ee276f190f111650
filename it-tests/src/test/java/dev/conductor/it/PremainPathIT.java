package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent's premain runs on the host's main thread, before the host's {@code main}: no
 * lambda or method reference of the agent's own. The first one spins its class through the JVM's
 * lambda machinery, which cost a hello world's startup 10–25 ms each time one crept onto this path
 * (PERFORMANCE.md, eighth and seventeenth sessions), with nothing else to show for it.
 *
 * <p>Read from the JVM's class-load log with thread ids: the host's main thread is the one that
 * loads the main class, and nothing it loaded before that may be an agent class's lambda. The
 * config has a task and an enqueue point, so that the points are checked and the task classes for
 * the trace context fields looked up.
 */
class PremainPathIT {
  private static final Path HOST_JAR =
      Jvm.ROOT.resolve("examples/library-host/target/library-host.jar");
  private static final String MAIN = "com.example.libraryhost.HelloHost";
  private static final String QUEUE_HOST = "com.example.libraryhost.CopyingQueueHost";

  /** A class-load log line with the thread id decorator: {@code [tid] class.Name source: ...}. */
  private static final Pattern LOADED = Pattern.compile("^\\[(\\d+)\\] (\\S+) .*");

  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void premainSpinsNoLambdaOfTheAgentsOnTheHostsMainThread(Path java, @TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("points.yaml");
    Files.write(
        config,
        List.of(
            "metrics:",
            "  api_enabled: false",
            "  prometheus_enabled: false",
            "instrumentation:",
            "  tasks:",
            "    - type: " + QUEUE_HOST + "$Worker",
            "      method: execute",
            "      labels: {task_type: arg0.type}",
            "  enqueue:",
            "    - type: " + QUEUE_HOST + "$Dispatcher",
            "      method: submit",
            "      task: arg0"));
    Path log = dir.resolve("class-load.log");
    try (Jvm host =
        Jvm.start(
            List.of(
                java.toString(),
                "-Xlog:class+load=info:file=" + log + ":tid",
                "-javaagent:" + Jvm.AGENT_JAR + "=config=" + config,
                "-cp",
                HOST_JAR.toString(),
                MAIN))) {
      assertThat(host.awaitExit(60)).as("stderr: %s", host.stderrLines()).isZero();
    }

    List<String[]> loads = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      Matcher loaded = LOADED.matcher(line);
      if (loaded.matches()) {
        loads.add(new String[] {loaded.group(1), loaded.group(2)});
      }
    }
    String mainThread = null;
    int mainLoaded = -1;
    for (int i = 0; i < loads.size() && mainThread == null; i++) {
      if (loads.get(i)[1].equals(MAIN)) {
        mainThread = loads.get(i)[0];
        mainLoaded = i;
      }
    }
    assertThat(mainThread).as("the main class's load in %s", log).isNotNull();
    List<String> agentLambdas = new ArrayList<>();
    boolean agentRan = false;
    for (String[] load : loads.subList(0, mainLoaded)) {
      if (!load[0].equals(mainThread)) {
        continue;
      }
      agentRan |= load[1].startsWith("dev.conductor.agent.");
      if (load[1].startsWith("dev.conductor.") && load[1].contains("$$Lambda")) {
        agentLambdas.add(load[1]);
      }
    }
    assertThat(agentRan).as("premain ran on the main thread before the main class").isTrue();
    assertThat(agentLambdas).as("the agent's lambdas spun in premain").isEmpty();
  }
}
