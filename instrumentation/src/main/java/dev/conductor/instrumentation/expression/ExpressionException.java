package dev.conductor.instrumentation.expression;

/** A label expression that cannot be parsed; the message says what was expected and where. */
public final class ExpressionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String message) {
    super(message);
  }
}
