package dev.conductor.instrumentation.expression;

/**
 * Reads labels of the usual shapes once, on an agent thread, before any host thread needs them.
 *
 * <p>Why: the first read of a field builds its method handle, and the JDK spins a class for each
 * new shape of handle (a reference or an int field, the conversion to {@code (Object)Object}): 3
 * classes on JDK 25 and 9 on JDK 17 on the first recorded call of a hello world's main thread, some
 * milliseconds added to that call. Those classes are cached by shape, not by the class read, so
 * reading a sample object's fields here, on the thread that preloaded the agent's classes, lets the
 * host's first calls find them made: none spun on that thread afterwards, and as many in all.
 * Shapes labels seldom read (long, boolean, getters) are left out: making them here would cost the
 * JVM more classes than it saves.
 */
public final class LabelWarmUp {
  private LabelWarmUp() {}

  private static final String[] SHAPES = {"arg0.text", "arg0.number"};

  /** Never throws: a warm-up that fails leaves the work to the host's first calls. */
  public static void run() {
    Sample sample = new Sample();
    for (String shape : SHAPES) {
      try {
        LabelExpression.parse(shape).evaluate(null, sample, null, null, null, null);
      } catch (Throwable e) {
        // nothing made in advance for this shape
      }
    }
  }

  /** Members of the types labels usually read. */
  private static final class Sample {
    private final String text = "text";
    private final int number = 1;
  }
}
