package com.example.libraryhost;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A planner whose every job fans out over the JDK's ways of running work elsewhere: a thread pool
 * (lambda and submitted callable, and a submission nested inside pool work), {@code
 * CompletableFuture} async stages on the common pool, a scheduled pool and, on JDK 21+, a virtual
 * thread. Each piece of work is one method of {@link Steps}, so that a config can make them spans.
 *
 * <p>Usage: {@code TracedWorkHost JOBS LINGER_SECONDS}; prints {@code {"jobs":N,"virtual":true}}.
 */
public final class TracedWorkHost {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService virtual = virtualThreads();

  private TracedWorkHost() {}

  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    long lingerSeconds = Long.parseLong(args[1]);
    TracedWorkHost host = new TracedWorkHost();
    for (int i = 0; i < jobs; i++) {
      host.plan(new Job("job-" + i, "planning"));
    }
    host.pool.shutdown();
    host.scheduler.shutdown();
    System.out.println("{\"jobs\":" + jobs + ",\"virtual\":" + (host.virtual != null) + "}");
    System.out.flush();
    Thread.sleep(lingerSeconds * 1000);
  }

  /** One job: the task point of the tests' config. */
  public String plan(Job job) throws Exception {
    // A lambda on the pool that submits more work to the pool from inside its own span.
    Future<?> lambda = pool.submit(() -> Steps.pool(() -> pool.submit(Steps::nested).get()));
    Future<String> callable = pool.submit(Steps::callable);
    CompletableFuture<String> async =
        CompletableFuture.supplyAsync(Steps::async).thenApplyAsync(Steps::then);
    Future<String> scheduled = scheduler.schedule(Steps::scheduled, 5, TimeUnit.MILLISECONDS);
    Future<String> onVirtual = virtual == null ? null : virtual.submit(Steps::virtualThread);
    lambda.get();
    StringBuilder done = new StringBuilder(callable.get()).append(async.get());
    done.append(scheduled.get());
    if (onVirtual != null) {
      done.append(onVirtual.get());
    }
    return job.id() + ":" + done;
  }

  private static ExecutorService virtualThreads() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException beforeJdk21) {
      return null;
    }
  }

  /** What a job is about. */
  public record Job(String id, String kind) {}

  /** The pieces of work, each run on another thread than the job's. */
  public static final class Steps {
    private Steps() {}

    public static Object pool(java.util.concurrent.Callable<?> inside) throws Exception {
      work();
      return inside.call();
    }

    public static String nested() {
      return work();
    }

    public static String callable() {
      return work();
    }

    public static String async() {
      return work();
    }

    public static String then(String previous) {
      return previous + work();
    }

    public static String scheduled() {
      return work();
    }

    public static String virtualThread() {
      return work();
    }

    private static String work() {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ".";
    }
  }
}
