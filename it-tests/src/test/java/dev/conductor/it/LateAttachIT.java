package dev.conductor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent attached to a demo that is already running ({@code agentmain}, through the Attach API,
 * as monitoring tools load it): it starts, records from then on, also the tasks of a pool worker
 * that was running before, and the tasks that were in flight when it attached leave no gauge below
 * zero (a task whose end is recorded but whose start was not).
 */
class LateAttachIT {
  static List<Path> javas() {
    return Jvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void anAgentAttachedToARunningDemoRecordsFromThenOn(Path java) throws Exception {
    int apiPort = Jvm.freePort();
    int demoPort = Jvm.freePort();
    List<String> command =
        List.of(
            java.toString(),
            "-jar",
            Jvm.DEMO_JAR.toString(),
            "--agents",
            "3",
            "--tasks",
            "600",
            "--rate",
            "300",
            "--linger",
            "60",
            "--port",
            String.valueOf(demoPort));
    try (Jvm demo = Jvm.start(command)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Scrape.listening(demoPort)) {
        assertThat(System.nanoTime()).as("the demo's API is up").isLessThan(deadline);
        Thread.sleep(50);
      }
      Thread.sleep(500); // tasks are running when the agent arrives

      VirtualMachine vm = VirtualMachine.attach(String.valueOf(demo.pid()));
      try {
        vm.loadAgent(
            Jvm.AGENT_JAR.toString(),
            "config="
                + Jvm.DEMO_CONFIG
                + ",metrics.api_port="
                + apiPort
                + ",metrics.prometheus_enabled=false");
      } finally {
        vm.detach();
      }

      // Compared once the demo's fixed workload is done and the exporter has drained it: two
      // counters of a running host are never read at the same instant.
      demo.awaitLine("{\"completed\":", 120);
      Scrape scrape = Scrape.awaitUntil(apiPort, s -> s.total("conductor_tasks_total") >= 200, 30);
      long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      double recorded;
      do {
        recorded = scrape.total("conductor_tasks_total");
        Thread.sleep(300);
        scrape = Scrape.of(apiPort);
      } while (scrape.total("conductor_tasks_total") != recorded && System.nanoTime() < settled);
      assertThat(scrape.total("conductor_task_duration_seconds_count")).isEqualTo(recorded);
      assertThat(scrape.sumBy("conductor_agent_current_tasks", "agent_id").values())
          .as("in-flight tasks per agent, all ended, also those that began before the attach")
          .isNotEmpty()
          .allMatch(inFlight -> inFlight == 0);
      assertThat(scrape.sumBy("conductor_task_queue_length", "priority_level").values())
          .allMatch(length -> length >= 0);
      assertThat(scrape.total("conductor_executor_completed_tasks_total"))
          .as(
              "the health checks of the demo's scheduled pool, whose worker was in its loop before"
                  + " the attach and stays there")
          .isPositive();
      assertThat(scrape.sumBy("conductor_agent_status", "agent_id").values())
          .as("agents known from their health checks")
          .allMatch(status -> status == 0 || status == 1);
      Promtool.assertValid(scrape.text);

      List<String> agentLines =
          demo.stderrLines().stream().filter(l -> l.startsWith("[conductor-agent]")).toList();
      assertThat(agentLines).hasSize(1);
      assertThat(agentLines.get(0)).startsWith("[conductor-agent] Conductor Agent ");
    }
  }
}
