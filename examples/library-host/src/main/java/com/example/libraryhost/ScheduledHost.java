package com.example.libraryhost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A host with a scheduled pool, knowing nothing of monitoring: one-shot tasks scheduled now and a
 * little later, a periodic task that runs a fixed number of times, and tasks parked an hour ahead,
 * which wait in the pool's queue while the host lingers. Prints what ran and what waits, then
 * lingers.
 *
 * <p>Usage: {@code ScheduledHost TASKS LINGER_SECONDS}
 */
public final class ScheduledHost {
  private ScheduledHost() {}

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(args[0]);
    long lingerSeconds = Long.parseLong(args[1]);
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);

    List<ScheduledFuture<?>> oneShots = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      oneShots.add(pool.schedule(ScheduledHost::work, i % 5, TimeUnit.MILLISECONDS));
    }
    int periodicRuns = 10;
    CountDownLatch periodic = new CountDownLatch(periodicRuns);
    AtomicReference<ScheduledFuture<?>> repeating = new AtomicReference<>();
    // The first run comes after the future is stored; the tenth cancels the task from inside, so
    // that it runs exactly ten times.
    repeating.set(
        pool.scheduleAtFixedRate(
            () -> {
              work();
              periodic.countDown();
              if (periodic.getCount() == 0) {
                repeating.get().cancel(false);
              }
            },
            50,
            5,
            TimeUnit.MILLISECONDS));
    int parked = 7;
    for (int i = 0; i < parked; i++) {
      pool.schedule(ScheduledHost::work, 1, TimeUnit.HOURS);
    }
    for (ScheduledFuture<?> oneShot : oneShots) {
      oneShot.get();
    }
    periodic.await();
    System.out.println(
        "{\"one_shot_tasks\":"
            + tasks
            + ",\"periodic_runs\":"
            + periodicRuns
            + ",\"parked_tasks\":"
            + parked
            + "}");
    Thread.sleep(TimeUnit.SECONDS.toMillis(lingerSeconds));
    pool.shutdownNow();
  }

  private static void work() {
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += i % 7;
    }
    if (sum < 0) {
      throw new IllegalStateException();
    }
  }
}
