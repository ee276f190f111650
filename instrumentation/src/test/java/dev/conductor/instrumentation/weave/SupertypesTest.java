package dev.conductor.instrumentation.weave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A point's type may be a superclass or an interface anywhere above the class being loaded, found
 * from class-file headers without loading the host's classes.
 */
class SupertypesTest {
  interface Task {}

  interface ReviewTask extends Task {}

  abstract static class BaseAgent implements ReviewTask {}

  static class CodeReviewAgent extends BaseAgent implements Runnable {
    @Override
    public void run() {}
  }

  static class Unrelated {}

  private static String internal(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  @Test
  void interfacesAndSuperclassesAtAnyDepthAreFoundFromHeaders() {
    Supertypes supertypes =
        new Supertypes(
            Set.of(Task.class.getName(), BaseAgent.class.getName(), "java.lang.Runnable"));
    ClassLoader loader = getClass().getClassLoader();

    // As the transformer sees a class being loaded: its own header's super and interfaces.
    Set<String> found =
        supertypes.of(
            loader,
            internal(CodeReviewAgent.class),
            internal(BaseAgent.class),
            new String[] {"java/lang/Runnable"});
    assertThat(found)
        .containsExactlyInAnyOrder(
            Task.class.getName(), BaseAgent.class.getName(), "java.lang.Runnable");

    Set<String> none =
        supertypes.of(loader, internal(Unrelated.class), "java/lang/Object", new String[0]);
    assertThat(none).isEmpty();
  }

  @Test
  void aClassAlreadyLoadedIsAnsweredThroughReflection() {
    Supertypes supertypes = new Supertypes(Set.of(Task.class.getName()));
    assertThat(supertypes.of(CodeReviewAgent.class)).containsExactly(Task.class.getName());
  }
}
