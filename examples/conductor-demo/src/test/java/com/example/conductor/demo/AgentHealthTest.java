package com.example.conductor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentHealthTest {

  @Test
  void countsConsecutiveFailuresLikeAMonitor() {
    AgentHealth health = new AgentHealth();
    assertEquals(new AgentHealth.View(true, 0, 0, 0, null), health.view());
    health.record(false, null); // returned false
    health.record(false, "java.lang.IllegalStateException: down"); // threw
    assertEquals(2, health.consecutiveFailures());
    health.record(true, null);
    assertEquals(0, health.consecutiveFailures());
    health.record(false, null);
    AgentHealth.View view = health.view();
    assertFalse(view.healthy());
    assertEquals(4, view.checks());
    assertEquals(3, view.failures());
    assertEquals(1, view.consecutiveFailures());
    assertEquals("java.lang.IllegalStateException: down", view.lastError());
    health.record(true, null);
    assertTrue(health.view().healthy());
    assertEquals(0, health.view().consecutiveFailures());
  }
}
