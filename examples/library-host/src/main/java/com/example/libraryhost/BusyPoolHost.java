package com.example.libraryhost;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain fixed pool held busy for a while: every worker runs a task that waits, and more tasks
 * wait in the queue. Prints when it is busy, then when it was released and everything ran, then
 * lingers.
 *
 * <p>Usage: {@code BusyPoolHost WORKERS QUEUED HOLD_SECONDS LINGER_SECONDS}
 */
public final class BusyPoolHost {
  private BusyPoolHost() {}

  public static void main(String[] args) throws Exception {
    int workers = Integer.parseInt(args[0]);
    int queued = Integer.parseInt(args[1]);
    long holdSeconds = Long.parseLong(args[2]);
    long lingerSeconds = Long.parseLong(args[3]);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch running = new CountDownLatch(workers);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < workers + queued; i++) {
      pool.execute(
          () -> {
            running.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    running.await();
    System.out.println("{\"busy\":" + workers + ",\"queued\":" + queued + "}");
    System.out.flush();
    Thread.sleep(holdSeconds * 1000);
    release.countDown();
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    System.out.println("{\"released\":" + (workers + queued) + "}");
    System.out.flush();
    Thread.sleep(lingerSeconds * 1000);
  }
}
