package com.example.libraryhost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker and a queue of jobs, whose first job runs until a file appears: what a monitor shows
 * while a task runs can be checked against what is known to run. Knows nothing of monitoring.
 * Prints {@code {"running":"job-0"}} once the first job has started, {@code {"executed":N}} when
 * all are done, then lingers.
 *
 * <p>Usage: {@code RunningTaskHost JOBS RELEASE_FILE LINGER_SECONDS}
 */
public final class RunningTaskHost {
  private RunningTaskHost() {}

  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(args[0]);
    Path release = Path.of(args[1]);
    long lingerSeconds = Long.parseLong(args[2]);
    BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    Dispatcher dispatcher = new Dispatcher(queue);
    for (int i = 0; i < jobs; i++) {
      dispatcher.submit(new Job("job-" + i, 2));
    }
    Worker worker = new Worker("worker-1", release);
    for (int i = 0; i < jobs; i++) {
      worker.execute(queue.take());
    }
    System.out.println("{\"executed\":" + jobs + "}");
    System.out.flush();
    TimeUnit.SECONDS.sleep(lingerSeconds);
  }

  /** A job. */
  public static final class Job {
    private final String id;
    private final int priority;

    Job(String id, int priority) {
      this.id = id;
      this.priority = priority;
    }
  }

  /** Puts each job in the queue. */
  public static final class Dispatcher {
    private final BlockingQueue<Job> queue;

    Dispatcher(BlockingQueue<Job> queue) {
      this.queue = queue;
    }

    public void submit(Job job) {
      queue.add(job);
    }
  }

  /** Runs a job; the first one waits for the release file. */
  public static final class Worker {
    private final String id;
    private final Path release;
    private int executed;

    Worker(String id, Path release) {
      this.id = id;
      this.release = release;
    }

    public String execute(Job job) throws InterruptedException {
      if (executed++ == 0) {
        System.out.println("{\"running\":\"" + job.id + "\"}");
        System.out.flush();
        while (!Files.exists(release)) {
          Thread.sleep(20);
        }
      }
      return job.priority >= 0 ? "success" : "failed";
    }
  }
}
