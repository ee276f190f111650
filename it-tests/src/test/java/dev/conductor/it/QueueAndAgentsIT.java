package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue backlog, queue time, throughput and agent state, checked against the demo's own view. */
class QueueAndAgentsIT {
  private static final Path LIBRARY_HOST_JAR =
      Jvm.ROOT.resolve("examples/library-host/target/library-host.jar");

  @Test
  void backlogPerPriorityEqualsTheQueueWhileAgentsArePausedThenDrainsToZero() throws Exception {
    int tasks = 80;
    try (Demo demo =
        Demo.start(
            Jvm.currentJava(),
            "--agents",
            "3",
            "--tasks",
            String.valueOf(tasks),
            "--rate",
            "1000",
            "--paused",
            "--linger",
            "120")) {
      JsonNode status = awaitQueued(demo, tasks);
      Map<String, Double> expected = new HashMap<>();
      status
          .get("queue_by_priority")
          .properties()
          .forEach(level -> expected.put(level.getKey(), level.getValue().asDouble()));

      Scrape paused =
          Scrape.awaitUntil(
              demo.apiPort,
              s -> s.sumBy("conductor_task_queue_length", "priority_level").equals(expected),
              30);
      assertThat(paused.sumBy("conductor_task_queue_length", "priority_level"))
          .as("conductor_task_queue_length per level = the demo's own queue")
          .isEqualTo(expected);
      assertThat(paused.total("conductor_task_queue_time_seconds_count")).isZero();

      assertThat(demo.call("POST", "/resume").statusCode()).isEqualTo(200);
      demo.awaitSummary();
      Scrape done =
          Scrape.awaitUntil(
              demo.apiPort,
              // Every family awaited: a scrape reads one family after the other while the
              // exporter goes on, so a level could read 1 next to an already complete count.
              s ->
                  s.total("conductor_task_queue_time_seconds_count") >= tasks
                      && s.total("conductor_tasks_total") >= tasks
                      && s.total("conductor_task_queue_length") == 0
                      && s.total("conductor_queue_throughput_tasks_per_second") * 60 >= tasks - 0.5,
              30);
      assertThat(done.total("conductor_task_queue_time_seconds_count"))
          .as("one queue-time observation per started task")
          .isEqualTo(tasks);
      assertThat(done.sumBy("conductor_task_queue_length", "priority_level").values())
          .as("every level reads 0 once drained, none stale")
          .hasSize(10)
          .containsOnly(0.0);
      assertThat(done.sumBy("conductor_task_queue_time_seconds_sum", l -> "all").get("all"))
          .as("the tasks really waited while the agents were paused")
          .isGreaterThan(tasks * 0.5);
      assertThat(done.total("conductor_queue_throughput_tasks_per_second"))
          .as("completed executions over the 60 s window")
          .isEqualTo(tasks / 60.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(done.total("conductor_agent_pending_tasks_evicted_total")).isZero();
      Promtool.assertValid(done.text);
    }
  }

  @Test
  void agentStatusFollowsStopAndStartAndHealthFailuresFollowTheFlakyAgent() throws Exception {
    try (Demo demo =
        Demo.start(
            Jvm.currentJava(),
            "--agents",
            "3",
            "--tasks",
            "0",
            "--rate",
            "50",
            "--health-interval-ms",
            "150")) {
      Scrape.awaitUntil(demo.apiPort, s -> s.total("conductor_agent_status") == 3, 30);

      assertThat(demo.call("POST", "/agents/agent-1/stop").statusCode()).isEqualTo(200);
      Scrape stopped =
          Scrape.awaitUntil(
              demo.apiPort,
              s -> s.sumBy("conductor_agent_status", "agent_id").get("agent-1") == 0,
              30);
      assertThat(stopped.sumBy("conductor_agent_status", "agent_id"))
          .containsEntry("agent-1", 0.0)
          .containsEntry("agent-2", 1.0);
      assertThat(demo.call("POST", "/agents/agent-1/start").statusCode()).isEqualTo(200);
      Scrape.awaitUntil(
          demo.apiPort, s -> s.sumBy("conductor_agent_status", "agent_id").get("agent-1") == 1, 30);

      // The flaky agent's consecutive failures move all the time: compare at a moment when two
      // scrapes around the demo's own answer agree. Two or more in a row are awaited: its check
      // calls super.healthCheck() first, and only counting the two as one check gets past 1.
      boolean compared = false;
      boolean sawFailures = false;
      for (int attempt = 0; attempt < 400 && !(compared && sawFailures); attempt++) {
        Map<String, Double> before =
            Scrape.of(demo.apiPort).sumBy("conductor_agent_health_failures", "agent_id");
        JsonNode agents = demo.status().get("agents");
        Map<String, Double> after =
            Scrape.of(demo.apiPort).sumBy("conductor_agent_health_failures", "agent_id");
        Map<String, Double> demoView = new HashMap<>();
        agents
            .properties()
            .forEach(
                a ->
                    demoView.put(
                        a.getKey(), a.getValue().get("consecutive_health_failures").asDouble()));
        if (before.equals(after) && before.equals(demoView)) {
          compared = true;
          sawFailures |= demoView.get("agent-3") >= 2;
        }
        Thread.sleep(20);
      }
      assertThat(compared).as("the agent's health failures matched the demo's own count").isTrue();
      assertThat(sawFailures).as("the flaky agent-3 showed 2+ consecutive failures").isTrue();
      Map<String, Double> failures =
          Scrape.of(demo.apiPort).sumBy("conductor_agent_health_failures", "agent_id");
      assertThat(failures).containsEntry("agent-1", 0.0).containsEntry("agent-2", 0.0);
      Map<String, Double> inFlight =
          Scrape.of(demo.apiPort).sumBy("conductor_agent_current_tasks", "agent_id");
      assertThat(inFlight.values()).allSatisfy(n -> assertThat(n).isBetween(0.0, 1.0));
    }
  }

  /**
   * While a task runs, with nothing else recorded meanwhile: its agent has it in flight and it has
   * left the backlog; once it ended, neither.
   */
  @Test
  void aRunningTaskIsInFlightAndOutOfTheBacklogUntilItEnds(@TempDir Path dir) throws Exception {
    int apiPort = Jvm.freePort();
    Path release = dir.resolve("release");
    int jobs = 3;
    try (Jvm running =
        startQueueHost(
            dir,
            apiPort,
            "RunningTaskHost",
            "{agent_id: this.id, priority: arg0.priority}",
            List.of("task: arg0", "priority: arg0.priority"),
            String.valueOf(jobs),
            release.toString(),
            "60")) {
      running.awaitLine("{\"running\":", 60);
      Scrape during =
          Scrape.awaitUntil(
              apiPort,
              s ->
                  s.sumBy("conductor_agent_current_tasks", "agent_id").getOrDefault("worker-1", 0.0)
                      == 1,
              30);
      assertThat(during.sumBy("conductor_agent_current_tasks", "agent_id"))
          .as("the running job is in flight")
          .containsEntry("worker-1", 1.0);
      assertThat(during.sumBy("conductor_task_queue_length", "priority_level"))
          .as("the running job has left the backlog, the others wait")
          .containsEntry("2", jobs - 1.0);
      assertThat(during.total("conductor_task_queue_time_seconds_count")).isEqualTo(1);
      assertThat(during.total("conductor_tasks_total")).isZero();

      Files.createFile(release);
      running.awaitLine("{\"executed\":", 60);
      // A scrape is no snapshot: it collects the metrics one by one while the exporter goes on, so
      // it can count the last task done and still see it in flight. Wait for both to settle.
      Scrape after =
          Scrape.awaitUntil(
              apiPort,
              s ->
                  s.total("conductor_tasks_total") >= jobs
                      && s.sumBy("conductor_agent_current_tasks", "agent_id")
                              .getOrDefault("worker-1", -1.0)
                          == 0,
              30);
      assertThat(after.sumBy("conductor_agent_current_tasks", "agent_id"))
          .as("in flight once all jobs ended")
          .containsEntry("worker-1", 0.0);
      assertThat(after.total("conductor_task_queue_length")).isZero();
      assertThat(after.total("conductor_task_queue_time_seconds_count")).isEqualTo(jobs);
      Promtool.assertValid(after.text);
    }
  }

  /**
   * A queue that hands the worker a copy of each job: queue time is matched by the task id
   * expressions of both points, since the object submitted never starts.
   */
  @Test
  void queueTimeIsMatchedByTaskIdWhenTheQueueCopiesEachTask(@TempDir Path dir) throws Exception {
    int apiPort = Jvm.freePort();
    int jobs = 60;
    try (Jvm copying =
        startQueueHost(
            dir,
            apiPort,
            "CopyingQueueHost",
            "{task_type: arg0.type, task_id: arg0.id}",
            List.of("task_id: arg0.id", "task_type: arg0.type", "priority: arg0.priority"),
            String.valueOf(jobs),
            "60")) {
      JsonNode done =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(copying.awaitLine("{\"executed\":", 60));
      assertThat(done.get("executed").asInt()).isEqualTo(jobs);
      double delaySeconds = done.get("worker_delay_ms").asDouble() / 1000;
      Scrape scrape =
          Scrape.awaitUntil(
              apiPort,
              s ->
                  s.total("conductor_task_queue_time_seconds_count") >= jobs
                      && s.total("conductor_tasks_total") >= jobs
                      && s.total("conductor_task_queue_length") == 0,
              30);
      assertThat(scrape.sumBy("conductor_task_queue_time_seconds_count", "task_type"))
          .as("every copy matched to its submit by id")
          .isEqualTo(Map.of("report", jobs / 2.0, "export", jobs / 2.0));
      assertThat(scrape.total("conductor_task_queue_time_seconds_sum"))
          .as("each job waited at least the worker's delay")
          .isGreaterThanOrEqualTo(jobs * delaySeconds);
      assertThat(scrape.total("conductor_task_queue_length")).isZero();
      assertThat(scrape.total("conductor_agent_pending_tasks_evicted_total")).isZero();
    }
  }

  /**
   * Starts {@code host}, a library-host main with a {@code Worker} and a {@code Dispatcher}, given
   * {@code args}, with the agent and a config of one task point on {@code Worker.execute} with
   * {@code taskLabels} and one enqueue point on {@code Dispatcher.submit} with {@code enqueueKeys}.
   */
  private static Jvm startQueueHost(
      Path dir,
      int apiPort,
      String host,
      String taskLabels,
      List<String> enqueueKeys,
      String... args)
      throws IOException {
    String main = "com.example.libraryhost." + host;
    List<String> config = new ArrayList<>();
    config.addAll(
        List.of(
            "instrumentation:",
            "  tasks:",
            "    - type: " + main + "$Worker",
            "      method: execute",
            "      labels: " + taskLabels,
            "  enqueue:",
            "    - type: " + main + "$Dispatcher",
            "      method: submit"));
    enqueueKeys.forEach(key -> config.add("      " + key));
    Path file = dir.resolve(host + ".yaml");
    Files.write(file, config);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            Jvm.currentJava().toString(),
            Jvm.agentArgument(file, apiPort),
            "-cp",
            LIBRARY_HOST_JAR.toString(),
            main));
    command.addAll(List.of(args));
    return Jvm.start(command);
  }

  private static JsonNode awaitQueued(Demo demo, int tasks) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonNode status = demo.status();
    while (status.get("queued").asInt() < tasks && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = demo.status();
    }
    assertThat(status.get("queued").asInt()).isEqualTo(tasks);
    return status;
  }
}
