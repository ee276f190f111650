package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host that only uses plain thread pools, and an agent given no config file at all: the pool
 * metrics are exact for a known workload of lambdas, submits, CompletableFuture stages, nested
 * submissions, failures and rejections.
 */
class ExecutorsIT {
  private static final Path HOST_JAR =
      Jvm.ROOT.resolve("examples/library-host/target/library-host.jar");

  static List<Path> javas() {
    return Jvm.javas();
  }

  /**
   * A library-host main with the agent and no config file (only the API port is set), given {@code
   * args}.
   */
  private static Jvm startWithoutConfig(Path java, int apiPort, String main, String... args)
      throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            java.toString(),
            Jvm.agentArgument(apiPort),
            "-cp",
            HOST_JAR.toString(),
            "com.example.libraryhost." + main));
    command.addAll(List.of(args));
    return Jvm.start(command);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void threadPoolMetricsAreExactWithNoConfig(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    try (Jvm host = startWithoutConfig(java, apiPort, "ExecutorHost", "50", "60")) {
      JsonNode ran = new ObjectMapper().readTree(host.awaitLine("{\"pool_tasks\":", 60));
      int rejected = ran.get("rejected").asInt();
      // the fixed pool's tasks, plus the small pool's that were not rejected (both are created
      // by ExecutorHost, so both carry its name)
      double expected = ran.get("pool_tasks").asInt() + (4 - rejected);

      Scrape.awaitUntil(
          apiPort, s -> s.total("conductor_executor_completed_tasks_total") >= expected, 30);
      Scrape scrape = Scrape.of(apiPort);
      assertThat(scrape.sumBy("conductor_executor_completed_tasks_total", "pool"))
          .as("every pool task counted once, by the class that created the pool")
          .isEqualTo(Map.of("ExecutorHost", expected));
      assertThat(scrape.sumBy("conductor_executor_run_seconds_count", "pool"))
          .isEqualTo(Map.of("ExecutorHost", expected));
      assertThat(scrape.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .as("each start joined to its submit")
          .isEqualTo(Map.of("ExecutorHost", expected));
      assertThat(scrape.sumBy("conductor_executor_rejected_tasks_total", "pool"))
          .isEqualTo(Map.of("ExecutorHost", (double) rejected));
      assertThat(scrape.sumBy("conductor_executor_queue_length", "pool"))
          .isEqualTo(Map.of("ExecutorHost", 0.0));
      assertThat(scrape.sumBy("conductor_executor_active_threads", "pool"))
          .isEqualTo(Map.of("ExecutorHost", 0.0));
      assertThat(scrape.sumBy("conductor_errors_total", "error_type"))
          .isEqualTo(Map.of("IllegalStateException", ran.get("thrown").asDouble()));
      assertThat(scrape.total("conductor_agent_events_dropped_total")).isZero();
      Promtool.assertValid(scrape.text);
    }
  }

  /**
   * Tasks that run long show as active threads while they run, and those behind them as the queue,
   * before any of them ends; both read 0 once everything ran.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void runningAndWaitingTasksShowWhileTheyRunAndWait(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    // three workers busy, five tasks queued behind them, for ten seconds
    try (Jvm host = startWithoutConfig(java, apiPort, "BusyPoolHost", "3", "5", "10", "60")) {
      host.awaitLine("{\"busy\":", 60);
      // A scrape reads one series after another while the exporter updates them, so wait until
      // they agree, then check a scrape taken after: nothing changes while the tasks wait.
      Scrape.awaitUntil(
          apiPort,
          s ->
              s.total("conductor_executor_active_threads") == 3
                  && s.total("conductor_executor_queue_length") == 5
                  && s.total("conductor_executor_queue_wait_seconds_count") == 3,
          8);
      Scrape busy = Scrape.of(apiPort);
      assertThat(busy.sumBy("conductor_executor_active_threads", "pool"))
          .as("every worker runs a task that has not ended")
          .isEqualTo(Map.of("BusyPoolHost", 3.0));
      assertThat(busy.sumBy("conductor_executor_queue_length", "pool"))
          .isEqualTo(Map.of("BusyPoolHost", 5.0));
      assertThat(busy.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .as("the running tasks' waits, recorded as they started")
          .isEqualTo(Map.of("BusyPoolHost", 3.0));
      assertThat(busy.total("conductor_executor_completed_tasks_total")).isZero();

      host.awaitLine("{\"released\":", 60);
      Scrape.awaitUntil(
          apiPort,
          s ->
              s.total("conductor_executor_completed_tasks_total") >= 8
                  && s.total("conductor_executor_queue_wait_seconds_count") >= 8
                  && s.total("conductor_executor_active_threads") == 0
                  && s.total("conductor_executor_queue_length") == 0,
          30);
      Scrape done = Scrape.of(apiPort);
      assertThat(done.sumBy("conductor_executor_completed_tasks_total", "pool"))
          .isEqualTo(Map.of("BusyPoolHost", 8.0));
      assertThat(done.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .isEqualTo(Map.of("BusyPoolHost", 8.0));
      assertThat(done.sumBy("conductor_executor_active_threads", "pool"))
          .isEqualTo(Map.of("BusyPoolHost", 0.0));
      assertThat(done.sumBy("conductor_executor_queue_length", "pool"))
          .isEqualTo(Map.of("BusyPoolHost", 0.0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void forkJoinPoolsAreMeasuredWithNoConfig(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    try (Jvm host = startWithoutConfig(java, apiPort, "ForkJoinHost", "40", "60")) {
      JsonNode ran = new ObjectMapper().readTree(host.awaitLine("{\"common_pool_tasks\":", 60));
      double common = ran.get("common_pool_tasks").asDouble();
      double own = ran.get("own_pool_tasks").asDouble();
      Map<String, Double> expected = Map.of("ForkJoinPool.commonPool", common, "ForkJoinHost", own);

      Scrape.awaitUntil(
          apiPort, s -> s.total("conductor_executor_completed_tasks_total") >= common + own, 30);
      Scrape scrape = Scrape.of(apiPort);
      assertThat(scrape.sumBy("conductor_executor_completed_tasks_total", "pool"))
          .as("each async stage, callable and runnable counted once, on the pool that ran it")
          .isEqualTo(expected);
      assertThat(scrape.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .as("each start joined to its submit")
          .isEqualTo(expected);
      assertThat(scrape.sumBy("conductor_executor_queue_length", "pool"))
          .isEqualTo(Map.of("ForkJoinPool.commonPool", 0.0, "ForkJoinHost", 0.0));
      assertThat(scrape.sumBy("conductor_executor_active_threads", "pool"))
          .isEqualTo(Map.of("ForkJoinPool.commonPool", 0.0, "ForkJoinHost", 0.0));
      Promtool.assertValid(scrape.text);
    }
  }

  /** A scheduled pool's queue wait is how late each run starts against its scheduled time. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void scheduledPoolsReportHowLateEachRunStarts(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    try (Jvm host = startWithoutConfig(java, apiPort, "ScheduledHost", "30", "60")) {
      JsonNode ran = new ObjectMapper().readTree(host.awaitLine("{\"one_shot_tasks\":", 60));
      double runs = ran.get("one_shot_tasks").asDouble() + ran.get("periodic_runs").asDouble();
      Scrape.awaitUntil(
          apiPort, s -> s.total("conductor_executor_completed_tasks_total") >= runs, 30);
      Scrape scrape = Scrape.of(apiPort);
      assertThat(scrape.sumBy("conductor_executor_completed_tasks_total", "pool"))
          .isEqualTo(Map.of("ScheduledHost", runs));
      assertThat(scrape.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .as("one wait per run, one-shot and periodic alike")
          .isEqualTo(Map.of("ScheduledHost", runs));
      assertThat(scrape.total("conductor_executor_queue_wait_seconds_sum"))
          .as("lateness, not the scheduled delays (which add up to more than 50 ms)")
          .isLessThan(runs * 1.0);
      assertThat(scrape.sumBy("conductor_executor_queue_length", "pool"))
          .as("the tasks scheduled an hour ahead, in the pool's queue")
          .isEqualTo(Map.of("ScheduledHost", ran.get("parked_tasks").asDouble()));
    }
  }

  @org.junit.jupiter.api.Test
  void virtualThreadExecutorsAreMeasuredOnJdk25UnderTheConfiguredName(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isExecutable(Jvm.JDK25), "JDK 25 is not on this machine");
    int apiPort = Jvm.freePort();
    Path config = dir.resolve("names.yaml");
    java.nio.file.Files.writeString(
        config,
        "instrumentation:\n"
            + "  executor_names: {com.example.libraryhost.VirtualThreadHost: virtual-workers}\n");
    List<String> command =
        List.of(
            Jvm.JDK25.toString(),
            Jvm.agentArgument(config, apiPort),
            "-cp",
            HOST_JAR.toString(),
            "com.example.libraryhost.VirtualThreadHost",
            "100",
            "60");
    try (Jvm host = Jvm.start(command)) {
      JsonNode ran = new ObjectMapper().readTree(host.awaitLine("{\"virtual_tasks\":", 60));
      double expected = ran.get("virtual_tasks").asDouble();
      Scrape.awaitUntil(
          apiPort, s -> s.total("conductor_executor_completed_tasks_total") >= expected, 30);
      Scrape scrape = Scrape.of(apiPort);
      assertThat(scrape.sumBy("conductor_executor_completed_tasks_total", "pool"))
          .isEqualTo(Map.of("virtual-workers", expected));
      assertThat(scrape.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .as("submit to start of each virtual thread")
          .isEqualTo(Map.of("virtual-workers", expected));
      assertThat(scrape.sumBy("conductor_executor_active_threads", "pool"))
          .isEqualTo(Map.of("virtual-workers", 0.0));
    }
  }

  /** The same with no config at all: the executor is named after the class that created it. */
  @org.junit.jupiter.api.Test
  void virtualThreadExecutorsAreMeasuredOnJdk25WithNoConfig() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isExecutable(Jvm.JDK25), "JDK 25 is not on this machine");
    int apiPort = Jvm.freePort();
    try (Jvm host = startWithoutConfig(Jvm.JDK25, apiPort, "VirtualThreadHost", "100", "60")) {
      JsonNode ran = new ObjectMapper().readTree(host.awaitLine("{\"virtual_tasks\":", 60));
      double expected = ran.get("virtual_tasks").asDouble();
      Scrape.awaitUntil(
          apiPort,
          s ->
              s.total("conductor_executor_completed_tasks_total") >= expected
                  && s.total("conductor_executor_run_seconds_count") >= expected,
          30);
      Scrape scrape = Scrape.of(apiPort);
      Map<String, Double> each = Map.of("VirtualThreadHost", expected);
      assertThat(scrape.sumBy("conductor_executor_completed_tasks_total", "pool")).isEqualTo(each);
      assertThat(scrape.sumBy("conductor_executor_queue_wait_seconds_count", "pool"))
          .isEqualTo(each);
      assertThat(scrape.sumBy("conductor_executor_run_seconds_count", "pool")).isEqualTo(each);
      assertThat(scrape.sumBy("conductor_executor_queue_length", "pool"))
          .isEqualTo(Map.of("VirtualThreadHost", 0.0));
      assertThat(scrape.sumBy("conductor_executor_active_threads", "pool"))
          .isEqualTo(Map.of("VirtualThreadHost", 0.0));
      Promtool.assertValid(scrape.text);
    }
  }
}
