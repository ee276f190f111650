package com.example.conductor.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentTest {

  @Test
  void refusesWorkWhenNotStarted() {
    Agent agent = new Agent("agent-1");
    Task task = new TaskFactory(1).create(TaskType.DOCUMENTATION, 0);
    assertFalse(agent.healthCheck());
    assertThrows(IllegalStateException.class, () -> agent.execute(task));
  }

  @Test
  void flakyHealthChecksFailOftenInBothWays() {
    FlakyAgent agent = new FlakyAgent("agent-9", 11);
    agent.start();
    int ok = 0;
    int unhealthy = 0;
    int threw = 0;
    for (int i = 0; i < 200; i++) {
      try {
        if (agent.healthCheck()) {
          ok++;
        } else {
          unhealthy++;
        }
      } catch (IllegalStateException e) {
        threw++;
      }
    }
    assertTrue(ok > 0 && unhealthy > 0 && threw > 0, ok + "/" + unhealthy + "/" + threw);
  }

  @Test
  void unknownTypeThrows() {
    Agent agent = new Agent("agent-1");
    agent.start();
    Task task = new Task("t-1", "knitting", 0, 0, 10, 1);
    assertThrows(TaskExecutionException.class, () -> agent.execute(task));
  }
}
