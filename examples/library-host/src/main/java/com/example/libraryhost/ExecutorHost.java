package com.example.libraryhost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host that knows nothing of monitoring and uses only plain {@code java.util.concurrent} pools:
 * lambdas through submit and execute, CompletableFuture stages on the pool, tasks that submit
 * tasks, tasks that throw, and a small pool that rejects. Prints what it ran, then lingers.
 *
 * <p>Usage: {@code ExecutorHost TASKS LINGER_SECONDS}
 */
public final class ExecutorHost {
  private ExecutorHost() {}

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(args[0]);
    long lingerSeconds = Long.parseLong(args[1]);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger ran = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();

    for (int i = 0; i < tasks; i++) {
      futures.add(pool.submit(() -> work(ran)));
    }
    CountDownLatch executed = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      pool.execute(
          () -> {
            work(ran);
            executed.countDown();
          });
    }
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      stages.add(
          CompletableFuture.runAsync(() -> work(ran), pool).thenRunAsync(() -> work(ran), pool));
    }
    CountDownLatch nested = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      pool.execute(
          () ->
              pool.execute(
                  () -> {
                    work(ran);
                    nested.countDown();
                  }));
    }
    int throwing = 3;
    CountDownLatch thrown = new CountDownLatch(throwing);
    for (int i = 0; i < throwing; i++) {
      pool.execute(
          () -> {
            thrown.countDown();
            throw new IllegalStateException("a task that fails");
          });
    }
    for (Future<?> future : futures) {
      future.get();
    }
    executed.await();
    for (CompletableFuture<Void> stage : stages) {
      stage.get();
    }
    nested.await();
    thrown.await();

    int rejected = rejectSome();
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);

    // submit + execute + two async stages + (outer + inner) nested + throwing
    int poolTasks = tasks + tasks + 2 * tasks + 2 * tasks + throwing;
    System.out.println(
        "{\"pool_tasks\":"
            + poolTasks
            + ",\"ran\":"
            + ran.get()
            + ",\"thrown\":"
            + throwing
            + ",\"rejected\":"
            + rejected
            + "}");
    System.out.flush();
    Thread.sleep(lingerSeconds * 1000);
  }

  /** One worker, one queue slot, one long task: the third and fourth submits are rejected. */
  private static int rejectSome() throws InterruptedException {
    ThreadPoolExecutor small =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    CountDownLatch release = new CountDownLatch(1);
    int rejected = 0;
    for (int i = 0; i < 4; i++) {
      try {
        small.execute(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      } catch (RejectedExecutionException expected) {
        rejected++;
      }
    }
    release.countDown();
    small.shutdown();
    small.awaitTermination(30, TimeUnit.SECONDS);
    return rejected;
  }

  private static void work(AtomicInteger ran) {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ran.incrementAndGet();
  }
}
