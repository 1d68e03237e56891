package org.ntsim.ke;

/**
 * The kernel's timer table (KiTimerTableListHead): 512 lists indexed by the clock tick at which a
 * timer falls due, modulo 512, each kept in due-time order. The clock interrupt looks only at the
 * list of the tick that just passed (and any it missed), so inserting and checking cost do not
 * grow with the number of timers in other lists.
 *
 * <p>Invariants: a timer is in the list of tick max(ceil(due / interval), lastScannedTick + 1);
 * within a list due times never decrease from head to tail.
 */
final class TimerTable {
  static final int SIZE = 512;

  private final KTimer[] heads = new KTimer[SIZE];
  private final KTimer[] tails = new KTimer[SIZE];
  private final long intervalNs;
  private long lastScannedTick;
  private int count;

  TimerTable(long intervalNs) {
    this.intervalNs = intervalNs;
  }

  int count() {
    return count;
  }

  long lastScannedTick() {
    return lastScannedTick;
  }

  void insert(KTimer t, long dueNs) {
    long tick = Math.max(Math.ceilDiv(dueNs, intervalNs), lastScannedTick + 1);
    int b = (int) (tick % SIZE);
    t.dueTimeNs = dueNs;
    t.bucket = b;
    t.inserted = true;
    KTimer after = tails[b];
    while (after != null && after.dueTimeNs > dueNs) {
      after = after.tablePrev;
    }
    t.tablePrev = after;
    if (after == null) {
      t.tableNext = heads[b];
      heads[b] = t;
    } else {
      t.tableNext = after.tableNext;
      after.tableNext = t;
    }
    if (t.tableNext == null) {
      tails[b] = t;
    } else {
      t.tableNext.tablePrev = t;
    }
    count++;
  }

  void remove(KTimer t) {
    if (!t.inserted) {
      return;
    }
    int b = t.bucket;
    if (t.tablePrev == null) {
      heads[b] = t.tableNext;
    } else {
      t.tablePrev.tableNext = t.tableNext;
    }
    if (t.tableNext == null) {
      tails[b] = t.tablePrev;
    } else {
      t.tableNext.tablePrev = t.tablePrev;
    }
    t.tableNext = null;
    t.tablePrev = null;
    t.inserted = false;
    t.bucket = -1;
    count--;
  }

  /** Whether any list from the last scanned tick up to {@code tick} holds a timer due by now. */
  boolean hasExpired(long tick, long nowNs) {
    for (long k = lastScannedTick + 1; k <= tick; k++) {
      KTimer h = heads[(int) (k % SIZE)];
      if (h != null && h.dueTimeNs <= nowNs) {
        return true;
      }
      if (k - lastScannedTick >= SIZE) {
        break;
      }
    }
    return false;
  }

  /** Removes and returns the next timer due by {@code nowNs} in the lists up to {@code tick}. */
  KTimer removeNextExpired(long tick, long nowNs) {
    for (long k = lastScannedTick + 1; k <= tick; k++) {
      KTimer h = heads[(int) (k % SIZE)];
      if (h != null && h.dueTimeNs <= nowNs) {
        remove(h);
        return h;
      }
      if (k - lastScannedTick >= SIZE) {
        break;
      }
    }
    return null;
  }

  void markScanned(long tick) {
    lastScannedTick = Math.max(lastScannedTick, tick);
  }

  /** Every inserted timer, list by list, for the debugger's !timer. */
  java.util.List<KTimer> all() {
    java.util.List<KTimer> out = new java.util.ArrayList<>();
    for (int b = 0; b < SIZE; b++) {
      for (KTimer t = heads[b]; t != null; t = t.tableNext) {
        out.add(t);
      }
    }
    return out;
  }
}
