package com.example.libraryhost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host that uses fork/join pools the common ways, knowing nothing of monitoring: callables and
 * runnables on the JVM's common pool, callables and {@code CompletableFuture} async stages on a
 * pool of its own. Prints what it ran, then lingers.
 *
 * <p>Usage: {@code ForkJoinHost TASKS LINGER_SECONDS}
 */
public final class ForkJoinHost {
  private ForkJoinHost() {}

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(args[0]);
    long lingerSeconds = Long.parseLong(args[1]);
    AtomicInteger ran = new AtomicInteger();

    // Callables and runnables straight on the common pool. (CompletableFuture uses the common
    // pool by default only where its parallelism is above 1; on a 2-core machine it starts a
    // thread per task instead, even when given the common pool.)
    ForkJoinPool commonPool = ForkJoinPool.commonPool();
    List<Future<Integer>> common = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      common.add(commonPool.submit(() -> work(ran)));
    }
    CountDownLatch executed = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      commonPool.execute(
          () -> {
            work(ran);
            executed.countDown();
          });
    }
    for (Future<Integer> future : common) {
      future.get();
    }
    executed.await();

    ForkJoinPool own = new ForkJoinPool(2);
    List<Future<Integer>> submitted = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      submitted.add(own.submit(() -> work(ran)));
    }
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      stages.add(CompletableFuture.runAsync(() -> work(ran), own));
    }
    for (Future<Integer> future : submitted) {
      future.get();
    }
    for (CompletableFuture<Void> stage : stages) {
      stage.get();
    }
    own.shutdown();
    own.awaitTermination(30, TimeUnit.SECONDS);

    System.out.println(
        "{\"common_pool_tasks\":" + 2 * tasks + ",\"own_pool_tasks\":" + 2 * tasks + "}");
    Thread.sleep(TimeUnit.SECONDS.toMillis(lingerSeconds));
  }

  private static int work(AtomicInteger ran) {
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += i % 7;
    }
    return ran.incrementAndGet() + (int) (sum % 2);
  }
}
