package com.example.libraryhost;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An orchestrator whose queue copies each job on the way, as one that serializes its jobs would:
 * the worker never sees the object that was submitted, only a copy with the same id. Knows nothing
 * of monitoring. The worker starts late, so every job waits in the queue at least that long. Prints
 * {@code {"executed":N,"worker_delay_ms":D}} when done, then lingers.
 *
 * <p>Usage: {@code CopyingQueueHost JOBS LINGER_SECONDS}
 */
public final class CopyingQueueHost {
  static final long WORKER_DELAY_MS = 300;

  private CopyingQueueHost() {}

  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    long lingerSeconds = Long.parseLong(args[1]);
    BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    Dispatcher dispatcher = new Dispatcher(queue);
    for (int i = 0; i < jobs; i++) {
      dispatcher.submit(new Job("job-" + i, i % 2 == 0 ? "report" : "export", i % 3));
    }
    Thread.sleep(WORKER_DELAY_MS);
    Worker worker = new Worker();
    for (int i = 0; i < jobs; i++) {
      worker.execute(queue.take());
    }
    System.out.println("{\"executed\":" + jobs + ",\"worker_delay_ms\":" + WORKER_DELAY_MS + "}");
    System.out.flush();
    TimeUnit.SECONDS.sleep(lingerSeconds);
  }

  /** A job; what the queue hands the worker is a copy. */
  public static final class Job {
    private final String id;
    private final String type;
    private final int priority;

    Job(String id, String type, int priority) {
      this.id = id;
      this.type = type;
      this.priority = priority;
    }

    Job copy() {
      return new Job(id, type, priority);
    }
  }

  /** Puts a copy of each job in the queue. */
  public static final class Dispatcher {
    private final BlockingQueue<Job> queue;

    Dispatcher(BlockingQueue<Job> queue) {
      this.queue = queue;
    }

    public void submit(Job job) {
      queue.add(job.copy());
    }
  }

  /** Runs a job. */
  public static final class Worker {
    private long done;

    public String execute(Job job) {
      done += job.priority;
      return done >= 0 ? "success" : "failed";
    }
  }
}
