package dev.conductor.instrumentation;

import dev.conductor.bootstrap.Event;
import dev.conductor.bootstrap.EventBuffer;
import dev.conductor.bootstrap.HttpClientPropagation;
import dev.conductor.bootstrap.LabelCapture;
import dev.conductor.bootstrap.LogCorrelation;
import dev.conductor.bootstrap.Recorders;
import dev.conductor.bootstrap.SpanNames;
import dev.conductor.bootstrap.Tracing;
import dev.conductor.instrumentation.expression.LabelExpression;
import dev.conductor.instrumentation.http.HttpClientHeaders;
import dev.conductor.instrumentation.http.TraceparentReader;
import dev.conductor.instrumentation.weave.Rules;
import dev.conductor.instrumentation.weave.Weaver;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.function.Consumer;

/**
 * Weaves the advice into the host's classes for the configured task, enqueue and agent points.
 *
 * <p>Classes already loaded when the agent starts are retransformed; classes loaded later are woven
 * as they load (see {@link Weaver}). The agent's own classes are never touched.
 */
public final class Instrumenter {
  private final Consumer<String> warnings;
  private volatile Weaver weaver;

  /**
   * @param warnings where to report a class that could not be woven (one line each)
   */
  public Instrumenter(Consumer<String> warnings) {
    this.warnings = warnings;
    LabelExpression.reportMissingMembersTo(warnings);
  }

  /**
   * Installs the recorders and the transformer. Call once, after the config has been validated.
   *
   * @param hostRunning attached to a running JVM: the host's threads may run woven code as soon as
   *     the weaver is installed
   * @param httpClients with tracing on, whether the JDK's HTTP clients carry the trace context to
   *     the servers they call
   * @param tracingHandoffs with tracing on, how many trace contexts may wait for their task at once
   *     (per hand-over table); 0 for tracing off
   * @param logCorrelation with tracing on, put the trace ids into the host's log events (Logback,
   *     Log4j 2)
   * @param taskFields with tracing on, give the task classes the points name fields for the trace
   *     context their enqueue hands to their start (see {@code Rules.carryContext})
   * @param classFiles the application's class files, where the points' task classes are found
   */
  public void install(
      Instrumentation instrumentation,
      boolean hostRunning,
      List<TaskPoint> tasks,
      List<EnqueuePoint> enqueues,
      List<AgentPoint> agents,
      List<ApiPoint> apis,
      List<OperationPoint> operations,
      boolean executors,
      boolean httpClients,
      int tracingHandoffs,
      boolean logCorrelation,
      boolean taskFields,
      PointVerifier classFiles,
      EventBuffer buffer) {
    boolean tracing = tracingHandoffs > 0;
    Rules rules = rules(tasks, enqueues, agents, apis, operations, executors, hostRunning, tracing);
    if (tracing && taskFields && !enqueues.isEmpty()) {
      carryContext(rules, classFiles, tasks, enqueues);
    }
    rules.socketBinds(); // the host gets back a port the agent's servers listen on
    if (tracing && httpClients) {
      rules.httpClients();
    }
    if (tracing && logCorrelation) {
      LogCorrelation.install();
      rules.logCorrelation();
    }
    // In premain, the weaver first, and the JDK pool classes woven on a second thread while this
    // one installs the recorders: weaving them is the largest part of premain, and no host code
    // runs before premain returns, which waits for them. Attached to a running JVM, the recorders
    // first: the host's threads may run woven code at once.
    Thread poolClasses = hostRunning ? null : startWeaving(rules, instrumentation, executors);

    // Starts are needed to know what is waiting (enqueued, not started) and what is in flight.
    boolean trackStarts = !enqueues.isEmpty() || !agents.isEmpty();
    LabelCapture[] taskCaptures = new LabelCapture[tasks.size()];
    boolean[] startsTracked = new boolean[tasks.size()];
    for (int i = 0; i < tasks.size(); i++) {
      taskCaptures[i] = PointCapture.compiling(tasks.get(i).labels());
      startsTracked[i] = trackStarts;
    }
    LabelCapture[] enqueueCaptures = new LabelCapture[enqueues.size()];
    for (int i = 0; i < enqueues.size(); i++) {
      enqueueCaptures[i] = PointCapture.compiling(enqueues.get(i).labels());
    }
    LabelCapture[] agentCaptures = new LabelCapture[agents.size()];
    for (int i = 0; i < agents.size(); i++) {
      agentCaptures[i] =
          new PointCapture(new PointLabels(null, null, null, agents.get(i).agentId(), null, null));
    }
    LabelCapture[] apiCaptures = new LabelCapture[apis.size()];
    for (int i = 0; i < apis.size(); i++) {
      apiCaptures[i] = new PointCapture(apis.get(i).labels());
    }
    Recorders.install(
        buffer, taskCaptures, startsTracked, enqueueCaptures, agentCaptures, apiCaptures);
    if (tracing) {
      int[] taskObjects = new int[tasks.size()];
      for (int i = 0; i < taskObjects.length; i++) {
        taskObjects[i] = taskObjectArgument(tasks.get(i).labels());
      }
      int[] enqueueObjects = new int[enqueues.size()];
      for (int i = 0; i < enqueueObjects.length; i++) {
        enqueueObjects[i] = taskObjectArgument(enqueues.get(i).labels());
      }
      Tracing.install(tracingHandoffs, taskObjects, enqueueObjects);
      // A request's traceparent makes it part of its caller's trace, in whichever process.
      Recorders.installTraceparentReader(new TraceparentReader());
      if (httpClients) {
        HttpClientPropagation.install(new HttpClientHeaders());
      }
    }
    if (hostRunning) {
      poolClasses = startWeaving(rules, instrumentation, executors);
    }
    if (weaver != null) {
      weaver.weaveLoadedBefore();
    }
    awaitLoaded(poolClasses);
  }

  /**
   * Installs the weaver (classes loaded from now on are woven as they load) and starts loading the
   * pool classes through it; returns that thread, or null.
   */
  private Thread startWeaving(Rules rules, Instrumentation instrumentation, boolean executors) {
    if (rules.isEmpty()) {
      return null;
    }
    weaver = Weaver.install(rules, instrumentation, warnings);
    return executors ? loadInBackground(Rules.LOAD_AT_INSTALL) : null;
  }

  /**
   * Starts loading (without initializing), through the weaver just installed, classes that must not
   * be loaded later: a JDK class that the JVM loads from its class data archive as the superclass
   * of another archived class does not pass through the transformer. Not a lambda: a first lambda
   * shape in premain costs the host's startup.
   */
  private static Thread loadInBackground(List<String> names) {
    Thread loader =
        new Thread(
            new Runnable() {
              @Override
              public void run() {
                for (String name : names) {
                  try {
                    Class.forName(name, false, null);
                  } catch (ClassNotFoundException | LinkageError notOnThisJdk) {
                    // nothing to weave then
                  }
                }
              }
            },
            "conductor-weave-pools");
    loader.setDaemon(true);
    loader.start();
    return loader;
  }

  /**
   * Waits for {@link #loadInBackground}: premain must not return before those classes are woven.
   */
  private static void awaitLoaded(Thread loader) {
    if (loader == null) {
      return;
    }
    boolean interrupted = false;
    while (loader.isAlive()) {
      try {
        loader.join();
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting; the host's interrupt is given back below
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Names the task classes that carry the trace context in fields of their own: the declared types
   * of the task objects of the task and enqueue points, read from the points' class files (a class
   * that the application class loader does not find keeps to the hand-over table).
   */
  private static void carryContext(
      Rules rules, PointVerifier classFiles, List<TaskPoint> tasks, List<EnqueuePoint> enqueues) {
    for (TaskPoint point : tasks) {
      carryContext(
          rules, classFiles, point.type(), point.methods(), taskObjectArgument(point.labels()));
    }
    for (EnqueuePoint point : enqueues) {
      carryContext(
          rules, classFiles, point.type(), point.methods(), taskObjectArgument(point.labels()));
    }
  }

  private static void carryContext(
      Rules rules, PointVerifier classFiles, String type, List<String> methods, int argument) {
    if (argument == -1) {
      rules.carryContext(type); // the task object is the point's own object
    } else if (argument >= 0) {
      for (String declared : classFiles.parameterTypes(type, methods, argument)) {
        rules.carryContext(declared);
      }
    }
  }

  /** The argument that is a point's task object, for hand-over of its trace context on entry. */
  private static int taskObjectArgument(PointLabels labels) {
    return labels.task() == null
        ? Tracing.NO_ARGUMENT
        : labels.task().argumentIndex(Tracing.NO_ARGUMENT);
  }

  private static Rules rules(
      List<TaskPoint> tasks,
      List<EnqueuePoint> enqueues,
      List<AgentPoint> agents,
      List<ApiPoint> apis,
      List<OperationPoint> operations,
      boolean executors,
      boolean hostRunning,
      boolean tracing) {
    Rules rules = new Rules();
    for (int i = 0; i < tasks.size(); i++) {
      rules.task(i, tasks.get(i).type(), tasks.get(i).methods());
    }
    for (int i = 0; i < enqueues.size(); i++) {
      rules.enqueue(i, enqueues.get(i).type(), enqueues.get(i).methods());
    }
    for (int i = 0; i < agents.size(); i++) {
      AgentPoint point = agents.get(i);
      lifecycle(rules, i, point, point.start(), Event.AGENT_STARTED);
      lifecycle(rules, i, point, point.stop(), Event.AGENT_STOPPED);
      lifecycle(rules, i, point, point.healthCheck(), Event.HEALTH_CHECK);
    }
    for (int i = 0; i < apis.size(); i++) {
      rules.api(i, apis.get(i).type(), apis.get(i).method());
    }
    if (tracing) {
      // Spans only: operations and annotated methods record nothing else.
      for (OperationPoint operation : operations) {
        rules.operation(SpanNames.register(operation.name()), operation.type(), operation.method());
      }
      rules.annotatedSpans();
    }
    return executors ? rules.threadPools(hostRunning) : rules;
  }

  private static void lifecycle(Rules rules, int point, AgentPoint agent, String method, int kind) {
    if (method != null) {
      rules.agentLifecycle(point, agent.type(), method, kind);
    }
  }

  /** Host classes woven so far. */
  public long transformedTypes() {
    return weaver == null ? 0 : weaver.transformedTypes();
  }

  /** Host classes that matched but could not be woven. */
  public long failedTypes() {
    return weaver == null ? 0 : weaver.failedTypes();
  }
}
