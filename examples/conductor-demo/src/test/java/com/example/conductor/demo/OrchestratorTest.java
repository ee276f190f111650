package com.example.conductor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OrchestratorTest {

  /** Records every execute call, then does the real work. */
  static final class CountingAgent extends Agent {
    final Map<String, AtomicInteger> calls;
    final List<String> order = Collections.synchronizedList(new ArrayList<>());

    CountingAgent(String id, Map<String, AtomicInteger> calls) {
      super(id);
      this.calls = calls;
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
}
