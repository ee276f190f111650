package dev.conductor.bootstrap;

/**
 * One finished task execution, as captured on the host thread.
 *
 * <p>Instances are pooled by {@link EventBuffer}: a host thread fills a free instance and publishes
 * it; the exporter thread reads it and returns it to the pool. Between publish and release exactly
 * one thread owns an instance, so the fields are plain.
 *
 * <p>Label fields hold the application's own objects (usually strings, numbers or enums): turning
 * them into bounded label values happens on the exporter thread, not here.
 */
public final class TaskEvent {
  /** Index of the instrumentation point that recorded this event. */
  public int point;

  /** {@link System#nanoTime()} when the outermost instrumented call began. */
  public long startNanos;

  /** Run time of the call in nanoseconds. */
  public long durationNanos;

  public Object taskType;
  public Object taskId;
  public Object agentId;
  public Object priority;
  public Object status;

  /** What the call threw, or null when it returned normally. */
  public Throwable thrown;

  /** True when a label expression failed; the labels that did resolve are still kept. */
  public boolean labelError;

  /** Drops every reference so that a pooled event keeps no application object alive. */
  public void clear() {
    taskType = null;
    taskId = null;
    agentId = null;
    priority = null;
    status = null;
    thrown = null;
    labelError = false;
  }
}
