package dev.conductor.instrumentation.weave;

import java.util.HashSet;
import java.util.Set;

/**
 * Classes never woven: the agent's own and the JDK's, except the JDK packages with something to
 * hook (the pools, the HTTP server) and the few HTTP client classes that carry the trace context.
 * Besides safety this is speed: every class that loads is looked at, and most classes loaded at
 * startup are the JDK's.
 */
final class Ignored {
  /** The JDK's HTTP clients: the classes {@link Rules#httpClients} weaves. */
  private static final Set<String> HTTP_CLIENT_CLASSES =
      Set.of(
          "sun/net/www/protocol/http/HttpURLConnection",
          "sun/net/www/protocol/https/AbstractDelegateHttpsURLConnection",
          "sun/net/www/protocol/https/DelegateHttpsURLConnection",
          "jdk/internal/net/http/HttpClientImpl",
          "jdk/internal/net/http/HttpRequestImpl",
          "jdk/internal/net/http/ImmutableHttpRequest");

  /** The prefixes with slashes, as a class file transformer gets names. */
  private static final Names INTERNAL = new Names('/');

  /**
   * The same with dots, as {@link Class#getName} gives them: the weaver looks at every class
   * already loaded when it is installed (over a thousand in premain), and rewriting each name with
   * slashes first took most of that scan's 5-10 ms.
   */
  private static final Names BINARY = new Names('.');

  private Ignored() {}

  /**
   * @param internalName a class name with slashes, as a class file transformer gets it
   */
  static boolean isIgnored(String internalName) {
    return INTERNAL.ignores(internalName);
  }

  /**
   * @param binaryName a class name with dots, as {@link Class#getName} gives it
   */
  static boolean isIgnoredLoaded(String binaryName) {
    return BINARY.ignores(binaryName);
  }

  /** The rule, for names written with one separator. */
  private static final class Names {
    private final String java;
    private final String concurrent;
    private final String comSun;
    private final String httpServer;
    private final String sun;
    private final String jdk;
    private final String agent;
    private final Set<String> httpClients = new HashSet<>();
    private final String socketBinder;

    Names(char separator) {
      // replace, not concatenation: a string concatenation here would be the first of the JVM's
      // on some hosts' startup path, which bootstraps method handles.
      java = "java/".replace('/', separator);
      concurrent = "java/util/concurrent/".replace('/', separator);
      comSun = "com/sun/".replace('/', separator);
      httpServer = "com/sun/net/httpserver/".replace('/', separator);
      sun = "sun/".replace('/', separator);
      jdk = "jdk/".replace('/', separator);
      agent = "dev/conductor/".replace('/', separator);
      socketBinder = Rules.SOCKET_BINDER.replace('.', separator);
      for (String name : HTTP_CLIENT_CLASSES) {
        httpClients.add(name.replace('/', separator));
      }
    }

    boolean ignores(String name) {
      if (name.startsWith(java)) {
        return !name.startsWith(concurrent);
      }
      if (name.startsWith(comSun)) {
        return !name.startsWith(httpServer);
      }
      if (name.startsWith(sun) || name.startsWith(jdk)) {
        return !httpClients.contains(name) && !name.equals(socketBinder);
      }
      return name.startsWith(agent)
          // lambda and other hidden classes, which cannot be retransformed
          || name.contains("$$Lambda");
    }
  }
}
