package dev.conductor.bootstrap;

import java.net.InetAddress;
import java.util.function.IntConsumer;

/**
 * The ports the agent's HTTP servers listen on, given back when the host binds one of them.
 *
 * <p>The agent starts its servers in the background at startup, usually before the host starts its
 * own. A host server on the same port (8080 is the default of both the agent's API and many
 * frameworks) would then fail to start: a socket listening on 127.0.0.1 keeps another from binding
 * the wildcard address. The host comes first: when it binds an address that overlaps one the agent
 * listens on, the agent stops listening there first ({@link #beforeHostBinds}, called by the JDK's
 * {@code sun.nio.ch.Net.bind}, which every socket bind goes through).
 */
public final class AgentPorts {
  private static final int[] NONE = {};

  private static volatile int[] ports = NONE;
  private static volatile InetAddress[] addresses = new InetAddress[0];
  private static volatile IntConsumer release;

  private AgentPorts() {}

  /**
   * Remembers where the agent listens, once its servers are up (their own binds are not checked:
   * nothing is held yet).
   *
   * @param releaser closes the agent's server on a port, and its connections; called at most once
   *     per port, on the host's thread that binds
   */
  public static synchronized void hold(
      InetAddress[] bound, int[] boundPorts, IntConsumer releaser) {
    release = releaser;
    addresses = bound.clone();
    ports = boundPorts.clone();
  }

  /** Called before the host binds {@code address:port}; never throws. */
  static void beforeHostBinds(Object address, Object port) {
    if (!(port instanceof Integer) || ports.length == 0) {
      return;
    }
    int number = (Integer) port;
    int[] held = ports;
    for (int i = 0; i < held.length; i++) {
      if (held[i] == number && overlaps(address, addresses[i])) {
        giveBack(number);
        return;
      }
    }
  }

  /** Whether two binds of one port conflict: the same address, or either is the wildcard. */
  private static boolean overlaps(Object address, InetAddress held) {
    if (!(address instanceof InetAddress wanted)) {
      return true;
    }
    return wanted.isAnyLocalAddress() || held.isAnyLocalAddress() || wanted.equals(held);
  }

  private static synchronized void giveBack(int port) {
    int[] held = ports;
    int index = -1;
    for (int i = 0; i < held.length; i++) {
      if (held[i] == port) {
        index = i;
      }
    }
    if (index < 0) {
      return; // given back already, by another thread's bind
    }
    int[] keptPorts = new int[held.length - 1];
    InetAddress[] keptAddresses = new InetAddress[held.length - 1];
    for (int i = 0, j = 0; i < held.length; i++) {
      if (i != index) {
        keptPorts[j] = held[i];
        keptAddresses[j++] = addresses[i];
      }
    }
    ports = keptPorts;
    addresses = keptAddresses;
    IntConsumer releaser = release;
    if (releaser != null) {
      releaser.accept(port);
    }
  }
}
