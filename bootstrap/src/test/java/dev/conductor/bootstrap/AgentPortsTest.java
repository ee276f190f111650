package dev.conductor.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentPortsTest {
  private final List<Integer> released = new ArrayList<>();

  @AfterEach
  void holdNothing() {
    AgentPorts.hold(new InetAddress[0], new int[0], port -> {});
  }

  @Test
  void aPortIsGivenBackOnceToABindWhoseAddressOverlaps() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    AgentPorts.hold(new InetAddress[] {loopback, loopback}, new int[] {8080, 8000}, released::add);

    AgentPorts.beforeHostBinds(InetAddress.getByName("10.1.2.3"), 8080); // another address
    AgentPorts.beforeHostBinds(loopback, 9090); // another port
    AgentPorts.beforeHostBinds(InetAddress.getByName("0.0.0.0"), 8080);
    AgentPorts.beforeHostBinds(InetAddress.getByName("0.0.0.0"), 8080);
    AgentPorts.beforeHostBinds(loopback, 8000);

    assertThat(released).containsExactly(8080, 8000);
  }

  @Test
  void anAgentOnEveryAddressGivesBackToABindOnAnyOne() throws Exception {
    AgentPorts.hold(
        new InetAddress[] {InetAddress.getByName("0.0.0.0")}, new int[] {8080}, released::add);
    AgentPorts.beforeHostBinds(InetAddress.getByName("10.1.2.3"), 8080);
    assertThat(released).containsExactly(8080);
  }

  @Test
  void nothingHeldOrNotAPortChangesNothing() {
    AgentPorts.beforeHostBinds(null, 8080);
    AgentPorts.hold(new InetAddress[] {null}, new int[] {8080}, released::add);
    AgentPorts.beforeHostBinds(null, "8080");
    assertThat(released).isEmpty();
  }
}
