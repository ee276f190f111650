package com.example.conductor.demo;

/**
 * Command-line options of the demo.
 *
 * @param paused start with dispatch paused (resume with {@code POST /resume})
 * @param healthIntervalMillis period of the orchestrator's health checks
 */
record Options(
    int agents,
    long tasks,
    double rate,
    double lingerSeconds,
    int port,
    long seed,
    boolean paused,
    long healthIntervalMillis) {

  static final Options DEFAULTS =
      new Options(4, 500, 50, 0, 8090, 42, false, Orchestrator.DEFAULT_HEALTH_INTERVAL_MILLIS);

  /** Not paused, default health-check interval. */
  Options(int agents, long tasks, double rate, double lingerSeconds, int port, long seed) {
    this(
        agents,
        tasks,
        rate,
        lingerSeconds,
        port,
        seed,
        false,
        Orchestrator.DEFAULT_HEALTH_INTERVAL_MILLIS);
  }

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar conductor-demo.jar [options]",
          "  --agents N     worker agents, one of them flaky (default 4)",
          "  --tasks N      tasks to run, then print a JSON summary; 0 = run until stopped (default 500)",
          "  --rate R       tasks submitted per second (default 50)",
          "  --linger S     seconds to keep serving after the summary (default 0)",
          "  --port P       HTTP API port on 127.0.0.1, 0 = any free port (default 8090)",
          "  --seed N       random seed for the workload (default 42)",
          "  --paused       start with the workers paused: no task is taken until POST /resume",
          "  --health-interval-ms N  period of the agents' health checks (default 1000)");

  /** Thrown for bad arguments; the message is meant for the user. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code --name value} and {@code --name=value} forms, and the flag {@code --paused} (also
   * {@code --paused=true|false}); returns null for --help.
   */
  static Options parse(String... args) throws UsageException {
    int agents = DEFAULTS.agents;
    long tasks = DEFAULTS.tasks;
    double rate = DEFAULTS.rate;
    double linger = DEFAULTS.lingerSeconds;
    int port = DEFAULTS.port;
    long seed = DEFAULTS.seed;
    boolean paused = DEFAULTS.paused;
    long healthInterval = DEFAULTS.healthIntervalMillis;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (name.equals("--paused")) {
        paused = true;
        continue;
      }
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("missing value for " + name);
      }
      switch (name) {
        case "--agents":
          agents = (int) parseLong(name, value, 1, 256);
          break;
        case "--tasks":
          tasks = parseLong(name, value, 0, Long.MAX_VALUE);
          break;
        case "--rate":
          rate = parseDouble(name, value, 0.001, 1_000_000);
          break;
        case "--linger":
          linger = parseDouble(name, value, 0, 365 * 24 * 3600.0);
          break;
        case "--port":
          port = (int) parseLong(name, value, 0, 65_535);
          break;
        case "--seed":
          seed = parseLong(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
          break;
        case "--paused":
          paused = parseBoolean(name, value);
          break;
        case "--health-interval-ms":
          healthInterval = parseLong(name, value, 1, 24 * 3600 * 1000L);
          break;
        default:
          throw new UsageException("unknown option: " + name);
      }
    }
    return new Options(agents, tasks, rate, linger, port, seed, paused, healthInterval);
  }

  private static boolean parseBoolean(String name, String value) throws UsageException {
    switch (value.trim()) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new UsageException(name + " must be true or false: " + value);
    }
  }

  private static long parseLong(String name, String value, long min, long max)
      throws UsageException {
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be an integer in " + min + ".." + max + ": " + value);
  }

  private static double parseDouble(String name, String value, double min, double max)
      throws UsageException {
    try {
      double parsed = Double.parseDouble(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a number in " + min + ".." + max + ": " + value);
  }
}
