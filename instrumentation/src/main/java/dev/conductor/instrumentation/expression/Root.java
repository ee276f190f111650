package dev.conductor.instrumentation.expression;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/** Where a label expression starts: an object of the instrumented call. */
enum Root {
  THIS,
  ARG0,
  ARG1,
  ARG2,
  ARG3,
  RETURN,
  THREAD;

  /** Arguments past this index are not passed to the advice, to keep the call allocation-free. */
  static final int MAX_ARGUMENT = 3;

  Object select(Object self, Object arg0, Object arg1, Object arg2, Object arg3, Object returned) {
    switch (this) {
      case THIS:
        return self;
      case ARG0:
        return arg0;
      case ARG1:
        return arg1;
      case ARG2:
        return arg2;
      case ARG3:
        return arg3;
      case RETURN:
        return returned;
      case THREAD:
        return Thread.currentThread();
      default:
        throw new AssertionError(this);
    }
  }

  /** {@link #select} as a handle typed {@code (self, arg0, arg1, arg2, arg3, returned)Object}. */
  MethodHandle selector() {
    List<Class<?>> all = java.util.Collections.nCopies(6, Object.class);
    if (this == THREAD) {
      return MethodHandles.dropArguments(CurrentThread.HANDLE, 0, all);
    }
    int kept = ordinal(); // THIS, ARG0..ARG3, RETURN are the arguments in order
    return MethodHandles.permuteArguments(
        MethodHandles.dropArguments(MethodHandles.identity(Object.class), 1, all.subList(1, 6)),
        MethodType.methodType(Object.class, all),
        kept,
        0,
        0,
        0,
        0,
        0);
  }

  /**
   * Made on first use, by the capture compiler's thread: made with this enum, it cost the config's
   * reading in premain a method handle lookup.
   */
  private static final class CurrentThread {
    static final MethodHandle HANDLE;

    static {
      try {
        HANDLE =
            MethodHandles.lookup()
                .findStatic(Thread.class, "currentThread", MethodType.methodType(Thread.class))
                .asType(MethodType.methodType(Object.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  static Root parse(String word, String expression) throws ExpressionException {
    switch (word) {
      case "this":
        return THIS;
      case "return":
        return RETURN;
      case "thread":
        return THREAD;
      default:
        if (Names.isPrefixAndDigits(word, "arg")) {
          int index = Integer.parseInt(word.substring(3));
          if (index > MAX_ARGUMENT) {
            throw new ExpressionException(
                "'"
                    + expression
                    + "': only arg0 to arg"
                    + MAX_ARGUMENT
                    + " can be read, not "
                    + word);
          }
          return values()[ARG0.ordinal() + index];
        }
        throw new ExpressionException(
            "'"
                + expression
                + "' must start with this, arg0..arg"
                + MAX_ARGUMENT
                + ", return or thread, not '"
                + word
                + "'");
    }
  }
}
