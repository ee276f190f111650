package dev.conductor.exporter.queue;

/**
 * Values by key identity, with each key's identity hash passed in and kept beside it: open
 * addressing, linear probing, and removal by moving later entries back into the gap. Exporter
 * thread only.
 *
 * <p>Why not {@link java.util.IdentityHashMap}: it reads a key's identity hash from the key
 * object's header on every operation, and again for each entry it moves back after a removal. The
 * keys are the host's task objects, written last on the host's cores, so each such read can be a
 * cache miss; here the caller reads the hash once per operation and the table never touches a key
 * object at all, only compares references.
 *
 * <p>Grows to keep at most half its slots taken, never shrinks: its owner bounds the entries.
 *
 * @param <V> what is kept per key
 */
final class IdentityTable<V> {
  private static final int INITIAL_SLOTS = 64;

  private Object[] keys = new Object[INITIAL_SLOTS];
  private int[] hashes = new int[INITIAL_SLOTS];
  private Object[] values = new Object[INITIAL_SLOTS];
  private int mask = INITIAL_SLOTS - 1;
  private int size;

  /** The value kept for {@code key}, or null. */
  V get(Object key, int hash) {
    int slot = find(key, hash);
    return slot < 0 ? null : value(slot);
  }

  /** Keeps {@code value} for {@code key}; returns the value it replaced, or null. */
  V put(Object key, int hash, V value) {
    int slot = home(hash);
    for (Object held; (held = keys[slot]) != null; slot = (slot + 1) & mask) {
      if (held == key) {
        V replaced = value(slot);
        values[slot] = value;
        return replaced;
      }
    }
    keys[slot] = key;
    hashes[slot] = hash;
    values[slot] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return null;
  }

  /** Takes what is kept for {@code key}; null when nothing is. */
  V remove(Object key, int hash) {
    int slot = find(key, hash);
    if (slot < 0) {
      return null;
    }
    V removed = value(slot);
    removeAt(slot);
    return removed;
  }

  /** Takes {@code key}'s entry only if it holds {@code value}: true when it did. */
  boolean remove(Object key, int hash, V value) {
    int slot = find(key, hash);
    if (slot < 0 || values[slot] != value) {
      return false;
    }
    removeAt(slot);
    return true;
  }

  int size() {
    return size;
  }

  private int find(Object key, int hash) {
    for (int slot = home(hash); ; slot = (slot + 1) & mask) {
      Object held = keys[slot];
      if (held == key) {
        return slot;
      }
      if (held == null) {
        return -1;
      }
    }
  }

  /**
   * Empties a slot and moves back each later entry of the run that may sit there: one whose home
   * slot is not between the gap and where it is now.
   */
  private void removeAt(int slot) {
    int gap = slot;
    for (int next = (slot + 1) & mask; keys[next] != null; next = (next + 1) & mask) {
      int fromHome = (next - home(hashes[next])) & mask;
      if (fromHome >= ((next - gap) & mask)) {
        keys[gap] = keys[next];
        hashes[gap] = hashes[next];
        values[gap] = values[next];
        gap = next;
      }
    }
    keys[gap] = null;
    values[gap] = null;
    size--;
  }

  private void grow() {
    Object[] oldKeys = keys;
    int[] oldHashes = hashes;
    Object[] oldValues = values;
    int slots = oldKeys.length * 2;
    keys = new Object[slots];
    hashes = new int[slots];
    values = new Object[slots];
    mask = slots - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        int slot = home(oldHashes[i]);
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        hashes[slot] = oldHashes[i];
        values[slot] = oldValues[i];
      }
    }
  }

  /** Spreads the hash's bits over the slot number: identity hashes need not be uniform. */
  private int home(int hash) {
    int spread = hash * 0x9E3779B9;
    return (spread ^ (spread >>> 16)) & mask;
  }

  @SuppressWarnings("unchecked")
  private V value(int slot) {
    return (V) values[slot];
  }
}
