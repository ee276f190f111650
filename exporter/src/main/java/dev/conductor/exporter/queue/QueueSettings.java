package dev.conductor.exporter.queue;

/**
 * @param priorityLevels levels 0..n-1 reported by the backlog gauge
 * @param maxSize the host queue's capacity ({@code task_queue.max_size})
 * @param maxPending enqueued tasks remembered until they start ({@code agent.max_pending_tasks})
 * @param windowSeconds sliding window of the rate gauges
 */
public record QueueSettings(
    int priorityLevels,
    long maxSize,
    int maxPending,
    int windowSeconds,
    double[] queueTimeBuckets,
    int maxSeries) {

  public QueueSettings {
    queueTimeBuckets = queueTimeBuckets.clone();
  }

  @Override
  public double[] queueTimeBuckets() {
    return queueTimeBuckets.clone();
  }
}
