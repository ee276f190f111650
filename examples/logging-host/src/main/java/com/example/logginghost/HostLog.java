package com.example.logginghost;

/** The few logging calls the orchestrator makes, so that one orchestrator serves both libraries. */
interface HostLog {
  void info(String message);

  /** Puts a key into the calling thread's MDC / thread context. */
  void putContext(String key, String value);

  /** The keys of a copy of the calling thread's MDC / thread context, as the host reads it. */
  java.util.Set<String> contextKeys();
}
