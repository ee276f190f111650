package com.example.conductor.demo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;

/**
 * A worker that executes tasks by simulating their work: sleeping (I/O-like latency), hashing (real
 * CPU) and allocating a type-specific working set.
 *
 * <p>The monitoring agent hooks {@link #start()}, {@link #stop()}, {@link #healthCheck()} and
 * {@link #execute(Task)} by name, so these signatures are a contract.
 */
public class Agent {

  // Hash at most this many payload bytes per round, so CPU cost is set by the round count.
  private static final int HASH_CHUNK = 1024;

  private final String id;
  private volatile boolean running;

  public Agent(String id) {
    this.id = Objects.requireNonNull(id, "id");
  }

  public String getId() {
    return id;
  }

  public void start() {
    running = true;
  }

  public void stop() {
    running = false;
  }

  public boolean isRunning() {
    return running;
  }

  /** A plain agent is healthy whenever it is started. */
  public boolean healthCheck() {
    return running;
  }

  /**
   * Runs the task's simulated work.
   *
   * <p>Some tasks crash instead of returning a result: they throw a {@link TaskExecutionException},
   * an {@link IllegalStateException} or an {@link java.io.UncheckedIOException}, depending on the
   * task type.
   *
   * @return the result; its status is one of {@link TaskResult#STATUSES}
   * @throws IllegalStateException if this agent is not started
   */
  public TaskResult execute(Task task) {
    Objects.requireNonNull(task, "task");
    if (!running) {
      throw new IllegalStateException(id + " is not started");
    }
    TaskType type =
        TaskType.fromName(task.getType())
            .orElseThrow(() -> new TaskExecutionException("unknown task type: " + task.getType()));
    // Seeded per task: the outcome depends on the task, not on which worker picked it up.
    Random random = new Random(task.getSeed());
    TaskType.Outcome outcome = type.drawOutcome(random);
    int latencyMs = type.drawLatencyMs(random);
    byte[] payload = allocate(task.getPayloadSize(), random);

    switch (outcome) {
      case THROW:
        // Crash part-way through, after having spent some resources, like a real failure.
        hash(payload, type.hashRounds() / 2);
        pause(latencyMs / 2);
        throw type.crash(task.getId(), random);
      case TIMEOUT:
        hash(payload, type.hashRounds());
        pause(type.deadlineMs());
        return TaskResult.timeout(
            task.getId() + " exceeded its " + type.deadlineMs() + " ms deadline");
      default:
        break;
    }

    String digest = hash(payload, type.hashRounds());
    pause(latencyMs);
    switch (outcome) {
      case FAILED:
        return TaskResult.failed(type + " rejected " + task.getId() + " (digest " + digest + ")");
      case PARTIAL:
        return TaskResult.partial(
            type + " finished " + task.getId() + " partially (digest " + digest + ")");
      default:
        return TaskResult.success(type + " finished " + task.getId() + " (digest " + digest + ")");
    }
  }

  /** Allocates the task's working set; touching every page keeps the allocation real. */
  private static byte[] allocate(int size, Random random) {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i += 4096) {
      payload[i] = (byte) random.nextInt();
    }
    return payload;
  }

  /**
   * Real CPU work: chained SHA-256 rounds over slices of the payload. Returns a short hex digest.
   */
  private static String hash(byte[] payload, int rounds) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
    byte[] state = new byte[32];
    int chunk = Math.min(HASH_CHUNK, payload.length);
    for (int round = 0; round < rounds; round++) {
      if (chunk > 0) {
        int offset = (int) ((round * 7919L) % (payload.length - chunk + 1));
        sha.update(payload, offset, chunk);
      }
      sha.update(state);
      state = sha.digest();
    }
    return HexFormat.of().formatHex(state, 0, 4);
  }

  /** Simulated waiting (remote calls, I/O). Interruption aborts the task but keeps the flag. */
  private void pause(int millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskExecutionException(id + " was interrupted", e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id + "]";
  }
}
