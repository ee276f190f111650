package com.example.conductor.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dispatches submitted tasks to agents: one worker thread per agent pulls from a shared priority
 * queue (priority 0 first, FIFO within a priority), and a scheduler health-checks every agent.
 *
 * <p>Class and method names are a contract with the monitoring agent's configuration, which hooks
 * methods by name.
 */
public final class Orchestrator {

  /** Beyond this backlog producers should hold off (the queue itself is unbounded). */
  public static final int MAX_BACKLOG = 10_000;

  private static final long POLL_MILLIS = 100;
  private static final long HEALTH_PERIOD_MILLIS = 1_000;
  private static final long WORKER_JOIN_MILLIS = 5_000;
  // Finished tasks stay queryable over HTTP; the oldest are forgotten so endless runs stay bounded.
  private static final int MAX_FINISHED_RECORDS = 100_000;

  private static final Comparator<Queued> ORDER =
      Comparator.comparingInt((Queued q) -> q.task().getPriority())
          .thenComparingLong(Queued::sequence);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final List<Agent> agents;
  private final PriorityBlockingQueue<Queued> queue = new PriorityBlockingQueue<>(64, ORDER);
  private final AtomicLong sequence = new AtomicLong();
  private final Stats stats;
  private final Map<String, TaskRecord> records = new ConcurrentHashMap<>();
  private final Queue<String> finishedOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedRecords = new AtomicInteger();
  private final Map<String, AgentHealth> health;
  private final List<Thread> workers = new ArrayList<>();
  private ScheduledExecutorService healthChecker;
  // Written only under the monitor (start/stop); volatile so submit() can read it without blocking.
  private volatile State state = State.NEW;
  // Read by workers on every loop; cleared once by stop().
  private volatile boolean running;

  public Orchestrator(List<? extends Agent> agents) {
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("at least one agent is required");
    }
    this.agents = List.copyOf(agents);
    Map<String, AgentHealth> healthById = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (Agent agent : this.agents) {
      if (healthById.put(agent.getId(), new AgentHealth()) != null) {
        throw new IllegalArgumentException("duplicate agent id: " + agent.getId());
      }
      ids.add(agent.getId());
    }
    this.health = Collections.unmodifiableMap(healthById);
    this.stats = new Stats(ids);
  }

  /** Starts every agent, one worker thread per agent, and the periodic health checks. */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "orchestrator already " + state.name().toLowerCase(Locale.ROOT));
    }
    state = State.RUNNING;
    running = true;
    for (Agent agent : agents) {
      agent.start();
    }
    for (Agent agent : agents) {
      Thread worker = new Thread(() -> workLoop(agent), agent.getId() + "-worker");
      workers.add(worker);
      worker.start();
    }
    healthChecker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "health-checker");
              thread.setDaemon(true);
              return thread;
            });
    healthChecker.scheduleWithFixedDelay(
        this::checkHealth, 0, HEALTH_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Stops accepting tasks, lets each worker finish the task in hand, then stops the agents. Tasks
   * still queued are dropped. Idempotent.
   */
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.STOPPED;
    running = false;
    if (!wasRunning) {
      return;
    }
    healthChecker.shutdownNow();
    boolean interrupted = false;
    for (Thread worker : workers) {
      try {
        worker.join(WORKER_JOIN_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (worker.isAlive()) {
        Log.info(
            worker.getName() + " did not finish its task within " + WORKER_JOIN_MILLIS + " ms");
      }
    }
    for (Agent agent : agents) {
      try {
        agent.stop();
      } catch (RuntimeException e) {
        Log.info("stopping " + agent.getId() + " failed: " + e);
      }
    }
    int dropped = queue.size();
    if (dropped > 0) {
      Log.info("dropped " + dropped + " queued task(s) on stop");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Enqueues a task (may be called before {@link #start()}).
   *
   * @throws IllegalStateException if the orchestrator is stopped
   * @throws IllegalArgumentException if a task with the same id was already submitted
   */
  public void submit(Task task) {
    if (state == State.STOPPED) {
      throw new IllegalStateException("orchestrator is stopped");
    }
    if (records.putIfAbsent(task.getId(), new TaskRecord(task)) != null) {
      throw new IllegalArgumentException("duplicate task id: " + task.getId());
    }
    // Count before enqueueing, so "finished == submitted" can never be observed too early.
    stats.recordSubmitted();
    queue.add(new Queued(task, sequence.getAndIncrement()));
  }

  public int queueLength() {
    return queue.size();
  }

  public Stats.Snapshot snapshot() {
    return stats.snapshot();
  }

  /**
   * Blocks until every task submitted so far has finished; see {@link Stats#awaitAllFinished()}.
   */
  public Stats.Snapshot awaitAllFinished() throws InterruptedException {
    return stats.awaitAllFinished();
  }

  /** Current state of a known task, if it has not been forgotten yet. */
  public Optional<TaskView> lookup(String taskId) {
    TaskRecord record = records.get(taskId);
    return record == null ? Optional.empty() : Optional.of(record.view());
  }

  /** Health per agent id, in agent order. */
  public Map<String, AgentHealth.View> health() {
    Map<String, AgentHealth.View> views = new LinkedHashMap<>();
    health.forEach((id, h) -> views.put(id, h.view()));
    return views;
  }

  private void workLoop(Agent agent) {
    while (running) {
      Queued next;
      try {
        next = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next != null) {
        run(agent, next.task());
      }
    }
  }

  /** Executes one task exactly once and accounts for it, whatever the agent does. */
  private void run(Agent agent, Task task) {
    TaskRecord record = records.get(task.getId());
    record.started(agent.getId());
    String status;
    String message;
    boolean thrown = false;
    try {
      TaskResult result = agent.execute(task);
      if (result == null) {
        status = TaskResult.FAILED;
        message = agent.getId() + " returned no result";
      } else {
        status = result.getStatus();
        message = result.getMessage();
      }
    } catch (Throwable t) { // a worker must survive anything, or tasks would go unaccounted
      status = TaskResult.FAILED;
      message = t.toString();
      thrown = true;
    }
    record.finished(status, message);
    stats.recordFinished(task.getType(), status, thrown, agent.getId());
    forgetOldRecords(task.getId());
  }

  private void forgetOldRecords(String finishedId) {
    finishedOrder.add(finishedId);
    if (finishedRecords.incrementAndGet() > MAX_FINISHED_RECORDS) {
      String oldest = finishedOrder.poll();
      if (oldest != null) {
        finishedRecords.decrementAndGet();
        records.remove(oldest);
      }
    }
  }

  private void checkHealth() {
    for (Agent agent : agents) {
      AgentHealth agentHealth = health.get(agent.getId());
      try {
        agentHealth.record(agent.healthCheck(), null);
      } catch (RuntimeException e) {
        // A check that throws counts as unhealthy; it must not cancel future checks.
        agentHealth.record(false, e.toString());
      }
    }
  }

  private record Queued(Task task, long sequence) {}

  /** Read-only view of a task's progress. {@code agentId} is null while queued. */
  public record TaskView(Task task, String status, String agentId, String message) {}

  /** Mutable per-task progress; volatile fields because workers write and HTTP threads read. */
  private static final class TaskRecord {
    private final Task task;
    private volatile String status = "queued";
    private volatile String agentId;
    private volatile String message;

    TaskRecord(Task task) {
      this.task = task;
    }

    void started(String agent) {
      agentId = agent;
      status = "running";
    }

    void finished(String finalStatus, String finalMessage) {
      message = finalMessage;
      status = finalStatus;
    }

    TaskView view() {
      return new TaskView(task, status, agentId, message);
    }
  }
}
