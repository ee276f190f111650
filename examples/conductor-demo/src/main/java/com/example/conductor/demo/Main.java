package com.example.conductor.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Entry point: starts agents, the orchestrator and the HTTP API, feeds a paced random workload and,
 * for a fixed workload, prints one JSON summary line to stdout once every task finished.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.println(Options.USAGE);
      return;
    }
    int code = run(options, System.out);
    // Exit explicitly: an attached agent may own non-daemon threads that would keep us alive.
    System.exit(code);
  }

  /** Runs the demo; the summary line goes to {@code out}, logs to stderr. Returns the exit code. */
  static int run(Options options, PrintStream out) throws InterruptedException {
    return run(options, out, null);
  }

  /**
   * As {@link #run(Options, PrintStream)}; {@code onApiStarted} (may be null) receives the bound
   * port.
   */
  static int run(Options options, PrintStream out, IntConsumer onApiStarted)
      throws InterruptedException {
    // One seed derives all others, so a run is reproducible (up to thread scheduling).
    Random seeds = new Random(options.seed());
    Orchestrator orchestrator =
        new Orchestrator(
            createAgents(options.agents(), seeds.nextLong()), options.healthIntervalMillis());
    TaskFactory factory = new TaskFactory(seeds.nextLong());
    Submitter submitter = new Submitter(orchestrator, factory, options.tasks(), options.rate());
    Thread submitterThread = new Thread(submitter, "submitter");

    if (options.paused()) {
      orchestrator.pause();
    }
    orchestrator.start();
    Optional<ApiServer> api = ApiServer.start(options.port(), orchestrator, factory);
    Log.info(
        "started "
            + options.agents()
            + " agent(s) (agent-"
            + options.agents()
            + " is flaky), "
            + (options.tasks() == 0 ? "endless workload" : options.tasks() + " tasks")
            + " at "
            + options.rate()
            + "/s, seed "
            + options.seed()
            + api.map(a -> ", API on http://127.0.0.1:" + a.port()).orElse("")
            + (options.paused() ? "; paused until POST /resume" : ""));
    if (options.paused() && api.isEmpty()) {
      Log.info("warning: paused without an HTTP API, so nothing can resume the workers");
    }
    api.ifPresent(
        a -> {
          if (onApiStarted != null) {
            onApiStarted.accept(a.port());
          }
        });

    Shutdown shutdown = new Shutdown(submitter, submitterThread, api, orchestrator);
    Thread hook = new Thread(shutdown::run, "conductor-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      long startNanos = System.nanoTime();
      submitterThread.start();
      submitterThread.join();
      if (options.tasks() > 0) {
        Stats.Snapshot summary = orchestrator.awaitAllFinished();
        out.println(summary.toSummaryJson(orchestrator.healthFailures()));
        out.flush();
        Log.info(
            String.format(
                "all %d tasks finished in %.1f s",
                summary.finished(), (System.nanoTime() - startNanos) / 1e9));
        if (options.lingerSeconds() > 0) {
          Thread.sleep((long) (options.lingerSeconds() * 1000));
        }
      }
    } finally {
      shutdown.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // JVM shutdown already in progress: the hook runs (harmlessly) anyway.
      }
    }
    return 0;
  }

  /** agent-1 .. agent-N; the last one is a {@link FlakyAgent}. */
  static List<Agent> createAgents(int count, long seed) {
    List<Agent> agents = new ArrayList<>(count);
    for (int i = 1; i < count; i++) {
      agents.add(new Agent("agent-" + i));
    }
    agents.add(new FlakyAgent("agent-" + count, seed));
    return agents;
  }

  /** Stops everything once, whether reached normally or from the JVM shutdown hook (Ctrl-C). */
  private static final class Shutdown {
    private final Submitter submitter;
    private final Thread submitterThread;
    private final Optional<ApiServer> api;
    private final Orchestrator orchestrator;
    private boolean done;

    Shutdown(
        Submitter submitter,
        Thread submitterThread,
        Optional<ApiServer> api,
        Orchestrator orchestrator) {
      this.submitter = submitter;
      this.submitterThread = submitterThread;
      this.api = api;
      this.orchestrator = orchestrator;
    }

    synchronized void run() {
      if (done) {
        return;
      }
      done = true;
      submitter.stop();
      submitterThread.interrupt();
      api.ifPresent(ApiServer::close);
      orchestrator.stop();
      Log.info("stopped");
    }
  }
}
