package dev.conductor.exporter.queue;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tasks seen at one end (enqueued, or started before their enqueue was drained) waiting to be
 * matched with the other end, by task id when both ends have one, else by the task object's
 * identity.
 *
 * <p>Bounded: past {@code capacity} the oldest entry is evicted and handed back, so that a task
 * that never runs cannot hold memory for ever. Holds the task objects strongly until then; weak
 * references are what made other agents leak through their reference queues. Exporter thread only.
 *
 * @param <V> what is remembered per task
 */
public final class PendingTasks<V> {
  private final int capacity;
  private final Map<Long, Entry<V>> byAge = new LinkedHashMap<>();
  private final Map<String, Entry<V>> byId = new HashMap<>();
  private final Map<Object, Entry<V>> byIdentity = new IdentityHashMap<>();
  private long sequence;

  public PendingTasks(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Remembers a task under its id and/or object; the caller removes an earlier entry for the same
   * task first. Returns the value evicted to make room, or null.
   */
  public V put(String id, Object task, V value) {
    if (id == null && task == null) {
      return null; // nothing to match it by
    }
    Entry<V> entry = new Entry<>(sequence++, id, task, value);
    byAge.put(entry.sequence, entry);
    if (id != null) {
      byId.put(id, entry);
    }
    if (task != null) {
      byIdentity.put(task, entry);
    }
    if (byAge.size() > capacity) {
      Iterator<Entry<V>> oldest = byAge.values().iterator();
      Entry<V> evicted = oldest.next();
      oldest.remove();
      unindex(evicted);
      return evicted.value;
    }
    return null;
  }

  /** Takes the task matching {@code id} or else {@code task}; null when none is waiting. */
  public V remove(String id, Object task) {
    Entry<V> entry = id == null ? null : byId.get(id);
    if (entry == null && task != null) {
      entry = byIdentity.get(task);
    }
    if (entry == null) {
      return null;
    }
    byAge.remove(entry.sequence);
    unindex(entry);
    return entry.value;
  }

  public int size() {
    return byAge.size();
  }

  private void unindex(Entry<V> entry) {
    if (entry.id != null) {
      byId.remove(entry.id, entry);
    }
    if (entry.task != null) {
      byIdentity.remove(entry.task, entry);
    }
  }

  /** Compared by identity: the host's {@code equals} is never called on its task objects. */
  private static final class Entry<V> {
    final long sequence;
    final String id;
    final Object task;
    final V value;

    Entry(long sequence, String id, Object task, V value) {
      this.sequence = sequence;
      this.id = id;
      this.task = task;
      this.value = value;
    }
  }
}
