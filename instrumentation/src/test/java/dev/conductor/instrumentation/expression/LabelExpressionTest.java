package dev.conductor.instrumentation.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelExpressionTest {

  static class Task {
    private final String type;
    private final int priority;
    private final Owner owner;

    Task(String type, int priority, Owner owner) {
      this.type = type;
      this.priority = priority;
      this.owner = owner;
    }

    String describe() {
      return type + "#" + priority;
    }
  }

  static class Owner {
    private final String name;

    Owner(String name) {
      this.name = name;
    }

    public String getDisplayName() {
      return "Agent " + name;
    }
  }

  static class SpecialTask extends Task {
    SpecialTask() {
      super("special", 1, null);
    }
  }

  private static Object eval(String expression, Object self, Object arg0, Object returned)
      throws Throwable {
    return LabelExpression.parse(expression).evaluate(self, arg0, null, null, null, returned);
  }

  @Test
  void readsPrivateFieldsAndPrimitives() throws Throwable {
    Task task = new Task("analysis", 3, new Owner("a1"));
    assertThat(eval("arg0.type", null, task, null)).isEqualTo("analysis");
    assertThat(eval("arg0.priority", null, task, null)).isEqualTo(3);
    assertThat(eval("return.owner.name", null, null, task)).isEqualTo("a1");
  }

  @Test
  void callsNoArgumentMethodsAndFallsBackToGetters() throws Throwable {
    Task task = new Task("refactor", 2, new Owner("a2"));
    assertThat(eval("this.describe()", task, null, null)).isEqualTo("refactor#2");
    assertThat(eval("this.owner.displayName", task, null, null)).isEqualTo("Agent a2");
  }

  @Test
  void fieldsOfSuperclassesResolveOnSubclasses() throws Throwable {
    assertThat(eval("arg0.type", null, new SpecialTask(), null)).isEqualTo("special");
  }

  @Test
  void nullAlongThePathIsNullNotAnError() throws Throwable {
    assertThat(eval("arg0.owner.name", null, new SpecialTask(), null)).isNull();
    assertThat(eval("arg0.type", null, null, null)).isNull();
  }

  @Test
  void aMissingMemberReadsAsNullAndIsReportedOncePerClass() throws Throwable {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    LabelExpression.reportMissingMembersTo(warnings::add);
    try {
      LabelExpression expression = LabelExpression.parse("arg0.nothingHere");
      for (int i = 0; i < 3; i++) {
        assertThat(expression.evaluate(null, new SpecialTask(), null, null, null, null)).isNull();
      }
      assertThat(warnings)
          .containsExactly(
              "label expression 'arg0.nothingHere': "
                  + SpecialTask.class.getName()
                  + " has no accessible field nothingHere nor a getter getNothingHere(),"
                  + " isNothingHere(), nothingHere(); it reads as null, and the label as 'unknown'");
    } finally {
      LabelExpression.reportMissingMembersTo(null);
    }
  }

  @Test
  void threadNameWorksThroughItsPublicGetterDespiteModuleEncapsulation() throws Throwable {
    assertThat(eval("thread.name", null, null, null)).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void refusesAnythingButReadingPaths() {
    assertThatThrownBy(() -> LabelExpression.parse("arg0.getType(1)"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("no-argument method call");
    assertThatThrownBy(() -> LabelExpression.parse("System.exit(0)"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("must start with this");
    assertThatThrownBy(() -> LabelExpression.parse("arg0..type"))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> LabelExpression.parse(" ")).isInstanceOf(ExpressionException.class);
  }
}
