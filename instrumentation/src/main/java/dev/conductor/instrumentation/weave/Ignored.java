package dev.conductor.instrumentation.weave;

/**
 * Classes never woven: the agent's own and the JDK's, except the JDK packages with something to
 * hook (the pools, the HTTP server). Besides safety this is speed: every class that loads is looked
 * at, and most classes loaded at startup are the JDK's.
 */
final class Ignored {
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
    return internalName.startsWith("dev/conductor/")
        || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/")
        // lambda and other hidden classes, which cannot be retransformed
        || internalName.contains("$$Lambda");
  }
}
