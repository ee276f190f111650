package dev.conductor.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PointVerifierTest {
  interface Worker {
    void execute();
  }

  interface NamedWorker extends Worker {}

  static class Base {
    public void execute() {}

    public void shared() {}
  }

  abstract static class Declaring implements NamedWorker {
    public void own() {}
  }

  static class Inheriting extends Base {}

  static class Queue {
    void submit(String name, Base task) {}

    void submit(String name, Inheriting task, int priority) {}

    void submit(int[] names, long count) {}

    void other(String name, Declaring task) {}
  }

  private final PointVerifier verifier = new PointVerifier(getClass().getClassLoader());

  private Optional<PointVerifier.Finding> check(Class<?> type, String... methods) {
    return verifier.check(type.getName(), List.of(methods));
  }

  @Test
  void aPointsParameterTypesAreTheClassesItsMethodsDeclareThere() {
    assertThat(verifier.parameterTypes(Queue.class.getName(), List.of("submit"), 1))
        .as("every overload's class at that index; arrays and primitives left out")
        .containsExactlyInAnyOrder(Base.class.getName(), Inheriting.class.getName());
    assertThat(verifier.parameterTypes(Queue.class.getName(), List.of("submit", "other"), 0))
        .containsExactly(String.class.getName());
    assertThat(verifier.parameterTypes(Queue.class.getName(), List.of("submit"), 3)).isEmpty();
    assertThat(verifier.parameterTypes("com.acme.Absent", List.of("submit"), 0)).isEmpty();
  }

  @Test
  void methodsDeclaredByTheTypeOrItsInterfacesAreFound() {
    assertThat(check(Base.class, "execute", "shared")).isEmpty();
    assertThat(check(NamedWorker.class, "execute")).isEmpty();
    assertThat(check(Declaring.class, "own", "execute")).isEmpty();
  }

  @Test
  void aMissingClassOrMethodIsFatal() {
    assertThat(verifier.check("com.acme.Absent", List.of("run")))
        .hasValueSatisfying(
            finding -> {
              assertThat(finding.fatal()).isTrue();
              assertThat(finding.method()).isNull();
              assertThat(finding.message()).contains("com.acme.Absent was not found");
            });
    assertThat(check(Base.class, "execute", "exceute"))
        .hasValueSatisfying(
            finding -> {
              assertThat(finding.fatal()).isTrue();
              assertThat(finding.method()).isEqualTo("exceute");
            });
  }

  @Test
  void aMethodOnlyInheritedFromASuperclassIsAWarningThatNamesTheSuperclass() {
    assertThat(check(Inheriting.class, "execute"))
        .hasValueSatisfying(
            finding -> {
              assertThat(finding.fatal()).isFalse();
              assertThat(finding.method()).isEqualTo("execute");
              assertThat(finding.message())
                  .contains(
                      "does not declare execute but inherits it from " + Base.class.getName());
            });
  }
}
