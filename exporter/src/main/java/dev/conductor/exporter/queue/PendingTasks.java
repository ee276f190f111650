package dev.conductor.exporter.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tasks seen at one end (enqueued, or started before their enqueue was drained) waiting to be
 * matched with the other end, by task id when both ends have one, else by the task object's
 * identity.
 *
 * <p>Bounded: past {@code capacity} the oldest entry is evicted and handed to the eviction
 * callback, so that a task that never runs cannot hold memory for ever. Holds the task objects
 * strongly until then; weak references are what made other agents leak through their reference
 * queues. The entries are linked oldest to newest through themselves, so remembering a task costs
 * its entry and an index slot, no age index node or boxed sequence number.
 *
 * <p>Each call reads a task object's identity hash once, and the entry keeps it: a task object was
 * written last on a host thread, so every read of its header can be a cache miss on the exporter's
 * core (PERFORMANCE.md, thirteenth session). Exporter thread only.
 *
 * @param <V> what is remembered per task
 */
public final class PendingTasks<V> {
  private final int capacity;
  private final Consumer<? super V> onEvicted;
  private final Map<String, Entry<V>> byId = new HashMap<>();
  private final IdentityTable<Entry<V>> byIdentity = new IdentityTable<>();
  private Entry<V> oldest;
  private Entry<V> newest;
  private int size;

  /**
   * @param onEvicted receives the value of each entry forgotten to stay within {@code capacity}
   */
  public PendingTasks(int capacity, Consumer<? super V> onEvicted) {
    this.capacity = capacity;
    this.onEvicted = onEvicted;
  }

  /**
   * Remembers a task under its id and/or object, in place of an earlier entry of the same task (by
   * id, else by object). Returns that earlier entry's value, or null.
   */
  public V put(String id, Object task, V value) {
    if (id == null && task == null) {
      return null; // nothing to match it by
    }
    Entry<V> entry = new Entry<>(id, task, task == null ? 0 : System.identityHashCode(task), value);
    append(entry);
    Entry<V> sameId = id == null ? null : byId.put(id, entry);
    Entry<V> sameTask = task == null ? null : byIdentity.put(task, entry.hash, entry);
    Entry<V> replaced = sameId != null ? sameId : sameTask;
    if (replaced != null) {
      forget(replaced);
    }
    if (sameTask != null && sameTask != replaced) {
      // An entry under another id for this same object: this one stands for both now.
      forget(sameTask);
      onEvicted.accept(sameTask.value);
    }
    if (size > capacity) {
      Entry<V> evicted = oldest;
      forget(evicted);
      onEvicted.accept(evicted.value);
    }
    return replaced == null ? null : replaced.value;
  }

  /** Takes the task matching {@code id} or else {@code task}; null when none is waiting. */
  public V remove(String id, Object task) {
    if (size == 0) {
      return null; // the usual case for tasks started early: no identity hash to read
    }
    // An id is usually a string the host made for this task: hashing it is a first read of its
    // characters (a cache miss), so skipped while no entry has an id to find.
    Entry<V> entry = id == null || byId.isEmpty() ? null : byId.get(id);
    if (entry == null && task != null) {
      entry = byIdentity.get(task, System.identityHashCode(task));
    }
    if (entry == null) {
      return null;
    }
    forget(entry);
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

  /** Takes an entry out of the age list and out of whichever index still leads to it. */
  private void forget(Entry<V> entry) {
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
    if (entry.id != null) {
      byId.remove(entry.id, entry);
    }
    if (entry.task != null) {
      byIdentity.remove(entry.task, entry.hash, entry);
    }
  }

  /** Compared by identity: the host's {@code equals} is never called on its task objects. */
  private static final class Entry<V> {
    final String id;
    final Object task;
    final int hash;
    final V value;
    Entry<V> older;
    Entry<V> newer;

    Entry(String id, Object task, int hash, V value) {
      this.id = id;
      this.task = task;
      this.hash = hash;
      this.value = value;
    }
  }
}
