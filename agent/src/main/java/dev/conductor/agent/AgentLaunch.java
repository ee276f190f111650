package dev.conductor.agent;

import dev.conductor.bootstrap.launch.AgentClassLoader;
import dev.conductor.bootstrap.launch.AgentEntry;
import dev.conductor.instrumentation.expression.LabelWarmUp;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;

/** The agent's entry, which the launcher reaches through {@link AgentEntry}. */
final class AgentLaunch implements AgentEntry {
  static {
    AgentClassLoader.register(new AgentLaunch());
  }

  private AgentLaunch() {}

  @Override
  public void defineBootstrapClasses(Instrumentation instrumentation, File agentJar)
      throws IOException {
    BootstrapInjector.inject(instrumentation, agentJar);
  }

  @Override
  public void start(
      String arguments, Instrumentation instrumentation, File agentJar, boolean hostRunning) {
    ConductorAgent.start(arguments, instrumentation, agentJar, hostRunning);
  }

  @Override
  public void warmUp() {
    LabelWarmUp.run();
  }
}
