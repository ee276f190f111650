package dev.conductor.instrumentation.weave;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Methods of the shapes the weaver must handle without breaking verification or behaviour: every
 * return type, wide parameters, loops with stack map frames, the method's own exception handlers,
 * finally blocks, synchronized blocks, switches, lambdas, static methods and early returns. Each is
 * named {@code run...} so that one task rule weaves them all.
 */
public class Shapes {
  private final String name;

  public Shapes(String name) {
    this.name = name;
  }

  public void runVoid() {}

  public int runInt(int a, long b, double c, String d) {
    int total = a;
    for (int i = 0; i < 3; i++) {
      total += (int) b + (int) c + d.length();
    }
    return total;
  }

  public long runLong(long value) {
    return value * 2;
  }

  public double runDouble(double value) {
    return value / 2;
  }

  public boolean runBoolean(boolean value) {
    return !value;
  }

  public char runChar() {
    return name.charAt(0);
  }

  public static String runStatic(String text, int times) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < times; i++) {
      out.append(text);
    }
    return out.toString();
  }

  public String runEarlyReturns(int which) {
    if (which == 0) {
      return "zero";
    }
    switch (which) {
      case 1:
        return "one";
      case 2:
        return "two";
      default:
        break;
    }
    return "many";
  }

  public String runOwnHandler(boolean fail) {
    try {
      if (fail) {
        throw new IllegalStateException("inner");
      }
      return "no exception";
    } catch (IllegalStateException e) {
      return "caught " + e.getMessage();
    } finally {
      name.length();
    }
  }

  public int runThrows(int code) {
    if (code > 0) {
      throw new IllegalArgumentException("code " + code);
    }
    return code;
  }

  public synchronized int runSynchronized(int value) {
    synchronized (name) {
      return value + 1;
    }
  }

  public List<String> runLambda(List<String> in) {
    List<String> out = new ArrayList<>();
    in.forEach(s -> out.add(s + name));
    return out;
  }

  public int runTryWithResources() throws Exception {
    try (StringReader reader = new StringReader(name)) {
      return reader.read();
    }
  }

  public long runManyLocals(long a, double b, int c, long d, float e) {
    long x = a + c;
    double y = b * e;
    for (long i = 0; i < d; i++) {
      x += i;
      if (x > 1000) {
        break;
      }
    }
    return x + (long) y;
  }

  public int runRecursive(int depth) {
    return depth <= 0 ? 0 : 1 + runRecursive(depth - 1);
  }
}
