package org.ntsim.ke;

import java.util.List;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * Timer objects and their expiry (ReactOS's ke/timerobj.c and KiTimerExpiration in ke/dpc.c):
 * KeSetTimerEx and KeCancelTimer insert and remove a KTIMER in the {@link TimerTable}; the clock
 * interrupt queues the timer expiration DPC when a list falls due ({@link Clock}), and that DPC
 * signals each expired timer, releases its waiters, re-inserts a periodic timer and queues the
 * timer's own DPC.
 *
 * <p>Invariants: a timer is in the table exactly while {@code inserted}; an expired timer is
 * signalled before its DPC is queued; a periodic timer's next due time never falls behind the
 * time it expired by more than one period (NT's catch-up rule).
 *
 * <p>An absolute timer (set for a system time, {@code KTimer.absolute}) keeps that system time when
 * the time is set: {@link SystemTime#setSystemTime} moves its due time by the change
 * ({@link #adjustAbsoluteTimers}). A periodic timer's later expiries are intervals, relative.
 *
 * <p>Left out: timers with a tolerance (coalescing).
 */
final class Timers {
  /**
   * Expired timers processed under one hold of the dispatcher lock (MAXIMUM_TIMERS_PROCESSED of
   * the Server 2003 SP1 kernel, whose KiTimerExpiration then calls the timers' DPCs and releases
   * the lock through KiExitDispatcher).
   */
  static final int TIMERS_PER_DISPATCHER_HOLD = 4;

  /** Timers whose objects the timer DPC reads ahead at once. */
  private static final int EXPIRY_READ_AHEAD = 16;

  private final Kernel kernel;
  private final Machine machine;
  private final Scheduler scheduler;
  private final TimerTable timerTable;
  /** KiTimerExpireDpc: queued by the clock interrupt on processor 0 when a list falls due. */
  final Kdpc timerExpiryDpc;
  /** The time of day, which converts absolute due times and moves them when it is set. */
  final SystemTime systemTime;
  private int warmUpSink; // keeps the reads of warmUpNextExpiries; its value means nothing

  Timers(Kernel kernel, Scheduler scheduler, TimerTable timerTable) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.scheduler = scheduler;
    this.timerTable = timerTable;
    this.timerExpiryDpc = new Kdpc("nt!KiTimerExpiration", this::timerExpiration, null,
        kernel.staticAddress(0x20));
    this.timerExpiryDpc.importance = Kdpc.HIGH_IMPORTANCE;
    this.timerExpiryDpc.targetCpu = 0;
    this.systemTime = new SystemTime(kernel, this, machine.config.bootTimeOfDay);
  }

  int count() {
    return timerTable.count();
  }

  List<KTimer> all() {
    return timerTable.all();
  }

  /**
   * KeSetTimerEx: inserts the timer to fire {@code dueNs} from now (or, if {@code absolute}, at
   * that simulated time, which {@link SystemTime#interruptTimeNsOf} gives for a system time; the
   * timer then follows changes of the system time), then every {@code periodNs} if positive,
   * queueing {@code dpc} each time. Returns whether the timer was already inserted.
   */
  boolean setTimer(KTimer timer, long dueNs, boolean absolute, long periodNs, Kdpc dpc) {
    boolean wasInserted = timer.inserted;
    timerTable.remove(timer);
    long now = machine.activeCpu().clockNs();
    long due = absolute ? dueNs : now + dueNs;
    timer.signalState = 0;
    timer.periodNs = periodNs;
    timer.dpc = dpc;
    timer.absolute = absolute;
    if (due <= now) {
      timer.dueTimeNs = due;
      expireTimer(timer, now);
      kernel.exitDispatcher();
    } else {
      timerTable.insert(timer, due);
    }
    return wasInserted;
  }

  /**
   * KeSetSystemTime's re-evaluation of the absolute timers: each inserted absolute timer's due
   * time moves back by {@code deltaNs} (the system time moved forward by it), and one that has
   * then passed expires now, in the order of their due times.
   */
  void adjustAbsoluteTimers(long deltaNs) {
    if (deltaNs == 0) {
      return;
    }
    long now = machine.activeCpu().clockNs();
    boolean expired = false;
    List<KTimer> timers = timerTable.all();
    timers.sort(java.util.Comparator.<KTimer>comparingLong(t -> t.dueTimeNs)
        .thenComparingLong(t -> t.tableSeq)); // those that pass expire in due order
    for (KTimer t : timers) {
      if (!t.absolute || !t.inserted) {
        continue;
      }
      long due = Math.max(-SystemTime.FAR_NS,
          Math.min(SystemTime.FAR_NS, t.dueTimeNs - deltaNs));
      timerTable.remove(t);
      if (due <= now) {
        t.dueTimeNs = due;
        expireTimer(t, now);
        expired = true;
      } else {
        timerTable.insert(t, due);
      }
    }
    if (expired) {
      kernel.exitDispatcher();
    }
  }

  /** KeCancelTimer: returns whether the timer was inserted. */
  boolean cancelTimer(KTimer timer) {
    boolean was = timer.inserted;
    timerTable.remove(timer);
    return was;
  }

  /**
   * KiTimerExpiration: the DPC the clock interrupt queues when a timer falls due. NT holds the
   * dispatcher lock for a few timers at a time ({@link #TIMERS_PER_DISPATCHER_HOLD}) and releases
   * it in between, and releasing it processes the deferred ready list: the threads those timers
   * released are placed on processors before the next timers expire, not all at the end of the
   * DPC.
   */
  private void timerExpiration(Kdpc dpc, Object context, Object a1, Object a2) {
    long tick = kernel.tickCount();
    KTimer t;
    int expired = 0;
    while ((t = timerTable.removeNextExpired(tick, machine.activeCpu().clockNs())) != null) {
      if (expired % EXPIRY_READ_AHEAD == 0) {
        warmUpNextExpiries();
      }
      kernel.points.spendAtRaisedIrql(machine.cost.timerExpiryNs);
      expireTimer(t, machine.activeCpu().clockNs());
      if (++expired % TIMERS_PER_DISPATCHER_HOLD == 0) {
        scheduler.processDeferredReadyList();
      }
    }
    timerTable.markScanned(tick);
    scheduler.processDeferredReadyList(); // the last release, before the DPC returns
  }

  /**
   * Reads ahead in the timer table's expiry order: the next {@link #EXPIRY_READ_AHEAD} timers,
   * then the first wait block of each, then each waiting thread. A clock tick may expire
   * thousands of timers whose objects have all left the host's caches; timer, wait block and
   * thread are a chain of three cache misses per timer, one after another, while here each round
   * of reads is independent within itself, so that its misses overlap. Nothing is changed.
   */
  private void warmUpNextExpiries() {
    int x = 0;
    for (int k = 0; k < EXPIRY_READ_AHEAD; k++) {
      KTimer u = timerTable.expiringAhead(k);
      if (u != null && u.inserted) {
        x += u.signalState;
      }
    }
    for (int k = 0; k < EXPIRY_READ_AHEAD; k++) {
      KTimer u = timerTable.expiringAhead(k);
      WaitBlock w = u != null ? u.waitListFirst : null;
      if (w != null) {
        x += w.waitType;
      }
    }
    for (int k = 0; k < EXPIRY_READ_AHEAD; k++) {
      KTimer u = timerTable.expiringAhead(k);
      WaitBlock w = u != null ? u.waitListFirst : null;
      if (w != null) {
        x += w.thread.warmUpFields();
      }
    }
    warmUpSink += x;
  }

  private void expireTimer(KTimer t, long nowNs) {
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.TIMER_EXPIRED, t.address, t.periodNs,
        t.dpc != null ? 1 : 0);
    t.signalState = 1;
    kernel.waits.waitTest(t, Kernel.TIMER_EXPIRE_INCREMENT);
    if (t.periodNs > 0) {
      t.absolute = false;
      timerTable.insert(t, Math.max(t.dueTimeNs, nowNs - t.periodNs) + t.periodNs);
    }
    if (t.dpc != null) {
      kernel.dpcs.insertQueueDpc(t.dpc, null, null);
    }
  }
}
