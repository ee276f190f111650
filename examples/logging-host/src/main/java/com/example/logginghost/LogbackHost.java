package com.example.logginghost;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs through SLF4J and Logback (configured by {@code -Dlogback.configurationFile}), runs its
 * jobs, prints {@code finished}, then lingers so that the agent's API can be asked.
 *
 * <p>Usage: {@code LogbackHost JOBS LINGER_SECONDS}
 */
public final class LogbackHost {
  private static final Logger LOG = LoggerFactory.getLogger(LogbackHost.class);

  private LogbackHost() {}

  public static void main(String[] args) throws Exception {
    HostLog log =
        new HostLog() {
          @Override
          public void info(String message) {
            LOG.info(message);
          }

          @Override
          public java.util.Set<String> contextKeys() {
            return MDC.getCopyOfContextMap().keySet();
          }

          @Override
          public void putContext(String key, String value) {
            MDC.put(key, value);
          }
        };
    new Orchestrator(log).runJobs(Integer.parseInt(args[0]));
    Thread.sleep(500); // an asynchronous appender writes what is left
    System.out.println("finished");
    Thread.sleep(Long.parseLong(args[1]) * 1000);
  }
}
