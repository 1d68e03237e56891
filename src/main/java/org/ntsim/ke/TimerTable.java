package org.ntsim.ke;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel's timer table (KiTimerTableListHead): 512 lists indexed by the clock tick at which a
 * timer falls due, modulo 512, each giving up its timers in due-time order. The clock interrupt
 * asks only about the lists of the ticks since the last scan, so its cost does not grow with the
 * number of timers due later.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Models.</b> NT keeps each list sorted and walks it to insert, which costs a walk through
 * thousands of entries once many threads sleep in the few lists of the next 100 ms. Here the
 * lists are implicit: one 4-ary min-heap ordered by (absolute tick of the timer's list, due time,
 * insertion sequence). A scan of the lists from the last scanned tick up to now, each in due-time
 * order with ties first-in first-out, meets exactly the timers at the top of that heap, in the
 * same order (a later list only holds later due times), at O(log n) a timer. A timer's list
 * number ({@code KTimer.bucket}, the List column of !timer) is its tick modulo 512.
 *
 * <p><b>Layout.</b> Heap entries are primitives (tick, due time, sequence, registry slot), so
 * sifting touches neither timer objects nor GC write barriers; the registry maps a slot to its
 * timer and to the sequence number of the insertion that owns it. A timer removed before it
 * expires (a wait satisfied before its timeout) frees its slot at once and leaves a stale entry,
 * one whose sequence no longer matches its slot; stale entries are dropped when they reach the
 * top, or all at once when they outnumber the live ones.
 *
 * <p><b>Invariants.</b> A timer is in the list of tick max(ceil(due / interval),
 * lastScannedTick + 1); it is inserted exactly while {@code registry[t.tableSlot] == t}; an entry
 * is live exactly when {@code registrySeq[slot] == seq}; no entry sorts before its parent; there
 * are no more stale entries than the larger of the live count and {@link #STALE_SLACK}. Arrays
 * grow by doubling and never shrink (they hold one entry per timer, live or stale), so after
 * warm-up nothing here allocates.
 */
final class TimerTable {
  static final int SIZE = 512;
  private static final int ARITY = 4;
  /** Stale entries the heap may carry before they are swept, however few timers are live. */
  static final int STALE_SLACK = 16;

  private final long intervalNs;
  private long lastScannedTick;
  private long nextSeq;
  private int count; // inserted timers: the live entries

  // The heap, in parallel arrays; index 0 is the top.
  private long[] heapTick = new long[64];
  private long[] heapDueNs = new long[64];
  private long[] heapSeq = new long[64];
  private int[] heapSlot = new int[64];
  private int size; // live and stale entries
  private int stale;

  // The registry: slot -> timer, and the sequence of the insertion that holds the slot (-1 free).
  private KTimer[] registry = new KTimer[64];
  private long[] registrySeq = new long[64];
  private int[] nextFreeSlot = new int[64];
  private int freeSlotHead = -1;
  private int slotHighWater;

  TimerTable(long intervalNs) {
    this.intervalNs = intervalNs;
    Arrays.fill(registrySeq, -1);
  }

  int count() {
    return count;
  }

  long lastScannedTick() {
    return lastScannedTick;
  }

  void insert(KTimer t, long dueNs) {
    if (t.inserted) {
      remove(t);
    }
    long tick = Math.max(Math.ceilDiv(dueNs, intervalNs), lastScannedTick + 1);
    int r = allocateSlot();
    long s = nextSeq++;
    registry[r] = t;
    registrySeq[r] = s;
    t.dueTimeNs = dueNs;
    t.bucket = (int) (tick % SIZE);
    t.tableSlot = r;
    t.inserted = true;
    if (size == heapSlot.length) {
      int n = size * 2;
      heapTick = Arrays.copyOf(heapTick, n);
      heapDueNs = Arrays.copyOf(heapDueNs, n);
      heapSeq = Arrays.copyOf(heapSeq, n);
      heapSlot = Arrays.copyOf(heapSlot, n);
    }
    siftUp(size++, tick, dueNs, s, r);
    count++;
  }

  /** Takes the timer out before it expires; its heap entry goes stale in place. */
  void remove(KTimer t) {
    if (!t.inserted) {
      return;
    }
    release(t);
    stale++;
    sweepIfMostlyStale();
  }

  /** Whether a list from the last scanned tick up to {@code tick} holds a timer due by now. */
  boolean hasExpired(long tick, long nowNs) {
    return liveTopIsDue(tick, nowNs);
  }

  /** Removes and returns the next timer due by {@code nowNs} in the lists up to {@code tick}. */
  KTimer removeNextExpired(long tick, long nowNs) {
    if (!liveTopIsDue(tick, nowNs)) {
      return null;
    }
    KTimer t = registry[heapSlot[0]];
    popTop();
    release(t);
    sweepIfMostlyStale();
    return t;
  }

  void markScanned(long tick) {
    lastScannedTick = Math.max(lastScannedTick, tick);
  }

  /** Every inserted timer, list by list, each list in expiry order, for the debugger's !timer. */
  List<KTimer> all() {
    List<Integer> live = new ArrayList<>(count);
    for (int i = 0; i < size; i++) {
      if (isLive(i)) {
        live.add(i);
      }
    }
    live.sort((x, y) -> {
      int byList = Long.compare(heapTick[x] % SIZE, heapTick[y] % SIZE);
      if (byList != 0 || x.equals(y)) {
        return byList;
      }
      return less(x, y) ? -1 : 1;
    });
    List<KTimer> out = new ArrayList<>(live.size());
    for (int i : live) {
      out.add(registry[heapSlot[i]]);
    }
    return out;
  }

  /** Checks every invariant above; throws IllegalStateException on the first that fails. For tests. */
  void verify() {
    int live = 0;
    for (int i = 0; i < size; i++) {
      if (i > 0 && less(i, (i - 1) / ARITY)) {
        throw new IllegalStateException("entry " + i + " sorts before its parent");
      }
      if (isLive(i)) {
        KTimer t = registry[heapSlot[i]];
        if (t == null || !t.inserted || t.tableSlot != heapSlot[i] || t.dueTimeNs != heapDueNs[i]
            || t.bucket != heapTick[i] % SIZE) {
          throw new IllegalStateException("live entry " + i + " disagrees with its timer");
        }
        live++;
      }
    }
    if (live != count || size - live != stale) {
      throw new IllegalStateException("count " + count + ", stale " + stale + "; found " + live
          + " live and " + (size - live) + " stale entries");
    }
    if (stale > Math.max(live, STALE_SLACK)) {
      throw new IllegalStateException(stale + " stale entries for " + live + " live ones");
    }
  }

  // ------------------------------------------------------------------ heap

  /** Drops stale entries off the top; then whether the top is due in a list up to {@code tick}. */
  private boolean liveTopIsDue(long tick, long nowNs) {
    while (size > 0 && !isLive(0)) {
      popTop();
      stale--;
    }
    return size > 0 && heapTick[0] <= tick && heapDueNs[0] <= nowNs;
  }

  private boolean isLive(int i) {
    return registrySeq[heapSlot[i]] == heapSeq[i];
  }

  private void popTop() {
    int last = --size;
    if (last > 0) {
      siftDown(0, heapTick[last], heapDueNs[last], heapSeq[last], heapSlot[last]);
    }
  }

  private void siftUp(int i, long tick, long due, long s, int r) {
    while (i > 0) {
      int parent = (i - 1) / ARITY;
      if (!less(tick, due, s, parent)) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    put(i, tick, due, s, r);
  }

  private void siftDown(int i, long tick, long due, long s, int r) {
    while (true) {
      int first = ARITY * i + 1;
      if (first >= size) {
        break;
      }
      int best = first;
      int end = Math.min(first + ARITY, size);
      for (int c = first + 1; c < end; c++) {
        if (less(c, best)) {
          best = c;
        }
      }
      if (!keyLess(heapTick[best], heapDueNs[best], heapSeq[best], tick, due, s)) {
        break;
      }
      move(best, i);
      i = best;
    }
    put(i, tick, due, s, r);
  }

  private void sweepIfMostlyStale() {
    if (stale <= STALE_SLACK || stale <= size / 2) {
      return;
    }
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (isLive(i)) {
        move(i, kept++);
      }
    }
    size = kept;
    stale = 0;
    for (int i = (size - 2) / ARITY; i >= 0; i--) {
      siftDown(i, heapTick[i], heapDueNs[i], heapSeq[i], heapSlot[i]);
    }
  }

  private void move(int from, int to) {
    put(to, heapTick[from], heapDueNs[from], heapSeq[from], heapSlot[from]);
  }

  private void put(int i, long tick, long due, long s, int r) {
    heapTick[i] = tick;
    heapDueNs[i] = due;
    heapSeq[i] = s;
    heapSlot[i] = r;
  }

  /** Entry {@code x} sorts before entry {@code y}. */
  private boolean less(int x, int y) {
    return keyLess(heapTick[x], heapDueNs[x], heapSeq[x], heapTick[y], heapDueNs[y], heapSeq[y]);
  }

  /** The key (tick, due, s) sorts before entry {@code y}. */
  private boolean less(long tick, long due, long s, int y) {
    return keyLess(tick, due, s, heapTick[y], heapDueNs[y], heapSeq[y]);
  }

  private static boolean keyLess(long t1, long d1, long s1, long t2, long d2, long s2) {
    if (t1 != t2) {
      return t1 < t2;
    }
    if (d1 != d2) {
      return d1 < d2;
    }
    return s1 < s2;
  }

  // ------------------------------------------------------------------ registry

  private int allocateSlot() {
    if (freeSlotHead >= 0) {
      int r = freeSlotHead;
      freeSlotHead = nextFreeSlot[r];
      return r;
    }
    if (slotHighWater == registry.length) {
      int n = registry.length * 2;
      registry = Arrays.copyOf(registry, n);
      registrySeq = Arrays.copyOf(registrySeq, n);
      Arrays.fill(registrySeq, slotHighWater, n, -1);
      nextFreeSlot = Arrays.copyOf(nextFreeSlot, n);
    }
    return slotHighWater++;
  }

  /** Frees the timer's registry slot, so that its heap entry, if one is left, is stale. */
  private void release(KTimer t) {
    int r = t.tableSlot;
    registry[r] = null;
    registrySeq[r] = -1;
    nextFreeSlot[r] = freeSlotHead;
    freeSlotHead = r;
    t.tableSlot = -1;
    t.inserted = false;
    t.bucket = -1;
    count--;
  }
}
