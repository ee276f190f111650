package com.example.logginghost;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Logs through the Log4j 2 API and core (configured by {@code -Dlog4j2.configurationFile}), runs
 * its jobs, prints {@code finished}, then lingers so that the agent's API can be asked.
 *
 * <p>Usage: {@code Log4jHost JOBS LINGER_SECONDS}
 */
public final class Log4jHost {
  private static final Logger LOG = LogManager.getLogger(Log4jHost.class);

  private Log4jHost() {}

  public static void main(String[] args) throws Exception {
    HostLog log =
        new HostLog() {
          @Override
          public void info(String message) {
            LOG.info(message);
          }

          @Override
          public java.util.Set<String> contextKeys() {
            return ThreadContext.getContext().keySet();
          }

          @Override
          public void putContext(String key, String value) {
            ThreadContext.put(key, value);
          }
        };
    new Orchestrator(log).runJobs(Integer.parseInt(args[0]));
    Thread.sleep(500); // an asynchronous appender writes what is left
    System.out.println("finished");
    Thread.sleep(Long.parseLong(args[1]) * 1000);
  }
}
