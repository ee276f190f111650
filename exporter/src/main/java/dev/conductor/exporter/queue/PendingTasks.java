package dev.conductor.exporter.queue;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Tasks seen at one end (enqueued, or started before their enqueue was drained) waiting to be
 * matched with the other end, by task id when both ends have one, else by the task object's
 * identity.
 *
 * <p>Bounded: past {@code capacity} the oldest entry is evicted and handed back, so that a task
 * that never runs cannot hold memory for ever. Holds the task objects strongly until then; weak
 * references are what made other agents leak through their reference queues. The entries are linked
 * oldest to newest through themselves, so remembering a task costs its entry and an id index node,
 * no age index node or boxed sequence number. Exporter thread only.
 *
 * @param <V> what is remembered per task
 */
public final class PendingTasks<V> {
  private final int capacity;
  private final Map<String, Entry<V>> byId = new HashMap<>();
  private final Map<Object, Entry<V>> byIdentity = new IdentityHashMap<>();
  private Entry<V> oldest;
  private Entry<V> newest;
  private int size;

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
    Entry<V> entry = new Entry<>(id, task, value);
    append(entry);
    if (id != null) {
      byId.put(id, entry);
    }
    if (task != null) {
      byIdentity.put(task, entry);
    }
    if (size > capacity) {
      Entry<V> evicted = oldest;
      unlink(evicted);
      unindex(evicted);
      return evicted.value;
    }
    return null;
  }

  /** Takes the task matching {@code id} or else {@code task}; null when none is waiting. */
  public V remove(String id, Object task) {
    if (size == 0) {
      return null; // the usual case for tasks started early: no identity hash to read
    }
    Entry<V> entry = id == null ? null : byId.get(id);
    if (entry == null && task != null) {
      entry = byIdentity.get(task);
    }
    if (entry == null) {
      return null;
    }
    unlink(entry);
    unindex(entry);
    return entry.value;
  }

  public int size() {
    return size;
  }

  private void append(Entry<V> entry) {
    entry.older = newest;
    if (newest != null) {
      newest.newer = entry;
    } else {
      oldest = entry;
    }
    newest = entry;
    size++;
  }

  private void unlink(Entry<V> entry) {
    if (entry.older != null) {
      entry.older.newer = entry.newer;
    } else {
      oldest = entry.newer;
    }
    if (entry.newer != null) {
      entry.newer.older = entry.older;
    } else {
      newest = entry.older;
    }
    entry.older = null;
    entry.newer = null;
    size--;
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
    final String id;
    final Object task;
    final V value;
    Entry<V> older;
    Entry<V> newer;

    Entry(String id, Object task, V value) {
      this.id = id;
      this.task = task;
      this.value = value;
    }
  }
}
