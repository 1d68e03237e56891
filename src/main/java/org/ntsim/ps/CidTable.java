package org.ntsim.ps;

import java.util.Arrays;

/**
 * PspCidTable: hands out client IDs (process and thread IDs) from one table, as NT does, so IDs
 * are multiples of four, unique across processes and threads alike, and a freed ID is the first
 * reused (LIFO free list). ID 0 belongs to the Idle process and its threads and is never handed
 * out.
 */
final class CidTable {
  private Object[] owners = new Object[64];
  private int[] nextFree = new int[64];
  private int freeHead = -1;
  private int highWater = 1;

  long allocate(Object owner) {
    int slot;
    if (freeHead >= 0) {
      slot = freeHead;
      freeHead = nextFree[slot];
    } else {
      slot = highWater++;
      if (slot == owners.length) {
        owners = Arrays.copyOf(owners, slot * 2);
        nextFree = Arrays.copyOf(nextFree, slot * 2);
      }
    }
    owners[slot] = owner;
    return (long) slot * 4;
  }

  void free(long cid) {
    int slot = (int) (cid >>> 2);
    owners[slot] = null;
    nextFree[slot] = freeHead;
    freeHead = slot;
  }

  /** PsLookupProcessThreadByCid-style lookup; null when the ID is free. */
  Object lookup(long cid) {
    if (cid <= 0 || (cid & 3) != 0 || (cid >>> 2) >= highWater) {
      return null;
    }
    return owners[(int) (cid >>> 2)];
  }
}
