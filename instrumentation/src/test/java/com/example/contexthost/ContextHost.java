package com.example.contexthost;

import java.io.Serializable;

/**
 * A queue and the kinds of task objects it may be handed, for the weaver's ContextFieldsTest, which
 * loads them through the weaver: {@code submit} is an enqueue point, {@code run} a task point.
 */
public class ContextHost {
  public void submit(Object task) {}

  public void run(Object task) {}

  /** A task class as most orchestrators have one; generic, so that its signature is kept valid. */
  public static class Job<T> {
    public final T payload;

    public Job(T payload) {
      this.payload = payload;
    }
  }

  /** Gets nothing of its own: it inherits the fields. */
  public static final class UrgentJob extends Job<String> {
    public UrgentJob(String payload) {
      super(payload);
    }
  }

  /** Would change its default serial version with another interface and methods. */
  @SuppressWarnings("serial")
  public static final class SerializableJob implements Serializable {}

  /** Its version is not final: serialization ignores it and computes the default one. */
  @SuppressWarnings("serial")
  public static final class LooselyVersionedJob implements Serializable {
    static long serialVersionUID = 7L;
  }

  /** Declares a member of a name the agent's fields would take. */
  public static final class ClashingJob {
    public long conductor$traceHigh = 42;
  }

  /** Keeps its serial version whatever is added. */
  public static final class VersionedJob implements Serializable {
    private static final long serialVersionUID = 7L;
  }

  public enum Kind {
    ONLY
  }

  public record Item(String name) {}
}
