package dev.conductor.bootstrap.launch;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * The agent jar's {@code Premain-Class} and {@code Agent-Class}.
 *
 * <p>Loaded by the application class loader. It opens an {@link AgentClassLoader} over the jar's
 * hidden {@code inst/} tree, has the agent define the {@code dev.conductor.bootstrap} classes in
 * the bootstrap loader (so that advice woven into any class can reach them), then starts the agent.
 * Nothing it does may stop the host from starting: every failure becomes one line on stderr.
 */
public final class Premain {
  private static final String INJECTOR = "dev.conductor.agent.BootstrapInjector";
  private static final String AGENT_MAIN = "dev.conductor.agent.ConductorAgent";

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
      // Method handles called with their exact types, not Method.invoke: on JDK 18+ reflection
      // spins method handle adapters per signature first, which the host's startup would pay.
      Method inject =
          Class.forName(INJECTOR, true, agentLoader)
              .getDeclaredMethod("inject", Instrumentation.class, File.class);
      inject.setAccessible(true);
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      lookup.unreflect(inject).invokeExact(instrumentation, jar);
      Method start =
          Class.forName(AGENT_MAIN, true, agentLoader)
              .getMethod("start", String.class, Instrumentation.class, File.class, boolean.class);
      lookup.unreflect(start).invokeExact(arguments, instrumentation, jar, hostRunning);
    } catch (Throwable e) {
      System.err.println(
          "[conductor-agent] ERROR: could not start, the application runs without monitoring: "
              + e);
    }
  }
}
