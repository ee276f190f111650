package com.example.conductor.demo;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * An agent with an unreliable health endpoint: its checks often report unhealthy or throw.
 *
 * <p>{@link #execute(Task)} deliberately overrides and delegates to {@code super.execute}: the
 * monitoring agent must count such a nested call as a single execution.
 */
public final class FlakyAgent extends Agent {

  private static final int THROW_PERCENT = 20;
  private static final int UNHEALTHY_PERCENT = 30;

  // Only for health-check dice; java.util.Random is thread-safe.
  private final Random random;
  // Keeps the input validation observable (and not optimised away).
  private volatile long lastInputChecksum;

  public FlakyAgent(String id, long seed) {
    super(id);
    this.random = new Random(seed);
  }

  /**
   * Asks the plain agent's check first, as overrides often do: the monitoring agent must count the
   * two as one check, with this method's result.
   */
  @Override
  public boolean healthCheck() {
    boolean running = super.healthCheck();
    int roll = random.nextInt(100);
    if (roll < THROW_PERCENT) {
      throw new IllegalStateException(getId() + ": health endpoint did not answer");
    }
    if (roll < THROW_PERCENT + UNHEALTHY_PERCENT) {
      return false;
    }
    return running;
  }

  @Override
  public TaskResult execute(Task task) {
    // A flaky worker re-validates its input before doing the real work.
    CRC32 crc = new CRC32();
    crc.update((task.getId() + '/' + task.getType()).getBytes(StandardCharsets.UTF_8));
    lastInputChecksum = crc.getValue();
    return super.execute(task);
  }

  /** CRC32 of the id and type of the last task this agent validated. */
  public long getLastInputChecksum() {
    return lastInputChecksum;
  }
}
