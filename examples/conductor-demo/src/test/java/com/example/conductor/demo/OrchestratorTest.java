package com.example.conductor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OrchestratorTest {

  /** Records every execute call, then does the real work. */
  static final class CountingAgent extends Agent {
    final Map<String, AtomicInteger> calls;
    final List<String> order = Collections.synchronizedList(new ArrayList<>());

    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();

    CountingAgent(String id, Map<String, AtomicInteger> calls) {
      super(id);
      this.calls = calls;
    }

    @Override
    public void start() {
      starts.incrementAndGet();
      super.start();
    }

    @Override
    public void stop() {
      stops.incrementAndGet();
      super.stop();
    }

    @Override
    public TaskResult execute(Task task) {
      calls.computeIfAbsent(task.getId(), k -> new AtomicInteger()).incrementAndGet();
      order.add(task.getId());
      return super.execute(task);
    }
  }

  @Test
  void executesEveryTaskExactlyOnceAndCountsExactly() throws InterruptedException {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    List<Agent> agents =
        List.of(
            new CountingAgent("agent-1", calls),
            new CountingAgent("agent-2", calls),
            new FlakyAgent("agent-3", 7));
    Orchestrator orchestrator = new Orchestrator(agents);
    TaskFactory factory = new TaskFactory(1);
    orchestrator.start();
    int n = 80;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Task task = factory.createRandom();
      ids.add(task.getId());
      orchestrator.submit(task);
    }
    Stats.Snapshot snapshot = orchestrator.awaitAllFinished();
    orchestrator.stop();

    assertEquals(n, snapshot.submitted());
    assertEquals(n, snapshot.finished());
    long byStatus =
        snapshot.completed().values().stream()
            .flatMap(m -> m.values().stream())
            .mapToLong(Long::longValue)
            .sum();
    assertEquals(n, byStatus);
    assertEquals(n, snapshot.byAgent().values().stream().mapToLong(Long::longValue).sum());
    assertTrue(
        snapshot.thrown()
            <= snapshot.completed().values().stream()
                .mapToLong(m -> m.get(TaskResult.FAILED))
                .sum());
    long countedCalls = snapshot.byAgent().get("agent-1") + snapshot.byAgent().get("agent-2");
    assertEquals(countedCalls, calls.size());
    calls.values().forEach(c -> assertEquals(1, c.get()));
    for (String id : ids) {
      String status = orchestrator.lookup(id).orElseThrow().status();
      assertTrue(TaskResult.STATUSES.contains(status), status);
    }
  }

  @Test
  void countsThrownExceptionsAsFailed() throws InterruptedException {
    Agent crashing =
        new Agent("agent-1") {
          @Override
          public TaskResult execute(Task task) {
            throw new TaskExecutionException("boom");
          }
        };
    Orchestrator orchestrator = new Orchestrator(List.of(crashing));
    TaskFactory factory = new TaskFactory(2);
    for (int i = 0; i < 10; i++) {
      orchestrator.submit(factory.create(TaskType.DOCUMENTATION, 3));
    }
    orchestrator.start();
    Stats.Snapshot snapshot = orchestrator.awaitAllFinished();
    orchestrator.stop();
    assertEquals(10, snapshot.thrown());
    assertEquals(10L, snapshot.completed().get("documentation").get(TaskResult.FAILED));
    assertTrue(snapshot.toSummaryJson().startsWith("{\"completed\":{"));
  }

  @Test
  void runsByPriorityThenFifo() throws InterruptedException {
    CountingAgent agent = new CountingAgent("agent-1", new ConcurrentHashMap<>());
    Orchestrator orchestrator = new Orchestrator(List.of(agent));
    TaskFactory factory = new TaskFactory(3);
    // Queued before start, so the single worker sees all of them at once.
    Task p5 = factory.create(TaskType.DOCUMENTATION, 5);
    Task p0a = factory.create(TaskType.DOCUMENTATION, 0);
    Task p9 = factory.create(TaskType.DOCUMENTATION, 9);
    Task p0b = factory.create(TaskType.DOCUMENTATION, 0);
    for (Task task : List.of(p5, p0a, p9, p0b)) {
      orchestrator.submit(task);
    }
    orchestrator.start();
    orchestrator.awaitAllFinished();
    orchestrator.stop();
    assertEquals(List.of(p0a.getId(), p0b.getId(), p5.getId(), p9.getId()), agent.order);
  }

  @Test
  void rejectsDuplicatesAndSubmissionsAfterStop() {
    Orchestrator orchestrator = new Orchestrator(List.of(new Agent("agent-1")));
    Task task = new TaskFactory(4).create(TaskType.ANALYSIS, 1);
    orchestrator.submit(task);
    assertThrows(IllegalArgumentException.class, () -> orchestrator.submit(task));
    orchestrator.stop();
    assertThrows(
        IllegalStateException.class,
        () -> orchestrator.submit(new TaskFactory(5).create(TaskType.ANALYSIS, 1)));
  }

  /** Blocks inside execute until released; reports whether it was still started at the end. */
  static final class BlockingAgent extends Agent {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean stoppedWhileExecuting = new AtomicBoolean();

    BlockingAgent(String id) {
      super(id);
    }

    @Override
    public TaskResult execute(Task task) {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!isRunning()) {
        stoppedWhileExecuting.set(true);
      }
      return TaskResult.success("done " + task.getId());
    }
  }

  /**
   * Health checks answer false, throw, true, false, throw, then false forever; a check of a stopped
   * agent is recorded as a violation.
   */
  static final class ScriptedHealthAgent extends Agent {
    final AtomicInteger checks = new AtomicInteger();
    final AtomicBoolean checkedWhileStopped = new AtomicBoolean();

    ScriptedHealthAgent(String id) {
      super(id);
    }

    @Override
    public boolean healthCheck() {
      if (!isRunning()) {
        checkedWhileStopped.set(true);
      }
      switch (checks.getAndIncrement()) {
        case 1:
        case 4:
          throw new IllegalStateException("no answer");
        case 2:
          return true;
        default:
          return false;
      }
    }
  }

  @Test
  void pausedOrchestratorTakesNothingUntilResumed() throws InterruptedException {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Orchestrator orchestrator =
        new Orchestrator(
            List.of(new CountingAgent("agent-1", calls), new CountingAgent("agent-2", calls)));
    TaskFactory factory = new TaskFactory(6);
    orchestrator.pause();
    orchestrator.start();
    for (int i = 0; i < 30; i++) {
      orchestrator.submit(factory.create(TaskType.DOCUMENTATION, i % 10));
    }
    // Twice as many of priority 7.
    for (int i = 0; i < 3; i++) {
      orchestrator.submit(factory.create(TaskType.DOCUMENTATION, 7));
    }
    Thread.sleep(200);
    assertTrue(calls.isEmpty(), calls.toString());
    assertEquals(0, orchestrator.snapshot().finished());
    Orchestrator.DispatchView view = orchestrator.dispatchView();
    assertTrue(view.paused());
    assertEquals(33, view.queued());
    assertEquals(33, orchestrator.queueLength());
    Map<String, Long> expected = new LinkedHashMap<>();
    for (int p = 0; p <= 9; p++) {
      expected.put(Integer.toString(p), p == 7 ? 6L : 3L);
    }
    assertEquals(expected, view.queuedByPriority());
    assertEquals(Map.of("agent-1", 0L, "agent-2", 0L), view.running());
    assertEquals(Map.of("agent-1", true, "agent-2", true), view.agentRunning());

    orchestrator.resume();
    assertEquals(33, orchestrator.awaitAllFinished().finished());
    assertEquals(33, calls.size());
    calls.values().forEach(c -> assertEquals(1, c.get()));
    view = orchestrator.dispatchView();
    assertFalse(view.paused());
    assertEquals(0, view.queued());
    view.queuedByPriority().values().forEach(n -> assertEquals(0L, n));

    // Submissions continue while paused again.
    orchestrator.pause();
    for (int i = 0; i < 5; i++) {
      orchestrator.submit(factory.create(TaskType.ANALYSIS, 2));
    }
    Thread.sleep(150);
    assertEquals(33, calls.size());
    assertEquals(5L, orchestrator.dispatchView().queuedByPriority().get("2"));
    orchestrator.resume();
    Stats.Snapshot snapshot = orchestrator.awaitAllFinished();
    orchestrator.stop();
    assertEquals(38, snapshot.finished());
    assertEquals(38, calls.size());
  }

  @Test
  void pauseLetsTheCurrentTaskFinishThenTakesNoOther() throws InterruptedException {
    BlockingAgent agent = new BlockingAgent("agent-1");
    Orchestrator orchestrator = new Orchestrator(List.of(agent));
    TaskFactory factory = new TaskFactory(7);
    orchestrator.start();
    for (int i = 0; i < 3; i++) {
      orchestrator.submit(factory.create(TaskType.DOCUMENTATION, 4));
    }
    assertTrue(agent.entered.await(5, TimeUnit.SECONDS));
    assertEquals(Map.of("agent-1", 1L), orchestrator.dispatchView().running());
    orchestrator.pause();
    agent.release.countDown();
    waitUntil(() -> orchestrator.snapshot().finished() == 1);
    Thread.sleep(150);
    assertEquals(1, agent.calls.get());
    assertEquals(2, orchestrator.dispatchView().queued());
    assertEquals(Map.of("agent-1", 0L), orchestrator.dispatchView().running());
    orchestrator.resume();
    assertEquals(3, orchestrator.awaitAllFinished().finished());
    orchestrator.stop();
    assertEquals(3, agent.calls.get());
  }

  @Test
  void stoppedAgentTakesNoTasksUntilStartedAgain() throws InterruptedException {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    CountingAgent one = new CountingAgent("agent-1", calls);
    CountingAgent two = new CountingAgent("agent-2", calls);
    Orchestrator orchestrator = new Orchestrator(List.of(one, two));
    TaskFactory factory = new TaskFactory(8);
    orchestrator.start();
    assertTrue(orchestrator.stopAgent("agent-1"));
    assertFalse(orchestrator.stopAgent("agent-1"));
    assertFalse(one.isRunning());
    assertEquals(
        Map.of("agent-1", false, "agent-2", true), orchestrator.dispatchView().agentRunning());
    for (int i = 0; i < 20; i++) {
      orchestrator.submit(factory.createRandom());
    }
    Stats.Snapshot snapshot = orchestrator.awaitAllFinished();
    assertEquals(Map.of("agent-1", 0L, "agent-2", 20L), snapshot.byAgent());

    assertTrue(orchestrator.startAgent("agent-1"));
    assertFalse(orchestrator.startAgent("agent-1"));
    assertTrue(orchestrator.stopAgent("agent-2"));
    for (int i = 0; i < 10; i++) {
      orchestrator.submit(factory.createRandom());
    }
    snapshot = orchestrator.awaitAllFinished();
    assertEquals(Map.of("agent-1", 10L, "agent-2", 20L), snapshot.byAgent());
    assertEquals(30, calls.size());
    calls.values().forEach(c -> assertEquals(1, c.get()));
    assertThrows(IllegalArgumentException.class, () -> orchestrator.stopAgent("agent-3"));
    assertTrue(orchestrator.hasAgent("agent-2"));
    assertFalse(orchestrator.hasAgent("agent-3"));

    orchestrator.stop();
    // Each start is matched by exactly one stop: the orchestrator does not stop agent-2 twice.
    assertEquals(2, one.starts.get());
    assertEquals(2, one.stops.get());
    assertEquals(1, two.starts.get());
    assertEquals(1, two.stops.get());
    assertThrows(IllegalStateException.class, () -> orchestrator.startAgent("agent-2"));
  }

  @Test
  void stoppingAnAgentLetsItsCurrentTaskFinishFirst() throws Exception {
    BlockingAgent agent = new BlockingAgent("agent-1");
    CountingAgent other = new CountingAgent("agent-2", new ConcurrentHashMap<>());
    Orchestrator orchestrator = new Orchestrator(List.of(agent, other));
    TaskFactory factory = new TaskFactory(9);
    // Only agent-1 runs until the blocking task is in hand.
    orchestrator.start();
    orchestrator.stopAgent("agent-2");
    orchestrator.submit(factory.create(TaskType.DOCUMENTATION, 0));
    assertTrue(agent.entered.await(5, TimeUnit.SECONDS));
    Thread stopper = new Thread(() -> orchestrator.stopAgent("agent-1"));
    stopper.start();
    Thread.sleep(100);
    // The agent is no longer given tasks, but stop() waits for the task in hand.
    assertFalse(orchestrator.dispatchView().agentRunning().get("agent-1"));
    assertTrue(agent.isRunning());
    orchestrator.startAgent("agent-2");
    for (int i = 0; i < 5; i++) {
      orchestrator.submit(factory.create(TaskType.DOCUMENTATION, 1));
    }
    waitUntil(() -> orchestrator.snapshot().byAgent().get("agent-2") == 5);
    agent.release.countDown();
    stopper.join(5_000);
    assertFalse(stopper.isAlive());
    assertFalse(agent.isRunning());
    Stats.Snapshot snapshot = orchestrator.awaitAllFinished();
    orchestrator.stop();
    assertFalse(agent.stoppedWhileExecuting.get());
    assertEquals(0, snapshot.thrown());
    assertEquals(Map.of("agent-1", 1L, "agent-2", 5L), snapshot.byAgent());
    assertEquals(1, agent.calls.get());
  }

  @Test
  void countsConsecutiveHealthFailuresOfRunningAgentsOnly() throws InterruptedException {
    ScriptedHealthAgent scripted = new ScriptedHealthAgent("agent-1");
    Orchestrator orchestrator = new Orchestrator(List.of(scripted, new Agent("agent-2")), 5);
    orchestrator.start();
    waitUntil(() -> orchestrator.health().get("agent-1").checks() >= 8);
    AgentHealth.View view = orchestrator.health().get("agent-1");
    // false, throw, true, false, throw, false, ...: the count restarts after the 3rd check.
    assertEquals(view.checks() - 3, view.consecutiveFailures());
    assertEquals(view.checks() - 1, view.failures());
    assertEquals("java.lang.IllegalStateException: no answer", view.lastError());
    assertEquals(0, orchestrator.health().get("agent-2").consecutiveFailures());
    assertTrue(orchestrator.health().get("agent-2").checks() > 0);

    orchestrator.stopAgent("agent-1");
    long checks = orchestrator.health().get("agent-1").checks();
    long failures = orchestrator.health().get("agent-1").consecutiveFailures();
    Thread.sleep(100);
    assertEquals(checks, orchestrator.health().get("agent-1").checks());
    assertEquals(checks, scripted.checks.get());
    assertEquals(Map.of("agent-1", failures, "agent-2", 0L), orchestrator.healthFailures());

    orchestrator.startAgent("agent-1");
    waitUntil(() -> orchestrator.health().get("agent-1").checks() > checks + 2);
    orchestrator.stop();
    view = orchestrator.health().get("agent-1");
    assertEquals(view.checks() - 3, view.consecutiveFailures());
    assertFalse(scripted.checkedWhileStopped.get());
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      Thread.sleep(5);
    }
  }
}
