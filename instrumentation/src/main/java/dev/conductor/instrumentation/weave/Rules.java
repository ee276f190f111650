package dev.conductor.instrumentation.weave;

import static dev.conductor.instrumentation.weave.Source.ARG0;
import static dev.conductor.instrumentation.weave.Source.ARG1;
import static dev.conductor.instrumentation.weave.Source.ARG2;
import static dev.conductor.instrumentation.weave.Source.ARG3;
import static dev.conductor.instrumentation.weave.Source.EXECUTOR_FIELD;
import static dev.conductor.instrumentation.weave.Source.FORK_JOIN_TASK;
import static dev.conductor.instrumentation.weave.Source.KIND;
import static dev.conductor.instrumentation.weave.Source.POINT;
import static dev.conductor.instrumentation.weave.Source.RETURNED;
import static dev.conductor.instrumentation.weave.Source.STATE;
import static dev.conductor.instrumentation.weave.Source.THIS;
import static dev.conductor.instrumentation.weave.Source.THROWN;

import dev.conductor.instrumentation.weave.Rule.MethodMatch;
import dev.conductor.instrumentation.weave.Rule.TypeMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the weaver does, built from the config: for each kind of point, which methods of which
 * classes get which {@code Woven} hooks. The hooks pass at most the first four arguments, one by
 * one, boxed only when primitive, so that no call allocates an array.
 */
public final class Rules {
  private static final Hook TASK =
      Hook.around(
          "taskEnter",
          List.of(POINT, THIS, ARG0, ARG1, ARG2, ARG3),
          'L',
          "taskExit",
          List.of(POINT, STATE, THIS, ARG0, ARG1, ARG2, ARG3, RETURNED, THROWN));
  private static final Hook ENQUEUE =
      Hook.around(
          "enqueueEnter",
          List.of(POINT, THIS, ARG0, ARG1, ARG2, ARG3),
          'L',
          "enqueueExit",
          List.of(POINT, STATE, THIS, ARG0, ARG1, ARG2, ARG3, RETURNED, THROWN));
  private static final Hook AGENT =
      Hook.around(
          "agentEnter",
          List.of(KIND, THIS),
          'L',
          "agentExit",
          List.of(POINT, KIND, STATE, THIS, RETURNED, THROWN));
  private static final Hook API =
      Hook.around(
          "apiEnter", List.of(ARG0), 'J', "apiExit", List.of(POINT, STATE, ARG0, ARG1, THROWN));
  private static final Hook SOCKET_BIND = Hook.enterOnly("socketBindEnter", List.of(ARG2, ARG3));
  private static final Hook OPERATION =
      Hook.around("operationEnter", List.of(), 'J', "operationExit", List.of(POINT, STATE, THROWN));

  private static final Hook EXECUTE =
      Hook.around(
          "executeEnter", List.of(ARG0), 'L', "executeExit", List.of(STATE, THIS, ARG0, THROWN));
  private static final Hook BEFORE_EXECUTE =
      Hook.around(
          "beforeExecuteEnter",
          List.of(),
          'L',
          "beforeExecuteExit",
          List.of(STATE, THIS, ARG0, ARG1));
  private static final Hook AFTER_EXECUTE =
      Hook.around(
          "afterExecuteEnter", List.of(THIS, ARG0, ARG1), 'L', "afterExecuteExit", List.of(STATE));

  /**
   * {@code ThreadPoolExecutor.runWorker}, the loop every worker of every thread pool runs its tasks
   * in: the task starts once {@code beforeExecute} returned, and has ended when {@code
   * afterExecute} is called, whatever subclasses do in those two. The worker's recorder state is
   * looked up once, on entry, for all its tasks.
   */
  static final Hook WORKER_LOOP =
      Hook.aroundCalls(
          "workerLoopEnter",
          List.of(
              new Hook.CallHook(
                  "beforeExecute",
                  "(Ljava/lang/Thread;Ljava/lang/Runnable;)V",
                  "workerTaskStarts",
                  false),
              new Hook.CallHook(
                  "afterExecute",
                  "(Ljava/lang/Runnable;Ljava/lang/Throwable;)V",
                  "workerTaskEnded",
                  true)));

  private static final Hook REJECT = Hook.enterOnly("rejected", List.of(THIS, ARG0));
  private static final Hook HAND_OVER = Hook.enterOnly("handOver", List.of(ARG0));
  private static final Hook CONTEXT_RUN =
      Hook.around("contextRunEnter", List.of(THIS), 'J', "contextRunExit", List.of(STATE));
  private static final Hook POOL_CREATED = Hook.exitOnly("poolCreated", List.of(THIS), false);
  private static final Hook THREAD_TASK_RUN =
      Hook.around(
          "threadTaskEnter",
          List.of(THIS, EXECUTOR_FIELD),
          'Z',
          "threadTaskExit",
          List.of(STATE, THIS, EXECUTOR_FIELD, THROWN));

  private static final Hook FORK_JOIN_SUBMIT =
      Hook.around(
          "forkJoinSubmitEnter",
          List.of(THIS, FORK_JOIN_TASK),
          'Z',
          "forkJoinSubmitExit",
          List.of(STATE, THIS, FORK_JOIN_TASK, THROWN));
  private static final Hook FORK_JOIN_TASK_RUN =
      Hook.around(
          "forkJoinTaskEnter",
          List.of(THIS),
          'Z',
          "forkJoinTaskExit",
          List.of(STATE, THIS, THROWN));

  static final Hook LOG_EVENT_MAP =
      Hook.around("logEventMapEnter", List.of(), 'Z', "logEventMapExit", List.of(STATE));
  static final Hook LOG_CONTEXT_MAP = Hook.exitReplacing("logContextMap", List.of(RETURNED));
  private static final Hook LOG4J_CONTEXT_DATA =
      Hook.exitReplacing("log4jContextData", List.of(ARG1, RETURNED));
  private static final Hook HTTP_URL_CONNECT = Hook.enterOnly("httpUrlConnect", List.of(THIS));
  private static final Hook HTTP_CLIENT_SEND =
      Hook.around("httpSendEnter", List.of(), 'V', "httpSendExit", List.of());
  private static final Hook HTTP_REQUEST_HEADERS =
      Hook.exitReplacing("httpRequestHeaders", List.of(RETURNED));

  private static final String THREAD_POOL = "java.util.concurrent.ThreadPoolExecutor";
  private static final String FORK_JOIN_POOL = "java.util.concurrent.ForkJoinPool";

  /**
   * The method every submission from outside a fork/join pool's workers goes through: {@code
   * externalSubmit} and {@code externalPush} up to JDK 20, {@code poolSubmit} from JDK 21 on. All
   * are private or final: subclasses cannot bypass them.
   */
  private static final Set<String> FORK_JOIN_SUBMITS =
      Set.of("externalSubmit", "externalPush", "poolSubmit");

  private static final String SCHEDULED_POOL = "java.util.concurrent.ScheduledThreadPoolExecutor";

  private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";

  /** The runnables of {@code CompletableFuture}'s async stages. */
  private static final List<String> COMPLETABLE_FUTURE_TASKS =
      List.of(
          COMPLETABLE_FUTURE + "$Completion",
          COMPLETABLE_FUTURE + "$AsyncSupply",
          COMPLETABLE_FUTURE + "$AsyncRun");

  /** JDK 21+: behind newVirtualThreadPerTaskExecutor() and newThreadPerTaskExecutor(factory). */
  private static final String THREAD_PER_TASK = "java.util.concurrent.ThreadPerTaskExecutor";

  /**
   * JDK classes the executor rules weave that the JVM would load from its class data archive as the
   * superclass of archived classes, bypassing the transformer ({@code ThreadPoolExecutor} under
   * {@code ScheduledThreadPoolExecutor}, {@code ForkJoinTask} under {@code CompletableFuture}'s
   * async tasks): they are loaded at install, through it.
   */
  public static final List<String> LOAD_AT_INSTALL =
      List.of(
          "java.util.concurrent.ThreadPoolExecutor",
          "java.util.concurrent.ForkJoinTask",
          "java.util.concurrent.CompletableFuture$Completion");

  /** The JDK's {@code HttpURLConnection}; its https delegates extend it. */
  private static final String URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

  /** {@code java.net.http.HttpClient}'s implementation. */
  private static final String HTTP_CLIENT = "jdk.internal.net.http.HttpClientImpl";

  private final List<Rule> rules = new ArrayList<>();

  /** Internal names of the task classes to give trace context fields, see {@link #carryContext}. */
  private final Set<String> contextCarriers = new HashSet<>();

  List<Rule> all() {
    return List.copyOf(rules);
  }

  Set<String> contextCarriers() {
    return Set.copyOf(contextCarriers);
  }

  /**
   * Task objects of class {@code type} (binary name) and its subclasses carry the trace context
   * from their enqueue to their start in fields added to {@code type} as it loads ({@link
   * ContextFields}), when it is a class that can take them; those of a class loaded before, or of
   * another class, are handed over through a table. A JDK class or the agent's own is never given
   * fields (nor is any class of the boot or platform class loader, see {@code
   * Weaver.carriesContext}).
   */
  public Rules carryContext(String type) {
    for (String prefix : NEVER_CARRIERS) {
      if (type.startsWith(prefix)) {
        return this;
      }
    }
    contextCarriers.add(type.replace('.', '/'));
    return this;
  }

  private static final List<String> NEVER_CARRIERS =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "com.sun.",
          "org.w3c.",
          "org.xml.",
          "org.ietf.",
          "dev.conductor.");

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Task executions: the methods {@code methods} of {@code type} and its subtypes. */
  public Rules task(int point, String type, List<String> methods) {
    return add(TypeMatch.subtypesOf(type), MethodMatch.named(Set.copyOf(methods)), TASK, point, 0);
  }

  public Rules enqueue(int point, String type, List<String> methods) {
    return add(
        TypeMatch.subtypesOf(type), MethodMatch.named(Set.copyOf(methods)), ENQUEUE, point, 0);
  }

  /**
   * An agent's lifecycle method.
   *
   * @param kind the event kind it reports: started, stopped or health check
   */
  public Rules agentLifecycle(int point, String type, String method, int kind) {
    return add(TypeMatch.subtypesOf(type), MethodMatch.named(Set.of(method)), AGENT, point, kind);
  }

  /** A configured operation: each call of {@code method} of {@code type} and its subtypes. */
  public Rules operation(int point, String type, String method) {
    return add(TypeMatch.subtypesOf(type), MethodMatch.named(Set.of(method)), OPERATION, point, 0);
  }

  /**
   * OpenTelemetry's {@code @WithSpan} (and its older package's): every annotated method of a class
   * loaded from now on is a span named by the annotation's value, else by its class and name.
   */
  public Rules annotatedSpans() {
    for (String annotation : WITH_SPAN) {
      add(TypeMatch.any(), MethodMatch.annotatedWith(annotation), OPERATION, 0, 0);
    }
    return this;
  }

  private static final List<String> WITH_SPAN =
      List.of(
          "Lio/opentelemetry/instrumentation/annotations/WithSpan;",
          "Lio/opentelemetry/extension/annotations/WithSpan;");

  /** An HTTP dispatch method whose first two arguments are the request and the response. */
  public Rules api(int point, String type, String method) {
    return add(TypeMatch.subtypesOf(type), MethodMatch.named(Set.of(method)), API, point, 0);
  }

  /**
   * Thread pools and fork/join pools with no config. A scheduled pool's {@code execute} wraps the
   * task before it is queued, so its submits cannot be matched to its starts by identity: for those
   * pools only run time, counts and activity are recorded, not queue wait.
   *
   * @param workersRunning whether pool workers may already be running (the agent attached to a
   *     running JVM): a worker inside {@code runWorker} when it is woven would go on running the
   *     unwoven loop for good, so the tasks' start and end are then hooked on {@code beforeExecute}
   *     and {@code afterExecute} themselves, in every pool class, which every worker calls again
   *     for its next task. Otherwise on the loop's calls of them, which costs a worker less per
   *     task.
   */
  public Rules threadPools(boolean workersRunning) {
    TypeMatch pools = TypeMatch.subtypesOf(THREAD_POOL);
    if (workersRunning) {
      add(pools, MethodMatch.named("beforeExecute", 2), BEFORE_EXECUTE, 0, 0);
      add(pools, MethodMatch.named("afterExecute", 2), AFTER_EXECUTE, 0, 0);
    } else {
      add(TypeMatch.named(THREAD_POOL), MethodMatch.named("runWorker", 1), WORKER_LOOP, 0, 0);
    }
    add(pools, MethodMatch.named("reject", 1), REJECT, 0, 0);
    add(pools, MethodMatch.constructors(), POOL_CREATED, 0, 0);
    add(
        pools.unless(SCHEDULED_POOL),
        MethodMatch.named("execute", "Ljava/lang/Runnable;"),
        EXECUTE,
        0,
        0);
    add(TypeMatch.named(SCHEDULED_POOL), MethodMatch.named("delayedExecute", 1), HAND_OVER, 0, 0);
    // CompletableFuture runs async stages on a thread each when the common pool has one thread
    // (two cores or fewer): the stage carries the context to its thread and restores it in run().
    add(
        TypeMatch.named(COMPLETABLE_FUTURE + "$ThreadPerTaskExecutor"),
        MethodMatch.named("execute", 1),
        HAND_OVER,
        0,
        0);
    for (String task : COMPLETABLE_FUTURE_TASKS) {
      add(TypeMatch.named(task), MethodMatch.named("run", 0), CONTEXT_RUN, 0, 0);
    }
    add(
        TypeMatch.named(FORK_JOIN_POOL),
        MethodMatch.named(FORK_JOIN_SUBMITS),
        FORK_JOIN_SUBMIT,
        0,
        0);
    add(TypeMatch.subtypesOf(FORK_JOIN_POOL), MethodMatch.constructors(), POOL_CREATED, 0, 0);
    add(
        TypeMatch.named("java.util.concurrent.ForkJoinTask"),
        MethodMatch.named("doExec", 0),
        FORK_JOIN_TASK_RUN,
        0,
        0);
    TypeMatch threadPerTask = TypeMatch.named(THREAD_PER_TASK);
    add(threadPerTask, MethodMatch.named("newThread", "Ljava/lang/Runnable;"), EXECUTE, 0, 0);
    add(threadPerTask, MethodMatch.constructors(), POOL_CREATED, 0, 0);
    for (String runnable : List.of("$TaskRunner", "$ThreadBoundFuture")) {
      add(
          TypeMatch.named(THREAD_PER_TASK + runnable),
          MethodMatch.named("run", 0),
          THREAD_TASK_RUN,
          0,
          0);
    }
    return this;
  }

  /**
   * Log correlation: the trace ids join the context map a log event takes on the thread that logs.
   * Logback: the MDC adapter's map is replaced while {@code LoggingEvent.getMDCPropertyMap()} takes
   * it, and only then (the host may call the adapter itself). Log4j 2: the context data every
   * injector returns for a new event.
   */
  public Rules logCorrelation() {
    add(
        TypeMatch.subtypesOf("ch.qos.logback.classic.spi.LoggingEvent"),
        MethodMatch.named("getMDCPropertyMap", 0),
        LOG_EVENT_MAP,
        0,
        0);
    add(
        TypeMatch.subtypesOf("ch.qos.logback.classic.util.LogbackMDCAdapter"),
        MethodMatch.named("getPropertyMap", 0),
        LOG_CONTEXT_MAP,
        0,
        0);
    add(
        TypeMatch.subtypesOf("org.slf4j.spi.MDCAdapter"),
        MethodMatch.named("getCopyOfContextMap", 0),
        LOG_CONTEXT_MAP,
        0,
        0);
    add(
        TypeMatch.subtypesOf("org.apache.logging.log4j.core.ContextDataInjector"),
        MethodMatch.named("injectContextData", 2),
        LOG4J_CONTEXT_DATA,
        0,
        0);
    return this;
  }

  /**
   * Outgoing HTTP requests carry the trace context. {@code HttpURLConnection}: before it connects
   * or sends ({@code getInputStream} and {@code getOutputStream} connect when not yet connected).
   * {@code java.net.http.HttpClient}: every send goes through one private {@code sendAsync}, which
   * copies the request on the calling thread by its {@code headers()}; while it runs, that method
   * of the request returns the headers with the context.
   */
  public Rules httpClients() {
    add(
        TypeMatch.subtypesOf(URL_CONNECTION),
        MethodMatch.named(Set.of("connect", "getInputStream", "getOutputStream"), 0),
        HTTP_URL_CONNECT,
        0,
        0);
    add(TypeMatch.named(HTTP_CLIENT), MethodMatch.named("sendAsync", 4), HTTP_CLIENT_SEND, 0, 0);
    add(
        TypeMatch.subtypesOf("java.net.http.HttpRequest"),
        MethodMatch.named("headers", 0),
        HTTP_REQUEST_HEADERS,
        0,
        0);
    return this;
  }

  /**
   * Every socket bind of the JVM, so that the agent gives a port it listens on back to the host
   * that binds it ({@code AgentPorts}).
   */
  public Rules socketBinds() {
    return add(TypeMatch.named(SOCKET_BINDER), MethodMatch.named("bind", 4), SOCKET_BIND, 0, 0);
  }

  /** The JDK class whose {@code bind(family, fd, address, port)} every socket bind calls. */
  static final String SOCKET_BINDER = "sun.nio.ch.Net";

  Rules add(TypeMatch types, MethodMatch methods, Hook hook, int point, int kind) {
    rules.add(new Rule(types, methods, hook.at(point, kind)));
    return this;
  }
}
