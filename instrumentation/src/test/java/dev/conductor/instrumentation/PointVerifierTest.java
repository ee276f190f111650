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

  private final PointVerifier verifier = new PointVerifier(getClass().getClassLoader());

  private Optional<PointVerifier.Finding> check(Class<?> type, String... methods) {
    return verifier.check(type.getName(), List.of(methods));
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
