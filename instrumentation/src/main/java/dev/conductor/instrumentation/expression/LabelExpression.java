package dev.conductor.instrumentation.expression;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled label expression such as {@code arg0.type}, {@code this.getId()} or {@code
 * return.status.name()}: a root object of the call followed by field or no-argument method steps.
 * Deliberately not a scripting language: it can only read, never call with arguments, assign or
 * construct.
 *
 * <p>Thread-safe; {@link #evaluate} is called on host threads and allocates nothing beyond boxing a
 * primitive result. A null anywhere along the path yields null.
 */
public final class LabelExpression {
  private final String source;
  private final Root root;
  private final PropertyStep[] steps;

  private LabelExpression(String source, Root root, PropertyStep[] steps) {
    this.source = source;
    this.root = root;
    this.steps = steps;
  }

  /** Parses {@code source}; the exception's message says what is wrong in words for the user. */
  public static LabelExpression parse(String source) throws ExpressionException {
    if (source == null || source.isBlank()) {
      throw new ExpressionException("an expression is empty");
    }
    String text = source.trim();
    String[] parts = text.split("\\.", -1);
    Root root = Root.parse(parts[0], text);
    List<PropertyStep> steps = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      steps.add(parseStep(parts[i], text));
    }
    return new LabelExpression(text, root, steps.toArray(new PropertyStep[0]));
  }

  private static PropertyStep parseStep(String part, String expression) throws ExpressionException {
    boolean call = part.endsWith("()");
    String name = call ? part.substring(0, part.length() - 2) : part;
    if (!Names.isAsciiName(name)) {
      throw new ExpressionException(
          "'"
              + expression
              + "': '"
              + part
              + "' is not a field name or a no-argument method call like getId()");
    }
    return new PropertyStep(name, call, expression);
  }

  /**
   * Where a step that finds no member on a class says so: once per step and class, in words for the
   * user (a misspelled field would otherwise only show as the label {@code unknown}).
   */
  public static void reportMissingMembersTo(java.util.function.Consumer<String> warnings) {
    PropertyStep.reportMissingMembersTo(warnings);
  }

  public Object evaluate(
      Object self, Object arg0, Object arg1, Object arg2, Object arg3, Object returned)
      throws Throwable {
    Object value = root.select(self, arg0, arg1, arg2, arg3, returned);
    for (PropertyStep step : steps) {
      if (value == null) {
        return null;
      }
      value = step.apply(value);
    }
    return value;
  }

  /**
   * This expression as a handle typed {@code (Object self, Object arg0, Object arg1, Object arg2,
   * Object arg3, Object returned)Object}, with every step specialized for the class it has seen so
   * far (see {@link PropertyStep#specialized}); a null anywhere along the path yields null, as in
   * {@link #evaluate}.
   */
  public MethodHandle specialized() {
    MethodHandle value = root.selector();
    for (PropertyStep step : steps) {
      MethodHandle nullSafe =
          MethodHandles.guardWithTest(
              IsNull.HANDLE, MethodHandles.identity(Object.class), step.specialized());
      value = MethodHandles.filterReturnValue(value, nullSafe);
    }
    return value;
  }

  /**
   * Made on first use, by the capture compiler's thread, not when the config's expressions are
   * parsed in premain.
   */
  private static final class IsNull {
    static final MethodHandle HANDLE;

    static {
      try {
        HANDLE =
            MethodHandles.lookup()
                .findStatic(
                    Objects.class, "isNull", MethodType.methodType(boolean.class, Object.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * Which argument of the call this expression is, as such: -1 for {@code this}, 0 to 3 for {@code
   * arg0} to {@code arg3}; {@code notAnArgument} when it reads steps, the return value or the
   * thread.
   */
  public int argumentIndex(int notAnArgument) {
    if (steps.length > 0) {
      return notAnArgument;
    }
    switch (root) {
      case THIS:
        return -1;
      case ARG0:
        return 0;
      case ARG1:
        return 1;
      case ARG2:
        return 2;
      case ARG3:
        return 3;
      default:
        return notAnArgument;
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
