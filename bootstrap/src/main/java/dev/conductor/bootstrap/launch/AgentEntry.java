package dev.conductor.bootstrap.launch;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * The agent's side of the launch: what {@link Premain} calls on the agent's entry class, which the
 * {@link AgentClassLoader} loads from the jar's class archive.
 *
 * <p>An interface the entry implements and an instance it registers, rather than reflection or
 * method handles, because on JDK 18+ both spin method handle classes for each new signature the
 * first time they run: some 2-5 ms of the host's startup for each of the three calls it replaced,
 * and on JDK 24+ the bytecode generator behind them grew hot enough to be compiled. An interface
 * call spins nothing.
 */
public interface AgentEntry {
  /** Defines the agent's bootstrap classes in the bootstrap class loader. */
  void defineBootstrapClasses(Instrumentation instrumentation, File agentJar) throws IOException;

  /**
   * Starts the agent.
   *
   * @param hostRunning attached to a running JVM ({@code agentmain}), not before its {@code main}
   */
  void start(String arguments, Instrumentation instrumentation, File agentJar, boolean hostRunning);

  /**
   * Runs, on the thread that preloaded the agent's classes and once it is done, what the host's
   * first recorded calls would otherwise run cold. Never throws.
   */
  void warmUp();
}
