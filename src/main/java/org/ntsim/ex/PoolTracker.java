package org.ntsim.ex;

import java.util.Arrays;

/**
 * PoolTrackTable: allocations, frees and bytes in use per pool tag and pool type, what
 * {@code !poolused} prints. Tags are counted without the protected bit. Bytes are what the
 * allocations occupy: a small block's size with its header, a large allocation's whole pages.
 *
 * <p>Invariants: for every tag and pool type, frees &lt;= allocs, and bytes is 0 when they are
 * equal; entries keep the order their tags were first seen (no hash order reaches a reader).
 * A lookup does not allocate; only a tag never seen before grows the table.
 */
final class PoolTracker {
  private static final int COUNTERS = 3; // allocs, frees, bytes
  private static final int STRIDE = COUNTERS * PoolType.values().length;
  private static final int ALLOCS = 0;
  private static final int FREES = 1;
  private static final int BYTES = 2;

  private int[] tags = new int[64]; // entry -> tag, in first-seen order
  private long[] counters = new long[64 * STRIDE];
  private int entries;
  private int[] slots = new int[128]; // open addressing: entry + 1, 0 for an empty slot

  /** Counts an allocation of {@code bytes} (block or pages) under {@code tag}. */
  void allocated(int tag, PoolType type, long bytes) {
    int base = entry(tag) * STRIDE + type.value * COUNTERS;
    counters[base + ALLOCS]++;
    counters[base + BYTES] += bytes;
  }

  /** Counts the free of an allocation of {@code bytes} under {@code tag}. */
  void freed(int tag, PoolType type, long bytes) {
    int base = entry(tag) * STRIDE + type.value * COUNTERS;
    counters[base + FREES]++;
    counters[base + BYTES] -= bytes;
  }

  int size() {
    return entries;
  }

  /** The tag of entry {@code i} (first-seen order). */
  int tag(int i) {
    return tags[i];
  }

  long allocs(int i, PoolType type) {
    return counters[i * STRIDE + type.value * COUNTERS + ALLOCS];
  }

  long frees(int i, PoolType type) {
    return counters[i * STRIDE + type.value * COUNTERS + FREES];
  }

  long bytes(int i, PoolType type) {
    return counters[i * STRIDE + type.value * COUNTERS + BYTES];
  }

  private int entry(int tag) {
    int key = tag & ~PoolTag.PROTECTED_POOL;
    int mask = slots.length - 1;
    for (int s = hash(key) & mask; ; s = (s + 1) & mask) {
      int e = slots[s] - 1;
      if (e < 0) {
        return insert(key, s);
      }
      if (tags[e] == key) {
        return e;
      }
    }
  }

  private int insert(int key, int slot) {
    if (entries == tags.length) {
      tags = Arrays.copyOf(tags, entries * 2);
      counters = Arrays.copyOf(counters, entries * 2 * STRIDE);
    }
    int e = entries++;
    tags[e] = key;
    slots[slot] = e + 1;
    if (entries * 2 > slots.length) {
      rehash();
    }
    return e;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int e = 0; e < entries; e++) {
      int s = hash(tags[e]) & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = e + 1;
    }
  }

  private static int hash(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
