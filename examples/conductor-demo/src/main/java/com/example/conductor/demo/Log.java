package com.example.conductor.demo;

/** Minimal logging to stderr: stdout is reserved for the single summary line. */
final class Log {

  private Log() {}

  static void info(String message) {
    System.err.println("[conductor-demo] " + message);
  }
}
