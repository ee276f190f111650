package com.example.benchapp;

/**
 * A stand-in for the demo's orchestrator: {@code submit(Task)} is what the enqueue points of
 * conductor-bench-enqueue.yaml and conductor-bench-demo.yaml name, as
 * config/examples/conductor-demo.yaml does. The work is trivial and allocation-free, so that
 * whatever the agent adds around the call is what {@code EnqueueBenchmark} measures.
 */
public class Orchestrator {
  private int submitted;

  public void submit(Task task) {
    if (task != null) {
      submitted++;
    }
  }

  public int submitted() {
    return submitted;
  }
}
