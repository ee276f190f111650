package com.example.conductor.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dispatches submitted tasks to agents: one worker thread per agent pulls from a shared priority
 * queue (priority 0 first, FIFO within a priority), and a scheduler health-checks every running
 * agent.
 *
 * <p>Dispatch can be paused as a whole ({@link #pause()}, {@link #resume()}) and single agents can
 * be stopped and started again while the orchestrator runs ({@link #stopAgent(String)}, {@link
 * #startAgent(String)}); either way a worker finishes the task in hand and then takes no other
 * until allowed again, while queued tasks wait (or go to the other agents).
 *
 * <p>Class and method names are a contract with the monitoring agent's configuration, which hooks
 * methods by name.
 */
public final class Orchestrator {

  /** Beyond this backlog producers should hold off (the queue itself is unbounded). */
  public static final int MAX_BACKLOG = 10_000;

  /** Default period of the health checks. */
  public static final long DEFAULT_HEALTH_INTERVAL_MILLIS = 1_000;

  private static final long WORKER_JOIN_MILLIS = 5_000;
  // Finished tasks stay queryable over HTTP; the oldest are forgotten so endless runs stay bounded.
  private static final int MAX_FINISHED_RECORDS = 100_000;
  private static final int PRIORITY_LEVELS = Task.MAX_PRIORITY - Task.MIN_PRIORITY + 1;

  private static final Comparator<Queued> ORDER =
      Comparator.comparingInt((Queued q) -> q.task().getPriority())
          .thenComparingLong(Queued::sequence);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  // Agent id -> its slot, in agent order.
  private final Map<String, Slot> slots;
  private final long healthIntervalMillis;
  private final Stats stats;
  private final Map<String, TaskRecord> records = new ConcurrentHashMap<>();
  private final Queue<String> finishedOrder = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedRecords = new AtomicInteger();
  private final List<Thread> workers = new ArrayList<>();
  private ScheduledExecutorService healthChecker;
  // Written only under the monitor (start/stop); volatile so submit() can read it without blocking.
  private volatile State state = State.NEW;

  // Dispatch state. One lock guards the queue, its per-priority counts, the pause flag and every
  // slot's active flag and in-flight count, so that taking a task and reporting are both exact.
  // Lock order: a slot's control lock before this one, never the other way round.
  private final ReentrantLock queueLock = new ReentrantLock();
  // Signalled whenever a worker may be able to take a task (or must exit).
  private final Condition workAvailable = queueLock.newCondition();
  // Signalled whenever a task leaves an agent's execute.
  private final Condition taskDone = queueLock.newCondition();
  private final PriorityQueue<Queued> queue = new PriorityQueue<>(64, ORDER);
  private final long[] queuedByPriority = new long[PRIORITY_LEVELS];
  private long sequence;
  private boolean paused;
  // Cleared once by stop(); workers exit once they see it.
  private boolean running;

  public Orchestrator(List<? extends Agent> agents) {
    this(agents, DEFAULT_HEALTH_INTERVAL_MILLIS);
  }

  /**
   * @param healthIntervalMillis period of the health checks of the running agents
   */
  public Orchestrator(List<? extends Agent> agents, long healthIntervalMillis) {
    if (agents.isEmpty()) {
      throw new IllegalArgumentException("at least one agent is required");
    }
    if (healthIntervalMillis <= 0) {
      throw new IllegalArgumentException("health interval must be > 0 ms: " + healthIntervalMillis);
    }
    this.healthIntervalMillis = healthIntervalMillis;
    Map<String, Slot> slotsById = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (Agent agent : agents) {
      if (slotsById.put(agent.getId(), new Slot(agent)) != null) {
        throw new IllegalArgumentException("duplicate agent id: " + agent.getId());
      }
      ids.add(agent.getId());
    }
    this.slots = Collections.unmodifiableMap(slotsById);
    this.stats = new Stats(ids);
  }

  /**
   * Starts every agent, one worker thread per agent, and the periodic health checks. If {@link
   * #pause()} was called before, the workers take no task until {@link #resume()}.
   */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "orchestrator already " + state.name().toLowerCase(Locale.ROOT));
    }
    state = State.RUNNING;
    setRunning(true);
    for (Slot slot : slots.values()) {
      slot.control.lock();
      try {
        slot.agent.start();
        setActive(slot, true);
      } finally {
        slot.control.unlock();
      }
    }
    for (Slot slot : slots.values()) {
      Thread worker = new Thread(() -> workLoop(slot), slot.agent.getId() + "-worker");
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
        this::checkHealth, 0, healthIntervalMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Stops accepting tasks, lets each worker finish the task in hand, then stops the agents that are
   * still running. Tasks still queued are dropped. Idempotent.
   */
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.STOPPED;
    setRunning(false);
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
    for (Slot slot : slots.values()) {
      slot.control.lock();
      try {
        // An agent already stopped over the API is not stopped twice.
        if (slot.active) {
          setActive(slot, false);
          slot.agent.stop();
        }
      } catch (RuntimeException e) {
        Log.info("stopping " + slot.agent.getId() + " failed: " + e);
      } finally {
        slot.control.unlock();
      }
    }
    int dropped = queueLength();
    if (dropped > 0) {
      Log.info("dropped " + dropped + " queued task(s) on stop");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Enqueues a task (may be called before {@link #start()} and while paused).
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
    queueLock.lock();
    try {
      queue.add(new Queued(task, sequence++));
      queuedByPriority[task.getPriority() - Task.MIN_PRIORITY]++;
      workAvailable.signalAll();
    } finally {
      queueLock.unlock();
    }
  }

  /**
   * Pauses dispatch: once this returns no worker takes another task until {@link #resume()}; tasks
   * already taken run to completion. Submissions continue. May be called before {@link #start()}.
   */
  public void pause() {
    queueLock.lock();
    try {
      paused = true;
    } finally {
      queueLock.unlock();
    }
  }

  /** Resumes dispatch after {@link #pause()}; a no-op if not paused. */
  public void resume() {
    queueLock.lock();
    try {
      paused = false;
      workAvailable.signalAll();
    } finally {
      queueLock.unlock();
    }
  }

  public boolean isPaused() {
    queueLock.lock();
    try {
      return paused;
    } finally {
      queueLock.unlock();
    }
  }

  /** Whether an agent with this id belongs to this orchestrator. */
  public boolean hasAgent(String agentId) {
    return slots.containsKey(agentId);
  }

  /**
   * Stops one agent: its worker takes no further task, the task it is executing (if any) is let
   * finish (waiting at most a few seconds), then the agent's {@link Agent#stop()} is called. Queued
   * tasks go to the other agents. Its health is no longer checked.
   *
   * @return true if the agent was stopped now, false if it was not running
   * @throws IllegalArgumentException for an unknown agent id
   */
  public boolean stopAgent(String agentId) {
    Slot slot = slot(agentId);
    slot.control.lock();
    try {
      if (!slot.active) {
        return false;
      }
      boolean interrupted = false;
      queueLock.lock();
      try {
        slot.active = false;
        long remaining = TimeUnit.MILLISECONDS.toNanos(WORKER_JOIN_MILLIS);
        while (slot.inFlight > 0) {
          if (remaining <= 0) {
            Log.info(agentId + " did not finish its task within " + WORKER_JOIN_MILLIS + " ms");
            break;
          }
          try {
            remaining = taskDone.awaitNanos(remaining);
          } catch (InterruptedException e) {
            interrupted = true;
            break;
          }
        }
      } finally {
        queueLock.unlock();
      }
      slot.agent.stop();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return true;
    } finally {
      slot.control.unlock();
    }
  }

  /**
   * Starts an agent stopped by {@link #stopAgent(String)} again: {@link Agent#start()} is called
   * and its worker resumes taking tasks (unless dispatch is paused).
   *
   * @return true if the agent was started now, false if it was already running
   * @throws IllegalArgumentException for an unknown agent id
   * @throws IllegalStateException if the orchestrator is not running
   */
  public boolean startAgent(String agentId) {
    Slot slot = slot(agentId);
    slot.control.lock();
    try {
      if (state != State.RUNNING) {
        throw new IllegalStateException("orchestrator is " + state.name().toLowerCase(Locale.ROOT));
      }
      if (slot.active) {
        return false;
      }
      slot.agent.start();
      setActive(slot, true);
      return true;
    } finally {
      slot.control.unlock();
    }
  }

  public int queueLength() {
    queueLock.lock();
    try {
      return queue.size();
    } finally {
      queueLock.unlock();
    }
  }

  /** A consistent snapshot of the dispatch state (queue contents, pause, running agents). */
  public DispatchView dispatchView() {
    queueLock.lock();
    try {
      Map<String, Long> byPriority = new LinkedHashMap<>();
      long queued = 0;
      for (int i = 0; i < PRIORITY_LEVELS; i++) {
        byPriority.put(Integer.toString(Task.MIN_PRIORITY + i), queuedByPriority[i]);
        queued += queuedByPriority[i];
      }
      Map<String, Long> executing = new LinkedHashMap<>();
      Map<String, Boolean> agentRunning = new LinkedHashMap<>();
      slots.forEach(
          (id, slot) -> {
            executing.put(id, (long) slot.inFlight);
            agentRunning.put(id, slot.active);
          });
      return new DispatchView(
          paused,
          queued,
          Collections.unmodifiableMap(byPriority),
          Collections.unmodifiableMap(executing),
          Collections.unmodifiableMap(agentRunning));
    } finally {
      queueLock.unlock();
    }
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
    slots.forEach((id, slot) -> views.put(id, slot.health.view()));
    return views;
  }

  /** Current consecutive health-check failures per agent id, in agent order. */
  public Map<String, Long> healthFailures() {
    Map<String, Long> failures = new LinkedHashMap<>();
    slots.forEach((id, slot) -> failures.put(id, slot.health.consecutiveFailures()));
    return failures;
  }

  private Slot slot(String agentId) {
    Slot slot = slots.get(agentId);
    if (slot == null) {
      throw new IllegalArgumentException("unknown agent: " + agentId);
    }
    return slot;
  }

  private void setRunning(boolean value) {
    queueLock.lock();
    try {
      running = value;
      workAvailable.signalAll();
    } finally {
      queueLock.unlock();
    }
  }

  /** Caller holds {@code slot.control}. */
  private void setActive(Slot slot, boolean value) {
    queueLock.lock();
    try {
      slot.active = value;
      workAvailable.signalAll();
    } finally {
      queueLock.unlock();
    }
  }

  private void workLoop(Slot slot) {
    while (true) {
      Task task;
      queueLock.lock();
      try {
        while (running && (paused || !slot.active || queue.isEmpty())) {
          workAvailable.await();
        }
        if (!running) {
          return;
        }
        task = queue.poll().task();
        queuedByPriority[task.getPriority() - Task.MIN_PRIORITY]--;
        // Counted as in flight from the moment it is taken, so stopAgent() waits for it.
        slot.inFlight++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        queueLock.unlock();
      }
      run(slot, task);
    }
  }

  /** Executes one task exactly once and accounts for it, whatever the agent does. */
  private void run(Slot slot, Task task) {
    Agent agent = slot.agent;
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
    } finally {
      queueLock.lock();
      try {
        slot.inFlight--;
        taskDone.signalAll();
      } finally {
        queueLock.unlock();
      }
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

  /** One round of health checks, of running agents only. */
  private void checkHealth() {
    for (Slot slot : slots.values()) {
      // An agent being started or stopped right now is skipped this round.
      if (!slot.control.tryLock()) {
        continue;
      }
      try {
        if (slot.active) {
          boolean ok;
          String error = null;
          try {
            ok = slot.agent.healthCheck();
          } catch (Throwable t) { // counts as unhealthy; it must not cancel future checks
            ok = false;
            error = t.toString();
          }
          slot.health.record(ok, error);
        }
      } finally {
        slot.control.unlock();
      }
    }
  }

  /** An agent and the orchestrator's bookkeeping for it. */
  private static final class Slot {
    final Agent agent;
    final AgentHealth health = new AgentHealth();
    // Serialises starting and stopping this agent with its health checks.
    final ReentrantLock control = new ReentrantLock();
    // Guarded by queueLock; written only while also holding control, so either lock can read it.
    boolean active;
    // Guarded by queueLock: tasks taken by this agent's worker and not yet out of execute (0 or 1).
    int inFlight;

    Slot(Agent agent) {
      this.agent = agent;
    }
  }

  private record Queued(Task task, long sequence) {}

  /**
   * Snapshot of the dispatch state: {@code queuedByPriority} has every level "0".."9" and adds up
   * to {@code queued}; {@code running} counts the tasks inside each agent's execute; {@code
   * agentRunning} tells which agents are started (and health-checked).
   */
  public record DispatchView(
      boolean paused,
      long queued,
      Map<String, Long> queuedByPriority,
      Map<String, Long> running,
      Map<String, Boolean> agentRunning) {}

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
