package dev.conductor.exporter.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bootstrap.Event;
import dev.conductor.exporter.Scrapes;
import dev.conductor.exporter.metrics.LabelValues;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueTrackerTest {
  private static final long SECOND = 1_000_000_000L;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<String> logged = new ArrayList<>();

  private QueueTracker tracker(int maxPending) {
    QueueSettings settings =
        new QueueSettings(3, 1_000, maxPending, 60, new double[] {0.01, 0.1, 1}, 100);
    return new QueueTracker(registry, new LabelValues(64), settings, logged::add);
  }

  private static Event event(int kind, Object task, Object priority, long nanos) {
    Event event = new Event();
    event.kind = kind;
    event.task = task;
    event.priority = priority;
    event.taskType = "analysis";
    event.startNanos = nanos;
    return event;
  }

  @Test
  void anEnqueueWithNothingToMatchItsStartByIsNotHeldInTheBacklog() throws Exception {
    QueueTracker tracker = tracker(100);
    long now = System.nanoTime();
    tracker.onEnqueue(event(Event.ENQUEUE, null, 1, now));
    tracker.onEnqueue(event(Event.ENQUEUE, null, 1, now));

    assertThat(tracker.backlog()).isZero();
    assertThat(Scrapes.text(registry))
        .contains("conductor_task_queue_length{priority_level=\"1\"} 0.0")
        .contains("conductor_queue_arrival_rate_tasks_per_second 0.0333");
    assertThat(logged).hasSize(1).allMatch(line -> line.contains("neither a task object"));
  }

  @Test
  void pastMaxPendingTheOldestWaitingTaskIsEvictedCountedAndLeavesTheBacklog() throws Exception {
    QueueTracker tracker = tracker(2);
    long now = System.nanoTime();
    Object first = new Object();
    tracker.onEnqueue(event(Event.ENQUEUE, first, 0, now));
    tracker.onEnqueue(event(Event.ENQUEUE, new Object(), 1, now));
    tracker.onEnqueue(event(Event.ENQUEUE, new Object(), 2, now));

    assertThat(Scrapes.text(registry))
        .contains("conductor_agent_pending_tasks_evicted_total 1.0")
        .contains("conductor_task_queue_length{priority_level=\"0\"} 0.0")
        .contains("conductor_task_queue_length{priority_level=\"1\"} 1.0")
        .contains("conductor_task_queue_length{priority_level=\"2\"} 1.0");
    // The evicted task's start no longer has a queue time to end: it is not observed.
    tracker.onStart(event(Event.TASK_START, first, 0, now + SECOND));
    assertThat(Scrapes.text(registry)).doesNotContain("conductor_task_queue_time_seconds_count{");
  }

  @Test
  void arrivalsCompletionsGrowthAndDrainTimeFollowTheWindow() throws Exception {
    QueueTracker tracker = tracker(100);
    long now = System.nanoTime();
    Object[] tasks = new Object[6];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new Object();
      tracker.onEnqueue(event(Event.ENQUEUE, tasks[i], 0, now));
    }
    tracker.onStart(event(Event.TASK_START, tasks[0], 0, now + SECOND));
    tracker.onStart(event(Event.TASK_START, tasks[1], 0, now + SECOND));
    Event end = event(Event.TASK_END, tasks[0], 0, now + SECOND);
    tracker.onEnd(end);
    tracker.onEnd(end);

    long later = now + 2 * SECOND;
    assertThat(tracker.backlog()).isEqualTo(4);
    assertThat(tracker.growthPerSecond(later)).isCloseTo(4 / 60.0, within());
    // 4 waiting at 2 completions a minute: two minutes to drain.
    assertThat(tracker.estimatedDrainSeconds(later)).isCloseTo(120.0, within());
    assertThat(Scrapes.text(registry))
        .contains(
            "conductor_task_queue_time_seconds_count{priority=\"0\",task_type=\"analysis\"} 2");

    tracker.onStart(event(Event.TASK_START, tasks[2], 0, now + SECOND));
    assertThat(tracker.estimatedDrainSeconds(later)).isCloseTo(90.0, within());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
