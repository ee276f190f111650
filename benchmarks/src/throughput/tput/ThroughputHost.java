package tput;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application of benchmarks/throughput.sh: an orchestrator kept saturated with CPU-bound tasks
 * for a fixed time, which then prints how many it completed (ended, whatever the status) per
 * second, in the warm-up (from the first task, while the JIT compiles) and after it, and how much
 * memory the JVM holds. It knows nothing of the agent: the script's config hooks {@link
 * Orchestrator#submit} (enqueue), {@link Agent#execute} (task) and the pool (executors, on by
 * default).
 *
 * <p>Every task goes through a {@code ThreadPoolExecutor} with one worker per agent; the main
 * thread keeps {@code --in-flight} tasks submitted. A task sorts, hashes and counts a few thousand
 * generated values (tens of microseconds, allocating as ordinary code does); 2% return status
 * failed and 0.5% throw.
 *
 * <p>Usage: {@code ThroughputHost [--seconds 10] [--warmup 5] [--agents 2] [--in-flight 256]
 * [--scale 1] [--verify-port P]}; {@code --scale} multiplies the work of every task. With {@code
 * --verify-port}, it scrapes the agent's {@code /metrics} on that port at the end and prints the
 * tasks the agent counted and the events it dropped beside its own count, so that the script can
 * refuse a run where the agent did not record.
 */
public final class ThroughputHost {
  private ThroughputHost() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
    int agents = Integer.parseInt(options.getOrDefault("agents", "2"));
    int inFlight = Integer.parseInt(options.getOrDefault("in-flight", "256"));
    int scale = Integer.parseInt(options.getOrDefault("scale", "1"));

    Orchestrator orchestrator = new Orchestrator(agents);
    Producer producer = new Producer(orchestrator, inFlight, scale);
    Thread producing = new Thread(producer, "producer");
    producing.start();

    long warmupStart = System.nanoTime();
    Thread.sleep(warmup * 1000L);
    long endedBefore = orchestrator.ended.sum();
    double warmupElapsed = (System.nanoTime() - warmupStart) / 1e9;
    Map<String, Long> cpuBefore = ThreadCpu.ticksByGroup();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long ended = orchestrator.ended.sum() - endedBefore;
    Map<String, Long> cpu = ThreadCpu.since(cpuBefore);
    double elapsed = (System.nanoTime() - start) / 1e9;

    producer.stop();
    producing.join();
    orchestrator.shutdown();

    // Memory once the work is done and the collector has run: what stays is what the JVM (and an
    // agent's bounded stores) holds, not garbage of the last tasks.
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long nonHeapUsed = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed();
    Map<String, Long> status = procStatusKb();
    long jitTicks = ThreadCpu.ticksByGroup().getOrDefault("jit", 0L);

    System.out.printf(
        "tasks_per_second=%.1f warmup_tasks_per_second=%.1f tasks_submitted=%d heap_after_gc_mb=%.1f non_heap_mb=%.1f"
            + " rss_mb=%.1f rss_peak_mb=%.1f threads=%d classes=%d jit_cpu_s=%.2f %s%n",
        ended / elapsed,
        endedBefore / warmupElapsed,
        orchestrator.submitted.get(),
        heapUsed / 1048576.0,
        nonHeapUsed / 1048576.0,
        status.getOrDefault("VmRSS", -1L) / 1024.0,
        status.getOrDefault("VmHWM", -1L) / 1024.0,
        Thread.activeCount(),
        ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
        jitTicks / 100.0,
        ThreadCpu.perTask(cpu, ended));

    String port = options.get("verify-port");
    if (port != null) {
      // The exporter drains on its own interval: scrape until its count stops moving (or 10 s).
      String metrics = scrape(Integer.parseInt(port));
      for (int i = 0; i < 20; i++) {
        Thread.sleep(500);
        String again = scrape(Integer.parseInt(port));
        boolean settled =
            sum(again, "conductor_tasks_total{") == sum(metrics, "conductor_tasks_total{")
                && sum(again, "conductor_tasks_total{") == orchestrator.ended.sum();
        metrics = again;
        if (settled) {
          break;
        }
      }
      System.out.printf(
          "agent_tasks_total=%.0f agent_events_dropped=%.0f agent_events_overflowed=%.0f"
              + " host_tasks_total=%d%n",
          sum(metrics, "conductor_tasks_total{"),
          sum(metrics, "conductor_agent_events_dropped_total"),
          sum(metrics, "conductor_agent_events_overflowed_total"),
          orchestrator.ended.sum());
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  /** Sizes in kB from /proc/self/status (Linux), e.g. VmRSS, VmHWM. */
  private static Map<String, Long> procStatusKb() throws IOException {
    Map<String, Long> values = new HashMap<>();
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return values;
    }
    for (String line : Files.readAllLines(status)) {
      String[] parts = line.split("\\s+");
      if (parts.length == 3 && parts[2].equals("kB")) {
        values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
      }
    }
    return values;
  }

  private static String scrape(int port) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      connection.disconnect();
    }
  }

  /** The sum of the samples whose line starts with {@code prefix} (no label filter beyond it). */
  private static double sum(String metrics, String prefix) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}

/** Keeps a fixed number of tasks submitted until stopped. */
final class Producer implements Runnable {
  private static final String[] TYPES = {"code_review", "refactor", "test_generation", "analysis"};
  private static final int[] SIZES = {2000, 1000, 4000, 500};

  private final Orchestrator orchestrator;
  private final Semaphore slots;
  private final int scale;
  private volatile boolean stopped;

  Producer(Orchestrator orchestrator, int inFlight, int scale) {
    this.orchestrator = orchestrator;
    this.scale = scale;
    this.slots = new Semaphore(inFlight);
    orchestrator.onEnd = slots::release;
  }

  @Override
  public void run() {
    long n = 0;
    try {
      while (!stopped) {
        slots.acquire();
        int kind = (int) (n % TYPES.length);
        orchestrator.submit(new Task("task-" + n, TYPES[kind], (int) (n % 10), SIZES[kind] * scale, n));
        n++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    stopped = true;
  }
}

final class Orchestrator {
  final LongAdder ended = new LongAdder();
  final AtomicInteger submitted = new AtomicInteger();
  volatile Runnable onEnd = () -> {};
  /** Keeps the tasks' results alive, so that no compiler drops their work. Racy on purpose. */
  long checksum;
  private final ThreadPoolExecutor pool;
  private final Agent[] agents;

  Orchestrator(int agentCount) {
    agents = new Agent[agentCount];
    for (int i = 0; i < agentCount; i++) {
      agents[i] = new Agent("agent-" + (i + 1));
    }
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = task -> new Thread(task, "agent-worker-" + threads.incrementAndGet());
    pool =
        new ThreadPoolExecutor(
            agentCount, agentCount, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
  }

  void submit(Task task) {
    submitted.incrementAndGet();
    pool.execute(() -> run(task));
  }

  private void run(Task task) {
    Agent agent = agents[(int) (task.seed % agents.length)];
    try {
      checksum += agent.execute(task).checksum;
    } catch (RuntimeException e) {
      // a failed task; the orchestrator goes on
    } finally {
      ended.increment();
      onEnd.run();
    }
  }

  void shutdown() throws InterruptedException {
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
  }
}

final class Task {
  final String id;
  final String type;
  final int priority;
  final int size;
  final long seed;

  Task(String id, String type, int priority, int size, long seed) {
    this.id = id;
    this.type = type;
    this.priority = priority;
    this.size = size;
    this.seed = seed;
  }
}

final class TaskResult {
  final String status;
  final long checksum;

  TaskResult(String status, long checksum) {
    this.status = status;
    this.checksum = checksum;
  }
}

final class Agent {
  final String id;

  Agent(String id) {
    this.id = id;
  }

  /** Sorts, hashes and counts {@code task.size} generated values. */
  TaskResult execute(Task task) {
    long x = task.seed * 0x9E3779B97F4A7C15L + 1;
    int[] values = new int[task.size];
    for (int i = 0; i < values.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      values[i] = (int) x;
    }
    Arrays.sort(values);
    Map<String, Integer> counts = new HashMap<>();
    long checksum = 0;
    for (int i = 0; i < values.length; i += 8) {
      checksum = checksum * 31 + values[i];
      counts.merge("bucket-" + (values[i] & 63), 1, Integer::sum);
    }
    long outcome = task.seed % 200;
    if (outcome == 7) {
      throw new IllegalStateException("task " + task.id + " could not be completed");
    }
    String status = outcome < 4 ? "failed" : "success";
    return new TaskResult(status, checksum + counts.size());
  }
}

/**
 * CPU time of the JVM's threads from /proc/self/task (Linux; empty elsewhere), in groups: the
 * host's own threads, the agent's ({@code conductor-*}), the JIT compilers and the collector.
 */
final class ThreadCpu {
  static final String[] GROUPS = {"host", "agent", "jit", "gc"};

  private ThreadCpu() {}

  static Map<String, Long> ticksByGroup() throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return ticks;
    }
    try (var threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        try {
          String name = Files.readString(thread.resolve("comm")).trim();
          String stat = Files.readString(thread.resolve("stat"));
          // Fields after the name in parentheses: utime and stime are the 12th and 13th.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          ticks.merge(group(name), used, Long::sum);
        } catch (IOException | RuntimeException e) {
          // a thread that ended between the listing and the read
        }
      }
    }
    return ticks;
  }

  static Map<String, Long> since(Map<String, Long> before) throws IOException {
    Map<String, Long> now = ticksByGroup();
    now.replaceAll((group, ticks) -> ticks - before.getOrDefault(group, 0L));
    return now;
  }

  /**
   * "cpu_host_us=… cpu_agent_us=… cpu_jit_us=… cpu_gc_us=…": microseconds of CPU per task (from
   * clock ticks of 10 ms, as Linux counts them).
   */
  static String perTask(Map<String, Long> ticks, long tasks) {
    StringBuilder text = new StringBuilder();
    for (String group : GROUPS) {
      double micros = ticks.getOrDefault(group, 0L) * 10_000.0 / Math.max(1, tasks);
      text.append(text.length() == 0 ? "" : " ")
          .append(String.format("cpu_%s_us=%.2f", group, micros));
    }
    return text.toString();
  }

  private static String group(String name) {
    if (name.startsWith("conductor")) {
      return "agent";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return "gc";
    }
    return "host";
  }
}
