package dev.conductor.bootstrap.launch;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * The agent jar's {@code Premain-Class} and {@code Agent-Class}.
 *
 * <p>Loaded by the application class loader. It opens an {@link AgentClassLoader} over the jar's
 * hidden {@code inst/} tree, has the agent define the {@code dev.conductor.bootstrap} classes in
 * the bootstrap loader (so that advice woven into any class can reach them), then starts the agent;
 * both through the agent's {@link AgentEntry}. Nothing it does may stop the host from starting:
 * every failure becomes one line on stderr.
 */
public final class Premain {
  private Premain() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    launch(arguments, instrumentation, false);
  }

  /** Attached to a running JVM: the host's threads run while the agent starts. */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    launch(arguments, instrumentation, true);
  }

  /**
   * The agent jar: where this class came from, unless a copy of it on the application's class path
   * was loaded instead (a jar that bundles the bootstrap module, say). Then the jar is found by the
   * class list only the agent jar holds; the JVM appended it to the class path for premain.
   */
  static File agentJar() throws IOException, URISyntaxException {
    File own = new File(Premain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (own.isFile() && AgentClassLoader.isAgentJar(own)) {
      return own;
    }
    URL list =
        ClassLoader.getSystemResource(AgentClassLoader.PREFIX + AgentClassLoader.BOOT_CLASSES);
    if (list == null || !list.getProtocol().equals("jar")) {
      throw new IOException(
          "cannot find the agent jar: " + own + " is not it and no other jar on the class path is");
    }
    String path = list.getPath(); // file:/.../conductor-agent.jar!/inst/...
    return new File(new URI(path.substring(0, path.indexOf("!/"))));
  }

  private static void launch(
      String arguments, Instrumentation instrumentation, boolean hostRunning) {
    try {
      File jar = agentJar();
      AgentClassLoader agentLoader = new AgentClassLoader(jar);
      // Not a lambda: bootstrapping the first lambda of the JVM would cost the host more than
      // this thread saves it.
      Thread preload =
          new Thread(
              new Runnable() {
                @Override
                public void run() {
                  agentLoader.preloadStartupClasses();
                }
              },
              "conductor-preload");
      preload.setDaemon(true);
      preload.start();
      AgentEntry entry = agentLoader.entry(AgentClassLoader.ENTRY_CLASS);
      entry.defineBootstrapClasses(instrumentation, jar);
      entry.start(arguments, instrumentation, jar, hostRunning);
    } catch (Throwable e) {
      System.err.println(
          "[conductor-agent] ERROR: could not start, the application runs without monitoring: "
              + e);
    }
  }
}
