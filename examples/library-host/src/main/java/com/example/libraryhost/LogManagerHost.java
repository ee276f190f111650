package com.example.libraryhost;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.logging.LogManager;

/**
 * A host that names its own {@code java.util.logging} manager once it runs, as JBoss and WildFly
 * applications do: it waits until a port accepts connections (the agent's HTTP API, so that the
 * agent has started), sets {@code java.util.logging.manager}, and prints which manager it got.
 *
 * <p>Usage: {@code LogManagerHost PORT}
 */
public final class LogManagerHost {
  private LogManagerHost() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!accepts(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nothing listens on port " + port);
      }
      Thread.sleep(50);
    }
    System.setProperty("java.util.logging.manager", OwnLogManager.class.getName());
    System.out.println("log manager: " + LogManager.getLogManager().getClass().getName());
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  /** The host's own log manager. */
  public static final class OwnLogManager extends LogManager {
    public OwnLogManager() {}
  }
}
