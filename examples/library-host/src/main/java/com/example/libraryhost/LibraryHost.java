package com.example.libraryhost;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.yaml.snakeyaml.Yaml;

/**
 * Uses its own Byte Buddy, SnakeYAML and Prometheus client, runs a few tasks through {@link Worker}
 * (which the agent is configured to count), and prints one line per library with what it got.
 */
public final class LibraryHost {
  private LibraryHost() {}

  @SuppressWarnings(
      "deprecation") // the 1.3 constructor: this host is deliberately not on our version
  public static void main(String[] args) throws Exception {
    Class<?> generated =
        new ByteBuddy()
            .subclass(Object.class)
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("made by the host's Byte Buddy"))
            .make()
            .load(LibraryHost.class.getClassLoader())
            .getLoaded();
    System.out.println("bytebuddy=" + generated.getDeclaredConstructor().newInstance());

    Map<String, Object> yaml = new Yaml().load("answer: 42");
    System.out.println("snakeyaml=" + yaml.get("answer"));

    PrometheusRegistry registry = new PrometheusRegistry();
    Counter counter = Counter.builder().name("host_jobs_total").register(registry);
    counter.inc(3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    String scrape = out.toString(StandardCharsets.UTF_8);
    System.out.println(
        "prometheus="
            + scrape
                .lines()
                .filter(l -> l.startsWith("host_jobs_total"))
                .findFirst()
                .orElse("missing"));

    Worker worker = new Worker("worker-1");
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    for (int i = 0; i < tasks; i++) {
      worker.execute("job-" + i);
    }
    System.out.println("tasks=" + tasks);
    System.out.flush();
    long lingerMillis = args.length > 1 ? Long.parseLong(args[1]) * 1000 : 0;
    Thread.sleep(lingerMillis);
  }

  /** The host's unit of work; the agent's config names it as a task point. */
  public static final class Worker {
    private final String id;

    Worker(String id) {
      this.id = id;
    }

    public String execute(String job) {
      return id + " did " + job;
    }

    /** A getter that always fails: an agent label reading it must not disturb the host. */
    public String getBroken() {
      throw new IllegalStateException("broken getter");
    }
  }
}
