package com.example.libraryhost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on a virtual-thread-per-task executor (JDK 21+, reached by reflection so that this
 * module still compiles for Java 17): submits and executes, then prints what it ran and lingers.
 *
 * <p>Usage: {@code VirtualThreadHost TASKS LINGER_SECONDS}
 */
public final class VirtualThreadHost {
  private VirtualThreadHost() {}

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(args[0]);
    long lingerSeconds = Long.parseLong(args[1]);
    ExecutorService virtual =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      int n = i;
      futures.add(
          virtual.submit(
              () -> {
                Thread.sleep(2);
                return n;
              }));
    }
    CountDownLatch executed = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      virtual.execute(
          () -> {
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            executed.countDown();
          });
    }
    for (Future<Integer> future : futures) {
      future.get();
    }
    executed.await();
    virtual.shutdown();
    virtual.awaitTermination(30, TimeUnit.SECONDS);
    System.out.println("{\"virtual_tasks\":" + 2 * tasks + "}");
    System.out.flush();
    Thread.sleep(lingerSeconds * 1000);
  }
}
