package org.ntsim.ke;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The kernel's timer table (KiTimerTableListHead): 512 lists indexed by the clock tick at which a
 * timer falls due, modulo 512, each giving up its timers in due-time order. The clock interrupt
 * asks only about the lists of the ticks since the last scan, so its cost does not grow with the
 * number of timers due later.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Models.</b> NT's 512 list heads. NT keeps each list sorted and walks it to insert, which
 * costs a walk through thousands of entries once many threads sleep in the few lists of the next
 * 100 ms; here a list is unordered, and the order is made when the lists are scanned. Scanning
 * the lists up to a tick moves the timers of those ticks into the <i>expiry run</i> and sorts just
 * the timers it moved, in place. The run gives them up in the order of NT's scan: by list
 * (absolute tick), then due time, then first inserted first. A timer's list number
 * ({@code KTimer.bucket}, the List column of !timer) is its absolute tick ({@code KTimer.dueTick})
 * modulo 512.
 *
 * <p><b>Layout.</b> A list is not linked through the timers, as NT's are: its entries (timer,
 * absolute tick, due time, insertion sequence) sit in parallel arrays indexed by slot, shared by
 * all lists in chunks of {@link #CHUNK} slots; a list is a chain of chunks, and a timer's slot is
 * {@code KTimer.listSlot}. Appending and cancelling (the list's last entry fills the hole) cost
 * O(1) and touch no other timer, and a scan reads the keys chunk by chunk without touching the
 * timers it takes, which at 100,000 threads are cold in the host's caches (a list linked through
 * the timers makes every insertion miss on the tail timer and the scan a chain of dependent
 * misses). The run is the same four parallel arrays, sorted by the keys.
 *
 * <p>A timer of a scanned tick that is not due yet (the tick count runs ahead of the processor's
 * clock within a slice, and a late timer DPC marks the tick scanned) stays in the run and expires
 * at the next scan, rather than 8 s later when NT's table comes round again. A timer inserted with
 * a tick that the run already covers (a due time in the past, before the scan is marked) is placed
 * in the run by binary search.
 *
 * <p><b>Invariants.</b> A timer is inserted with the tick max(ceil(due / interval),
 * lastScannedTick + 1); it is in the list of that tick modulo 512, at its {@code listSlot},
 * exactly while the tick is later than {@code collectedTick}, and in the run otherwise; list and
 * run entries hold their timer's keys; the run's entries, from {@code runStart}
 * to {@code runEnd}, are in strictly increasing (tick, due, sequence) order; an entry is live
 * exactly while its timer is inserted with the entry's sequence; there are no more stale run
 * entries than the larger of the live ones and {@link #STALE_SLACK}. A list holds
 * fewer than {@link #CHUNK} slots more than its timers. The arrays grow by doubling and never
 * shrink (the slots hold the most timers inserted at once, the run those of the ticks being
 * expired at once), so after warm-up nothing here allocates.
 *
 * <p><b>Left out.</b> NT's per-list due-time hint; NT's lock per list (the model has one dispatcher
 * lock). Due times here are simulated time (interrupt time); a timer set for a system time is
 * converted when set and moved when the time is set ({@link Timers#adjustAbsoluteTimers}).
 */
final class TimerTable {
  static final int SIZE = 512;
  /** Stale run entries that may stay until the run is compacted, however few timers are live. */
  static final int STALE_SLACK = 16;
  private static final int INSERTION_SORT_MAX = 16;
  private static final int CHUNK = 64;

  private final long intervalNs;
  private long lastScannedTick;
  private long collectedTick; // the lists hold the timers of later ticks, the run those up to it
  private long nextSeq;
  private int count; // inserted timers

  // The lists' entries, in parallel arrays indexed by slot, in chunks of CHUNK slots; a list is a
  // doubly linked chain of chunks (chunk numbers, -1 at either end), filled from its head.
  private KTimer[] slotTimer = new KTimer[8 * CHUNK];
  private long[] slotTick = new long[8 * CHUNK];
  private long[] slotDueNs = new long[8 * CHUNK];
  private long[] slotSeq = new long[8 * CHUNK];
  private int[] chunkNext = new int[8];
  private int[] chunkPrev = new int[8];
  private int freeChunk = -1; // a chain through chunkNext
  private int chunkHighWater;
  private final int[] listHeadChunk = new int[SIZE];
  private final int[] listTailChunk = new int[SIZE];
  private final int[] listLength = new int[SIZE];

  // The expiry run, in parallel arrays; entries outside [runStart, runEnd) hold no timer.
  private KTimer[] runTimer = new KTimer[64];
  private long[] runTick = new long[64];
  private long[] runDueNs = new long[64];
  private long[] runSeq = new long[64];
  private int runStart;
  private int runEnd;
  private int runStale; // entries whose timer was removed or inserted again

  TimerTable(long intervalNs) {
    this.intervalNs = intervalNs;
    Arrays.fill(listHeadChunk, -1);
    Arrays.fill(listTailChunk, -1);
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
    t.dueTimeNs = dueNs;
    t.dueTick = tick;
    t.bucket = (int) (tick % SIZE);
    t.tableSeq = nextSeq++;
    t.inserted = true;
    count++;
    if (tick > collectedTick) {
      appendToList(t);
    } else {
      insertIntoRun(t);
    }
  }

  /** Takes the timer out before it expires; an entry in the run goes stale in place. */
  void remove(KTimer t) {
    if (!t.inserted) {
      return;
    }
    if (t.dueTick > collectedTick) {
      unlink(t);
    } else {
      runStale++;
    }
    forget(t);
    if (runStale > Math.max(runEnd - runStart - runStale, STALE_SLACK)) {
      compactRun();
    }
  }

  /** Whether a list from the last scanned tick up to {@code tick} holds a timer due by now. */
  boolean hasExpired(long tick, long nowNs) {
    return runHeadIsDue(tick, nowNs);
  }

  /** Removes and returns the next timer due by {@code nowNs} in the lists up to {@code tick}. */
  KTimer removeNextExpired(long tick, long nowNs) {
    if (!runHeadIsDue(tick, nowNs)) {
      return null;
    }
    KTimer t = runTimer[runStart];
    runTimer[runStart++] = null;
    if (runStart == runEnd) {
      runStart = runEnd = 0;
    }
    forget(t);
    return t;
  }

  /**
   * The timer at place {@code k} of the expiry run as it stands (0: the next to expire), or null:
   * a hint for reading ahead, which may be stale or not yet due.
   */
  KTimer expiringAhead(int k) {
    int i = runStart + k;
    return i < runEnd ? runTimer[i] : null;
  }

  void markScanned(long tick) {
    lastScannedTick = Math.max(lastScannedTick, tick);
  }

  /** Every inserted timer, list by list, each list in expiry order, for the debugger's !timer. */
  List<KTimer> all() {
    List<KTimer> out = new ArrayList<>(count);
    for (int i = 0; i < SIZE; i++) {
      int left = listLength[i];
      for (int c = listHeadChunk[i]; c >= 0; c = chunkNext[c]) {
        for (int k = 0; k < Math.min(left, CHUNK); k++) {
          out.add(slotTimer[c * CHUNK + k]);
        }
        left -= CHUNK;
      }
    }
    for (int i = runStart; i < runEnd; i++) {
      if (isLive(i)) {
        out.add(runTimer[i]);
      }
    }
    out.sort(Comparator.<KTimer>comparingInt(t -> t.bucket).thenComparingLong(t -> t.dueTick)
        .thenComparingLong(t -> t.dueTimeNs).thenComparingLong(t -> t.tableSeq));
    return out;
  }

  /** Checks every invariant above; throws IllegalStateException on the first that fails. For tests. */
  void verify() {
    int listed = 0;
    for (int i = 0; i < SIZE; i++) {
      int left = listLength[i];
      int prev = -1;
      for (int c = listHeadChunk[i]; c >= 0; c = chunkNext[c]) {
        if (chunkPrev[c] != prev || left <= 0) {
          throw new IllegalStateException("list " + i + " has a stray chunk " + c);
        }
        for (int k = 0; k < CHUNK; k++) {
          int slot = c * CHUNK + k;
          KTimer t = slotTimer[slot];
          if ((k < left) != (t != null)) {
            throw new IllegalStateException("list " + i + " slot " + slot + " is out of place");
          }
          if (t != null && (!t.inserted || t.listSlot != slot || t.bucket != i
              || t.dueTick % SIZE != i || t.dueTick != slotTick[slot]
              || t.dueTimeNs != slotDueNs[slot] || t.tableSeq != slotSeq[slot]
              || t.dueTick <= collectedTick)) {
            throw new IllegalStateException("list " + i + " slot " + slot + " disagrees with its timer");
          }
        }
        listed += Math.min(left, CHUNK);
        left -= CHUNK;
        prev = c;
      }
      if (left > 0 || listTailChunk[i] != prev) {
        throw new IllegalStateException("list " + i + " has lost its tail");
      }
    }
    int live = 0;
    for (int i = 0; i < runTimer.length; i++) {
      boolean inRun = i >= runStart && i < runEnd;
      if (inRun != (runTimer[i] != null)) {
        throw new IllegalStateException("run entry " + i + " is out of place");
      }
      if (i > runStart && inRun && !less(i - 1, i)) {
        throw new IllegalStateException("run entry " + i + " sorts before its predecessor");
      }
      if (inRun && isLive(i)) {
        KTimer t = runTimer[i];
        if (t.dueTick != runTick[i] || t.dueTimeNs != runDueNs[i] || t.bucket != t.dueTick % SIZE
            || t.dueTick > collectedTick) {
          throw new IllegalStateException("live run entry " + i + " disagrees with its timer");
        }
        live++;
      }
    }
    if (listed + live != count || runEnd - runStart - live != runStale) {
      throw new IllegalStateException("count " + count + ", stale " + runStale + "; found "
          + listed + " listed, " + live + " live and " + (runEnd - runStart - live) + " stale");
    }
    if (runStale > Math.max(live, STALE_SLACK)) {
      throw new IllegalStateException(runStale + " stale run entries for " + live + " live ones");
    }
  }

  // ------------------------------------------------------------------ lists

  private void appendToList(KTimer t) {
    int i = t.bucket;
    int n = listLength[i]++;
    if (n % CHUNK == 0) {
      int c = allocateChunk();
      int tail = listTailChunk[i];
      chunkPrev[c] = tail;
      chunkNext[c] = -1;
      if (tail < 0) {
        listHeadChunk[i] = c;
      } else {
        chunkNext[tail] = c;
      }
      listTailChunk[i] = c;
    }
    putSlot(listTailChunk[i] * CHUNK + n % CHUNK, t, t.dueTick, t.dueTimeNs, t.tableSeq);
  }

  /** Takes the timer out of its list; the list's last entry takes its place. */
  private void unlink(KTimer t) {
    int i = t.bucket;
    int n = --listLength[i];
    int tail = listTailChunk[i];
    int last = tail * CHUNK + n % CHUNK;
    if (t.listSlot != last) {
      putSlot(t.listSlot, slotTimer[last], slotTick[last], slotDueNs[last], slotSeq[last]);
    }
    slotTimer[last] = null;
    if (n % CHUNK == 0) {
      int prev = chunkPrev[tail];
      listTailChunk[i] = prev;
      if (prev < 0) {
        listHeadChunk[i] = -1;
      } else {
        chunkNext[prev] = -1;
      }
      freeChunk(tail);
    }
  }

  private void putSlot(int slot, KTimer t, long tick, long due, long s) {
    slotTimer[slot] = t;
    slotTick[slot] = tick;
    slotDueNs[slot] = due;
    slotSeq[slot] = s;
    t.listSlot = slot;
  }

  private int allocateChunk() {
    if (freeChunk >= 0) {
      int c = freeChunk;
      freeChunk = chunkNext[c];
      return c;
    }
    if (chunkHighWater == chunkNext.length) {
      int n = 2 * chunkNext.length;
      chunkNext = Arrays.copyOf(chunkNext, n);
      chunkPrev = Arrays.copyOf(chunkPrev, n);
      slotTimer = Arrays.copyOf(slotTimer, n * CHUNK);
      slotTick = Arrays.copyOf(slotTick, n * CHUNK);
      slotDueNs = Arrays.copyOf(slotDueNs, n * CHUNK);
      slotSeq = Arrays.copyOf(slotSeq, n * CHUNK);
    }
    return chunkHighWater++;
  }

  private void freeChunk(int c) {
    chunkNext[c] = freeChunk;
    freeChunk = c;
  }

  private void forget(KTimer t) {
    t.inserted = false;
    t.bucket = -1;
    count--;
  }

  // ------------------------------------------------------------------ the expiry run

  /** Moves the lists up to {@code tick} into the run; then whether its first live timer is due. */
  private boolean runHeadIsDue(long tick, long nowNs) {
    if (tick > collectedTick) {
      collectThrough(tick);
    }
    while (runStart < runEnd && !isLive(runStart)) {
      runTimer[runStart++] = null;
      runStale--;
    }
    if (runStart == runEnd) {
      runStart = runEnd = 0;
      return false;
    }
    return runTick[runStart] <= tick && runDueNs[runStart] <= nowNs;
  }

  /**
   * KiTimerListExpire's scan: moves the timers of the lists after {@code collectedTick} up to
   * {@code tick} (each list once, however far behind) to the end of the run, where they sort
   * after every timer already there, and sorts them.
   */
  private void collectThrough(long tick) {
    compactRun();
    int from = runEnd;
    long lists = Math.min(tick - collectedTick, SIZE);
    for (long k = collectedTick + 1; k <= collectedTick + lists; k++) {
      collectList((int) (k % SIZE), tick);
    }
    collectedTick = tick;
    sort(from, runEnd - 1, 2 * (32 - Integer.numberOfLeadingZeros(runEnd - from)));
  }

  /**
   * Appends the entries of list {@code i} up to {@code tick} to the run, and the rest (timers of
   * the table's next rounds) to the list again. Only the slots are read: the taken timers stay
   * untouched.
   */
  private void collectList(int i, long tick) {
    int left = listLength[i];
    ensureRunCapacity(left);
    int c = listHeadChunk[i];
    listHeadChunk[i] = -1;
    listTailChunk[i] = -1;
    listLength[i] = 0;
    while (c >= 0) {
      int base = c * CHUNK;
      for (int slot = base; slot < base + Math.min(left, CHUNK); slot++) {
        KTimer t = slotTimer[slot];
        slotTimer[slot] = null;
        if (slotTick[slot] <= tick) {
          putRun(runEnd++, t, slotTick[slot], slotDueNs[slot], slotSeq[slot]);
        } else {
          appendToList(t);
        }
      }
      left -= CHUNK;
      int next = chunkNext[c];
      freeChunk(c);
      c = next;
    }
  }

  /** Places a timer of a tick already collected at its place in the run. */
  private void insertIntoRun(KTimer t) {
    ensureRunCapacity(1);
    int lo = runStart;
    int hi = runEnd;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (keyLess(runTick[mid], runDueNs[mid], runSeq[mid], t.dueTick, t.dueTimeNs, t.tableSeq)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int tail = runEnd - lo;
    System.arraycopy(runTimer, lo, runTimer, lo + 1, tail);
    System.arraycopy(runTick, lo, runTick, lo + 1, tail);
    System.arraycopy(runDueNs, lo, runDueNs, lo + 1, tail);
    System.arraycopy(runSeq, lo, runSeq, lo + 1, tail);
    runEnd++;
    putRun(lo, t, t.dueTick, t.dueTimeNs, t.tableSeq);
  }

  private void ensureRunCapacity(int entries) {
    if (runEnd + entries <= runTimer.length) {
      return;
    }
    if (runStart > 0 || runStale > 0) {
      compactRun();
      if (runEnd + entries <= runTimer.length) {
        return;
      }
    }
    int n = Math.max(runTimer.length * 2, Integer.highestOneBit(runEnd + entries) * 2);
    runTimer = Arrays.copyOf(runTimer, n);
    runTick = Arrays.copyOf(runTick, n);
    runDueNs = Arrays.copyOf(runDueNs, n);
    runSeq = Arrays.copyOf(runSeq, n);
  }

  /** Moves the live entries, in order, to the front of the run's arrays. */
  private void compactRun() {
    int kept = 0;
    for (int i = runStart; i < runEnd; i++) {
      if (isLive(i)) {
        move(i, kept++);
      }
    }
    Arrays.fill(runTimer, kept, runEnd, null);
    runStart = 0;
    runEnd = kept;
    runStale = 0;
  }

  private boolean isLive(int i) {
    KTimer t = runTimer[i];
    return t.inserted && t.tableSeq == runSeq[i];
  }

  // ------------------------------------------------------------------ sorting the run in place

  /** Introsort of entries {@code lo..hi}: quicksort, heapsort past {@code depth}, insertion sort. */
  private void sort(int lo, int hi, int depth) {
    while (hi - lo >= INSERTION_SORT_MAX) {
      if (depth-- == 0) {
        heapSort(lo, hi);
        return;
      }
      int p = partition(lo, hi);
      if (p - lo < hi - p) {
        sort(lo, p - 1, depth);
        lo = p + 1;
      } else {
        sort(p + 1, hi, depth);
        hi = p - 1;
      }
    }
    insertionSort(lo, hi);
  }

  /** Partitions around the median of the first, middle and last entries; returns its index. */
  private int partition(int lo, int hi) {
    int mid = (lo + hi) >>> 1;
    if (less(mid, lo)) {
      swap(mid, lo);
    }
    if (less(hi, lo)) {
      swap(hi, lo);
    }
    if (less(mid, hi)) {
      swap(mid, hi); // the median is now at hi
    }
    long pTick = runTick[hi];
    long pDue = runDueNs[hi];
    long pSeq = runSeq[hi];
    int store = lo;
    for (int i = lo; i < hi; i++) {
      if (keyLess(runTick[i], runDueNs[i], runSeq[i], pTick, pDue, pSeq)) {
        swap(i, store++);
      }
    }
    swap(store, hi);
    return store;
  }

  private void insertionSort(int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
      KTimer t = runTimer[i];
      long tick = runTick[i];
      long due = runDueNs[i];
      long s = runSeq[i];
      int j = i - 1;
      while (j >= lo && keyLess(tick, due, s, runTick[j], runDueNs[j], runSeq[j])) {
        move(j, j + 1);
        j--;
      }
      putRun(j + 1, t, tick, due, s);
    }
  }

  private void heapSort(int lo, int hi) {
    int n = hi - lo + 1;
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(lo, i, n);
    }
    for (int end = n - 1; end > 0; end--) {
      swap(lo, lo + end);
      siftDown(lo, 0, end);
    }
  }

  /** Max-heap sift of entry {@code lo + i} within the {@code n} entries from {@code lo}. */
  private void siftDown(int lo, int i, int n) {
    while (2 * i + 1 < n) {
      int child = 2 * i + 1;
      if (child + 1 < n && less(lo + child, lo + child + 1)) {
        child++;
      }
      if (!less(lo + i, lo + child)) {
        return;
      }
      swap(lo + i, lo + child);
      i = child;
    }
  }

  private void swap(int x, int y) {
    KTimer t = runTimer[x];
    long tick = runTick[x];
    long due = runDueNs[x];
    long s = runSeq[x];
    move(y, x);
    putRun(y, t, tick, due, s);
  }

  private void move(int from, int to) {
    putRun(to, runTimer[from], runTick[from], runDueNs[from], runSeq[from]);
  }

  private void putRun(int i, KTimer t, long tick, long due, long s) {
    runTimer[i] = t;
    runTick[i] = tick;
    runDueNs[i] = due;
    runSeq[i] = s;
  }

  /** Entry {@code x} sorts before entry {@code y}. */
  private boolean less(int x, int y) {
    return keyLess(runTick[x], runDueNs[x], runSeq[x], runTick[y], runDueNs[y], runSeq[y]);
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
}
