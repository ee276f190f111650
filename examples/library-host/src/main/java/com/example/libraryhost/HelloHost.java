package com.example.libraryhost;

/**
 * The smallest host: prints one line and exits, so that a test can start a JVM with the agent many
 * times over and see each start through.
 */
public final class HelloHost {
  private HelloHost() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
