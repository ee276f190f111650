package dev.conductor.instrumentation.weave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

class RulesTest {

  /**
   * Woven code that calls a hook {@code Woven} does not have fails in the host with a {@code
   * NoSuchMethodError}: every hook of every rule must exist with the descriptor the weaver emits.
   */
  @Test
  void everyHookNamesAWovenMethodWithItsDescriptor() {
    Rules rules =
        new Rules()
            .task(0, "com.acme.Agent", List.of("execute"))
            .enqueue(0, "com.acme.Orchestrator", List.of("submit"))
            .agentLifecycle(0, "com.acme.Agent", "start", Event.AGENT_STARTED)
            .api(0, "com.acme.Servlet", "service")
            .operation(0, "com.acme.Planner", "plan")
            .threadPools(false)
            .threadPools(true)
            .logCorrelation()
            .httpClients();
    List<String> woven = new ArrayList<>();
    for (Method method : dev.conductor.bootstrap.Woven.class.getMethods()) {
      woven.add(method.getName() + Type.getMethodDescriptor(method));
    }
    for (Rule rule : rules.all()) {
      Hook hook = rule.hook();
      if (hook.enter() != null) {
        assertThat(woven).contains(hook.enter() + hook.enterDescriptor());
      }
      if (hook.exit() != null) {
        assertThat(woven).contains(hook.exit() + hook.exitDescriptor());
      }
      for (Hook.CallHook call : hook.calls()) {
        assertThat(woven).contains(call.woven() + call.wovenDescriptor());
      }
    }
  }
}
