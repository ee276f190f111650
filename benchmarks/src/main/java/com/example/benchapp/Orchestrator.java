package com.example.benchapp;

/**
 * Only here so that the demo-like benchmark config can name an enqueue point, as
 * config/examples/conductor-demo.yaml does; the benchmarks never call it.
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
