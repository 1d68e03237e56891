package org.ntsim.ke;

import org.ntsim.hal.Cpu;

/**
 * KPRCB: the kernel's per-processor block. Holds the threads (current, next, idle), the
 * processor's ready queues, its DPC queue and its counters.
 *
 * <p>Ready queues: one FIFO list per priority (threads linked through their own fields, so that
 * queueing never allocates) and a 32-bit ready summary with bit p set exactly when list p is not
 * empty; the highest ready priority is one count-leading-zeros away.
 *
 * <p>DPC queue: a singly linked FIFO with a tail; high-importance DPCs go to the head.
 */
public final class KPrcb {
  public final int number;
  public final Cpu cpu;
  KThread currentThread;
  KThread nextThread;
  KThread idleThread;

  final KThread[] readyHead = new KThread[32];
  final KThread[] readyTail = new KThread[32];
  int readySummary;
  int readyCount;

  Kdpc dpcHead;
  Kdpc dpcTail;
  int dpcQueueDepth;
  int maximumDpcQueueDepth = Dpcs.MAXIMUM_DPC_QUEUE_DEPTH; // lowered and raised by the clock
  int minimumDpcRate = Dpcs.MINIMUM_DPC_RATE;
  int dpcRequestRate; // DPCs queued a tick, averaged over ticks
  int adjustDpcThreshold = Dpcs.ADJUST_DPC_THRESHOLD; // ticks left before the depth may rise
  int dpcCountThisTick;
  boolean dpcRoutineActive;
  Kdpc activeDpc;
  boolean quantumEnd;
  /** The APC_LEVEL interrupt was taken here: the thread that runs next checks its kernel APCs. */
  boolean apcInterruptTaken;
  long handOffNs; // latest time another processor gave this one a NextThread or a DPC
  int warmUpSink; // keeps the reads of warmUpReadyQueue; its value means nothing
  /** Ready threads below which reading the queue ahead is not worth it: they stay in cache. */
  static final int READ_AHEAD_MIN_READY = 64;

  KThread deferredReadyHead; // KiInsertDeferredReadyList, processed at dispatcher exit
  KThread deferredReadyTail;

  long contextSwitches;
  long dpcCount;
  long interruptTicks;
  long dpcTicks;
  long idleTicks;
  long kernelTicks;
  long userTicks;
  long unexpectedInterrupts; // interrupts on vectors nothing was connected to, dismissed

  KPrcb(int number, Cpu cpu) {
    this.number = number;
    this.cpu = cpu;
  }

  public KThread currentThread() {
    return currentThread;
  }

  public KThread nextThread() {
    return nextThread;
  }

  public KThread idleThread() {
    return idleThread;
  }

  public int readySummary() {
    return readySummary;
  }

  public int readyCount() {
    return readyCount;
  }

  public int dpcQueueDepth() {
    return dpcQueueDepth;
  }

  public int maximumDpcQueueDepth() {
    return maximumDpcQueueDepth;
  }

  public int minimumDpcRate() {
    return minimumDpcRate;
  }

  /** Ticks left before the clock raises MaximumDpcQueueDepth back by one (AdjustDpcThreshold). */
  public int adjustDpcThreshold() {
    return adjustDpcThreshold;
  }

  public int dpcRequestRate() {
    return dpcRequestRate;
  }

  public boolean dpcRoutineActive() {
    return dpcRoutineActive;
  }

  public long contextSwitches() {
    return contextSwitches;
  }

  public long dpcCount() {
    return dpcCount;
  }

  public long interruptTicks() {
    return interruptTicks;
  }

  public long dpcTicks() {
    return dpcTicks;
  }

  public long idleTicks() {
    return idleTicks;
  }

  public long kernelTicks() {
    return kernelTicks;
  }

  public long userTicks() {
    return userTicks;
  }

  /** Interrupts taken on vectors with no interrupt object connected (KiUnexpectedInterrupt). */
  public long unexpectedInterrupts() {
    return unexpectedInterrupts;
  }

  /** The ready threads of priority {@code p}, head first. */
  public java.util.List<KThread> readyAt(int p) {
    java.util.List<KThread> out = new java.util.ArrayList<>();
    for (KThread t = readyHead[p]; t != null; t = t.readyNext) {
      out.add(t);
    }
    return out;
  }

  /** The queued DPCs, head first. */
  public java.util.List<Kdpc> queuedDpcs() {
    java.util.List<Kdpc> out = new java.util.ArrayList<>();
    for (Kdpc d = dpcHead; d != null; d = d.next) {
      out.add(d);
    }
    return out;
  }

  /**
   * Records that {@code from} handed this processor work (a NextThread or a DPC) at its clock. The
   * idle loop takes such work only once its own clock reaches that time (an idle processor's clock
   * stays behind until something wakes it), and {@code from} stops at that time so that this
   * processor acts on the work in global time order.
   */
  void noteHandOff(Cpu from) {
    if (from != cpu) {
      handOffNs = Math.max(handOffNs, from.clockNs());
      from.limitHorizon(cpu, from.clockNs());
    }
  }

  // --- ready queue (KiInsertReadyQueue / KiRemoveReadyQueue), no allocation ---

  void insertReady(KThread t, boolean atHead) {
    int p = t.priority;
    if (readyHead[p] == null) {
      readyHead[p] = t;
      readyTail[p] = t;
      t.readyNext = null;
      t.readyPrev = null;
      readySummary |= 1 << p;
    } else if (atHead) {
      t.readyPrev = null;
      t.readyNext = readyHead[p];
      readyHead[p].readyPrev = t;
      readyHead[p] = t;
    } else {
      t.readyNext = null;
      t.readyPrev = readyTail[p];
      readyTail[p].readyNext = t;
      readyTail[p] = t;
    }
    t.readyCpu = number;
    readyCount++;
  }

  void removeReady(KThread t) {
    int p = t.priority;
    if (t.readyPrev == null) {
      readyHead[p] = t.readyNext;
    } else {
      t.readyPrev.readyNext = t.readyNext;
    }
    if (t.readyNext == null) {
      readyTail[p] = t.readyPrev;
    } else {
      t.readyNext.readyPrev = t.readyPrev;
    }
    t.readyNext = null;
    t.readyPrev = null;
    if (readyHead[p] == null) {
      readySummary &= ~(1 << p);
    }
    t.readyCpu = -1;
    readyCount--;
  }

  /** Highest ready priority, or -1 when no thread is ready here. */
  int highestReadyPriority() {
    return readySummary == 0 ? -1 : 31 - Integer.numberOfLeadingZeros(readySummary);
  }

  /** KiSelectReadyThread: removes and returns the first thread of the highest priority >= low. */
  KThread selectReady(int lowPriority) {
    int p = highestReadyPriority();
    if (p < lowPriority || p < 0) {
      return null;
    }
    KThread t = readyHead[p];
    removeReady(t);
    return t;
  }

  /**
   * Reads ahead in the highest ready queue: the objects that running its head will need (its
   * coroutine, timer and wait block), and the thread after it. With many threads they have all
   * left the host's caches, and a linked queue makes their misses a chain: the thread, then its
   * objects. Reading the head's objects and the following thread itself at each dispatch keeps
   * one step ahead, so that a dispatch waits for one round of misses that overlap rather than
   * several in a row. The kernel calls it just before it resumes a coroutine, whose stack the
   * continuation then copies in from memory that is as cold: those misses overlap too. Nothing
   * is changed.
   */
  void warmUpReadyQueue() {
    int p = highestReadyPriority();
    KThread next = p >= 0 ? readyHead[p] : null;
    if (next != null) {
      int x = next.warmUpObjects();
      KThread after = next.readyNext;
      if (after != null) {
        x += after.warmUpFields() + after.warmUpRunFields();
      }
      warmUpSink += x;
    }
  }

  // --- DPC queue ---

  void enqueueDpc(Kdpc dpc) {
    dpc.queuedOn = number;
    if (dpcHead == null) {
      dpc.next = null;
      dpcHead = dpc;
      dpcTail = dpc;
    } else if (dpc.importance == Kdpc.HIGH_IMPORTANCE) {
      dpc.next = dpcHead;
      dpcHead = dpc;
    } else {
      dpc.next = null;
      dpcTail.next = dpc;
      dpcTail = dpc;
    }
    dpcQueueDepth++;
    dpcCountThisTick++;
  }

  Kdpc dequeueDpc() {
    Kdpc d = dpcHead;
    if (d != null) {
      dpcHead = d.next;
      if (dpcHead == null) {
        dpcTail = null;
      }
      d.next = null;
      d.queuedOn = -1;
      dpcQueueDepth--;
    }
    return d;
  }

  boolean removeDpc(Kdpc dpc) {
    Kdpc prev = null;
    for (Kdpc d = dpcHead; d != null; prev = d, d = d.next) {
      if (d == dpc) {
        if (prev == null) {
          dpcHead = d.next;
        } else {
          prev.next = d.next;
        }
        if (dpcTail == d) {
          dpcTail = prev;
        }
        d.next = null;
        d.queuedOn = -1;
        dpcQueueDepth--;
        return true;
      }
    }
    return false;
  }

  // --- deferred ready list ---

  void pushDeferredReady(KThread t) {
    t.deferredNext = null;
    if (deferredReadyHead == null) {
      deferredReadyHead = t;
    } else {
      deferredReadyTail.deferredNext = t;
    }
    deferredReadyTail = t;
  }

  KThread popDeferredReady() {
    KThread t = deferredReadyHead;
    if (t != null) {
      deferredReadyHead = t.deferredNext;
      if (deferredReadyHead == null) {
        deferredReadyTail = null;
      }
      t.deferredNext = null;
    }
    return t;
  }
}
