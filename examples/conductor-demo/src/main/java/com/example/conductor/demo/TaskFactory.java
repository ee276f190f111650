package com.example.conductor.demo;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Creates tasks with unique ids; shared by the submitter thread and the HTTP API. */
final class TaskFactory {

  private final AtomicLong nextId = new AtomicLong(1);
  // java.util.Random is thread-safe; with one seed a run's workload is reproducible.
  private final Random random;

  TaskFactory(long seed) {
    this.random = new Random(seed);
  }

  Task create(TaskType type, int priority) {
    return new Task(
        "task-" + nextId.getAndIncrement(),
        type.wireName(),
        priority,
        System.currentTimeMillis(),
        type.drawPayloadSize(random),
        random.nextLong());
  }

  /** A task of the demo's workload mix, with a uniformly random priority. */
  Task createRandom() {
    TaskType type = TaskType.random(random);
    return create(
        type, Task.MIN_PRIORITY + random.nextInt(Task.MAX_PRIORITY - Task.MIN_PRIORITY + 1));
  }
}
