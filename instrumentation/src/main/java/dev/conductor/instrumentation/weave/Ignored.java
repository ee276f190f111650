package dev.conductor.instrumentation.weave;

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

  private Ignored() {}

  /**
   * @param internalName a class name with slashes, as a class file transformer gets it
   */
  static boolean isIgnored(String internalName) {
    if (internalName.startsWith("java/")) {
      return !internalName.startsWith("java/util/concurrent/");
    }
    if (internalName.startsWith("com/sun/")) {
      return !internalName.startsWith("com/sun/net/httpserver/");
    }
    if (internalName.startsWith("sun/") || internalName.startsWith("jdk/")) {
      return !HTTP_CLIENT_CLASSES.contains(internalName);
    }
    return internalName.startsWith("dev/conductor/")
        // lambda and other hidden classes, which cannot be retransformed
        || internalName.contains("$$Lambda");
  }
}
