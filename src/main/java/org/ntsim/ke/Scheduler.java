package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.TimeCategory;
import org.ntsim.trace.TraceKind;

/**
 * The thread dispatcher (Windows Internals, "Thread scheduling"; seed 004 slides 14-15).
 *
 * <p>Models: KiReadyThread puts a thread on the current processor's deferred ready list
 * (DeferredReady); KiDeferredReadyThread then picks a processor for it: an idle one in its
 * affinity (ideal processor first, then the one it last ran on, then the current one, then the
 * lowest-numbered), else its ideal processor, where it preempts the running or standby thread if
 * its priority is higher (Standby; a DISPATCH_LEVEL software interrupt here, an IPI to another
 * processor) or else joins that processor's ready queue. Preempted threads go to the head of their
 * priority's queue, others to the tail. An idle processor also takes ready threads from other
 * processors' queues (KiIdleSchedule). Quantum end (KiQuantumEnd) gives a new quantum
 * ({@link QuantumAccounting}), decays the priority as KiComputeNewPriority does (one level and the
 * whole PriorityDecrement, never below base) and round-robins among threads of equal priority.
 * An unwait adjusts the thread as Server 2003's and Vista's KiDeferredReadyThread does: the boost
 * (base plus the increment, plus PsPrioritySeparation for the foreground process) is given only
 * while no PriorityDecrement is pending, and only its foreground part is recorded there.
 *
 * <p>Invariants: a thread is in at most one of: a ready queue, a NextThread slot, a CurrentThread
 * slot, a deferred ready list, a wait. Every transition emits a trace event. A variable-priority
 * thread's priority never exceeds 15, and its PriorityDecrement never exceeds priority - base.
 *
 * <p>Left out: processor groups and NUMA nodes, the lock-owner boost (AdjustBoost), GUI
 * wake-up boosts, and the quantum a wait takes under XP's accounting.
 */
final class Scheduler {
  /** Base priority from which an unwait only resets the quantum (LOW_REALTIME_PRIORITY - 2). */
  static final int TIME_CRITICAL_PRIORITY_BOUND = 14;

  private final Kernel kernel;
  private final Machine machine;
  final QuantumAccounting quantum;
  /** The process of the foreground window (PsForegroundProcess's role), or null. */
  KProcess foregroundProcess;
  long preemptions; // running threads displaced by a higher-priority thread
  long quantumEnds;
  long roundRobins; // quantum ends that handed the CPU to another thread
  long waitBoosts;
  ThreadStateObserver stateObserver; // null unless a test or tool listens

  Scheduler(Kernel kernel) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.quantum = new QuantumAccounting(machine.config);
  }

  // ------------------------------------------------------------------ readying

  /** KiReadyThread. The thread goes to DeferredReady (or Transition if its stack is out). */
  void readyThread(KThread t) {
    if (!t.kernelStackResident) {
      setState(t, ThreadState.TRANSITION);
      kernel.balanceSetManager.queueForInswap(t);
      return;
    }
    setState(t, ThreadState.DEFERRED_READY);
    kernel.currentPrcb().pushDeferredReady(t);
  }

  /** KiProcessDeferredReadyList for the current processor. */
  void processDeferredReadyList() {
    processDeferredReadyList(kernel.currentPrcb());
  }

  /** KiProcessDeferredReadyList for {@code prcb}, the current processor's block. */
  void processDeferredReadyList(KPrcb prcb) {
    KThread t;
    while ((t = prcb.popDeferredReady()) != null) {
      deferredReadyThread(t);
    }
  }

  /** KiDeferredReadyThread: chooses a processor and makes the thread Standby or Ready there. */
  void deferredReadyThread(KThread t) {
    Cpu here = machine.activeCpu();
    KPrcb idle = findIdleProcessor(t, here.index);
    if (idle != null) {
      makeStandby(idle, t);
      trace(TraceKind.READY, t, t.priority, idle.number);
      return;
    }
    KPrcb target = kernel.prcb(targetProcessor(t));
    KThread standby = target.nextThread;
    KThread rival = standby != null ? standby : target.currentThread;
    if (t.priority <= rival.priority) {
      queueReady(target, t);
      return;
    }
    if (standby != null) {
      takeStandby(target);
      if (!standby.idle) {
        standby.preempted = true;
        queueReady(target, standby);
      }
    } else if (!rival.idle) {
      rival.preempted = true;
    }
    makeStandby(target, t);
    trace(TraceKind.READY, t, t.priority, target.number);
    requestDispatch(target, here);
  }

  /** KiQueueReadyThread: joins the processor's ready queue, at the head if it was preempted. */
  void queueReady(KPrcb prcb, KThread t) {
    boolean atHead = t.preempted;
    t.preempted = false;
    setState(t, ThreadState.READY);
    t.readyTick = machine.clockTicks(); // KeTickCount
    Cpu here = machine.activeCpu();
    t.earliestRunNs = Math.max(t.earliestRunNs, here.clockNs());
    prcb.insertReady(t, atHead);
    trace(TraceKind.READY, t, t.priority, prcb.number);
    for (int c = 0; c < machine.cpuCount(); c++) {
      KPrcb other = kernel.prcb(c);
      if (other.cpu != here && allowed(t, c) && isIdle(other)) {
        here.limitHorizon(other.cpu, here.clockNs()); // its idle loop may take the thread now
      }
    }
  }

  private KPrcb findIdleProcessor(KThread t, int current) {
    int n = machine.cpuCount();
    if (idleAndAllowed(t, t.idealProcessor, n)) {
      return kernel.prcb(t.idealProcessor);
    }
    if (idleAndAllowed(t, t.lastCpu, n)) {
      return kernel.prcb(t.lastCpu);
    }
    if (idleAndAllowed(t, current, n)) {
      return kernel.prcb(current);
    }
    for (int c = 0; c < n; c++) {
      if (allowed(t, c) && isIdle(kernel.prcb(c))) {
        return kernel.prcb(c);
      }
    }
    return null;
  }

  private boolean idleAndAllowed(KThread t, int cpu, int n) {
    return cpu >= 0 && cpu < n && allowed(t, cpu) && isIdle(kernel.prcb(cpu));
  }

  private static boolean isIdle(KPrcb p) {
    return p.currentThread == p.idleThread && p.nextThread == null;
  }

  private int targetProcessor(KThread t) {
    if (allowed(t, t.idealProcessor)) {
      return t.idealProcessor;
    }
    return Long.numberOfTrailingZeros(t.affinity);
  }

  static boolean allowed(KThread t, int cpu) {
    return cpu >= 0 && cpu < 64 && (t.affinity & (1L << cpu)) != 0;
  }

  /** Asks {@code target} to run its dispatcher: a software interrupt here, an IPI elsewhere. */
  void requestDispatch(KPrcb target, Cpu here) {
    if (target.cpu == here) {
      here.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
    } else {
      here.sendIpi(target.cpu, IPI_REASON_DISPATCH);
    }
  }

  static final int IPI_REASON_DISPATCH = 1;

  // ------------------------------------------------------------------ switching

  /** The next thread for a processor whose current thread stops running: NextThread, else ready, else idle. */
  KThread selectNextThread(KPrcb prcb) {
    KThread next = takeStandby(prcb);
    if (next != null) {
      return next;
    }
    next = prcb.selectReady(0);
    return next != null ? next : prcb.idleThread;
  }

  /**
   * KiSwapContext bookkeeping: makes {@code next} the running thread of {@code prcb}. The caller
   * has already put {@code old} where it belongs (waiting, ready, terminated).
   */
  void contextSwitch(KPrcb prcb, KThread old, KThread next) {
    Cpu cpu = prcb.cpu;
    if (!next.idle) {
      idleUntil(cpu, next.earliestRunNs);
    }
    cpu.advance(machine.cost.contextSwitchNs);
    // SwapBusy: another processor may run the old thread only once its context is saved.
    old.earliestRunNs = Math.max(old.earliestRunNs, cpu.clockNs());
    prcb.currentThread = next;
    next.lastCpu = prcb.number;
    setState(next, ThreadState.RUNNING);
    next.contextSwitches++;
    prcb.contextSwitches++;
    int oldInfo = old.state.code() | (old.state == ThreadState.WAITING ? old.waitReason << 8 : 0);
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.CONTEXT_SWITCH,
        kernel.threadId(old), kernel.threadId(next), oldInfo);
    mount(cpu, next);
    if (next.kernelApcPending) {
      cpu.requestSoftwareInterrupt(Irql.APC_LEVEL); // KiSwapContext: the APC interrupt, if pending
    }
  }

  /**
   * Idles {@code cpu} until {@code t} if its clock is behind. CPUs take turns within a slice, so
   * a thread that another processor readied, or that last ran on another processor, at {@code t}
   * must not start here earlier in simulated time: a thread's own clock never goes back.
   * Interrupts that fall due meanwhile are taken after the switch (late by less than a slice).
   */
  private void idleUntil(Cpu cpu, long t) {
    if (t > cpu.clockNs()) {
      int category = cpu.category();
      cpu.setCategory(TimeCategory.IDLE);
      cpu.advance(t - cpu.clockNs());
      cpu.setCategory(category);
    }
  }

  /** Points the CPU's accounting and IRQL at the thread that now runs there. */
  void mount(Cpu cpu, KThread t) {
    long directoryBase = t.addressSpaceProcess().directoryTableBase;
    if (directoryBase != 0) {
      cpu.mmu.loadDirectoryBase(directoryBase); // KiSwapContext: CR3 when the process differs
    }
    cpu.setAccount(t);
    cpu.setCategory(t.idle ? TimeCategory.IDLE : t.inKernel ? TimeCategory.KERNEL : TimeCategory.USER);
  }

  /**
   * KiSwapThread up to the switch, called on the coroutine of the thread that stops running (it
   * has set its new state): picks the next thread and switches to it. The caller then suspends
   * its coroutine itself, so that this frame is not part of the stack the coroutine keeps while
   * suspended (the continuation copies that stack out and back in at every switch).
   */
  void switchAway(KThread self) {
    KPrcb prcb = kernel.currentPrcb();
    KThread next = selectNextThread(prcb);
    self.savedIrql = prcb.cpu.irql();
    contextSwitch(prcb, self, next);
    prcb.cpu.setIrql(next.savedIrql);
  }

  /** Preempts the current thread at DISPATCH_LEVEL on the loop (KiDispatchInterrupt). */
  private void preemptCurrent(KPrcb prcb, int interruptedIrql) {
    KThread old = prcb.currentThread;
    KThread next = takeStandby(prcb);
    old.savedIrql = interruptedIrql;
    if (!old.idle) {
      if (allowed(old, prcb.number)) {
        queueReady(prcb, old);
      } else {
        old.preempted = false;
        readyThread(old);
      }
    }
    contextSwitch(prcb, old, next);
    prcb.cpu.setReturnIrql(next.savedIrql);
    processDeferredReadyList();
  }

  // ------------------------------------------------------------------ dispatch interrupt

  /** The DISPATCH_LEVEL software interrupt: drain DPCs, end quanta, switch to NextThread. */
  void dispatchInterrupt(Cpu cpu, int interruptedIrql) {
    KPrcb prcb = kernel.prcb(cpu.index);
    if (prcb.dpcHead != null) {
      kernel.dpcs.retireDpcList(prcb);
    }
    if (prcb.quantumEnd) {
      prcb.quantumEnd = false;
      quantumEnd(prcb, interruptedIrql);
    }
    if (prcb.nextThread != null) {
      if (!prcb.currentThread.idle) {
        preemptions++;
      }
      preemptCurrent(prcb, interruptedIrql);
    }
  }

  /** KiQuantumEnd: a new quantum, priority decay, and round robin at equal priority. */
  private void quantumEnd(KPrcb prcb, int interruptedIrql) {
    KThread t = prcb.currentThread;
    if (t.idle || !quantum.quantumExpired(t)) {
      return;
    }
    quantum.resetQuantum(t);
    quantumEnds++;
    t.quantumEnds++;
    int oldPriority = t.priority;
    if (!t.isRealTime()) {
      t.priority = computeNewPriority(t, 1);
      if (t.priority != oldPriority) {
        trace(TraceKind.PRIORITY, t, oldPriority, t.priority);
      }
    }
    KThread next = prcb.nextThread != null ? null : prcb.selectReady(t.priority);
    boolean gaveUp = next != null || prcb.nextThread != null;
    trace(TraceKind.QUANTUM_END, t, t.priority, gaveUp ? 1 : 0);
    if (next != null) {
      makeStandby(prcb, next);
    }
    if (gaveUp) {
      if (next != null) {
        roundRobins++;
      } else {
        preemptions++; // a higher-priority thread was already standing by
      }
      t.preempted = false; // round robin: to the tail of its priority
      preemptCurrent(prcb, interruptedIrql);
    }
  }

  // ------------------------------------------------------------------ the processor loop

  /**
   * Runs one CPU until its clock reaches its horizon or its thread defers the time it spends:
   * interrupts, the current thread, idle.
   */
  void runSlice(Cpu cpu, long sliceEndNs) {
    KPrcb prcb = kernel.prcb(cpu.index);
    while (cpu.clockNs() < cpu.sliceEndNs() && !machine.stopped() && !cpu.defers()) {
      cpu.deliverInterrupts();
      if (machine.stopped() || cpu.clockNs() >= cpu.sliceEndNs()) {
        break;
      }
      KThread t = prcb.currentThread;
      if (t.idle) {
        if (!idleLoop(prcb, cpu.sliceEndNs())) {
          return; // nothing to do until an interrupt: the loop wakes this CPU at its time
        }
      } else {
        kernel.points.resumeThread(t);
      }
    }
  }

  /**
   * KiIdleLoop: drains DPCs, takes a NextThread or a ready thread from any queue, else waits.
   * Returns false when the processor has nothing to do before its next interrupt: its clock stays
   * where it is, and the machine loop moves it to that interrupt when it falls due.
   */
  private boolean idleLoop(KPrcb prcb, long sliceEndNs) {
    Cpu cpu = prcb.cpu;
    if (cpu.clockNs() < prcb.handOffNs && (prcb.dpcHead != null || prcb.nextThread != null)) {
      // Another processor handed this one work at a time its clock has not reached yet.
      cpu.advance(Math.min(prcb.handOffNs, Math.min(sliceEndNs, cpu.nextInterruptNs()))
          - cpu.clockNs());
      return true;
    }
    if (prcb.dpcHead != null) {
      cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
      return true;
    }
    KThread next = takeStandby(prcb);
    if (next == null) {
      next = idleSchedule(prcb);
    }
    if (next != null) {
      cpu.setIrql(Irql.DISPATCH_LEVEL);
      contextSwitch(prcb, prcb.idleThread, next);
      cpu.setIrql(next.savedIrql);
      return true;
    }
    long interruptNs = cpu.nextInterruptNs();
    if (interruptNs >= sliceEndNs && isIdleCpu(cpu)) {
      return false;
    }
    long until = Math.min(sliceEndNs, interruptNs);
    if (until > cpu.clockNs()) {
      cpu.advance(until - cpu.clockNs());
    }
    return true;
  }

  /** KiIdleSchedule: the best ready thread this processor may run, from its own queue or another's. */
  private KThread idleSchedule(KPrcb prcb) {
    KThread own = prcb.selectReady(0);
    if (own != null) {
      return own;
    }
    int n = machine.cpuCount();
    KThread best = null;
    KPrcb from = null;
    for (int i = 1; i < n; i++) {
      KPrcb other = kernel.prcb((prcb.number + i) % n);
      for (int p = other.highestReadyPriority(); p >= 0 && (best == null || p > best.priority); p--) {
        if ((other.readySummary & (1 << p)) == 0) {
          continue;
        }
        for (KThread t = other.readyHead[p]; t != null; t = t.readyNext) {
          if (allowed(t, prcb.number)) {
            best = t;
            from = other;
            break;
          }
        }
        if (best != null) {
          break;
        }
      }
    }
    if (best != null) {
      from.removeReady(best);
    }
    return best;
  }

  boolean isIdleCpu(Cpu cpu) {
    KPrcb prcb = kernel.prcb(cpu.index);
    if (!isIdle(prcb) || prcb.dpcHead != null) {
      return false;
    }
    for (int i = 0; i < machine.cpuCount(); i++) {
      KPrcb other = kernel.prcb(i);
      if (other.readySummary != 0) {
        for (int p = 0; p < 32; p++) {
          for (KThread t = other.readyHead[p]; t != null; t = t.readyNext) {
            if (allowed(t, cpu.index)) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ priority and affinity

  /**
   * KiComputeNewPriority: the priority after a quantum end, {@code adjustment} below the current
   * one less the pending PriorityDecrement, never below base; the decrement is spent.
   */
  static int computeNewPriority(KThread t, int adjustment) {
    int p = t.priority;
    if (p < KThread.LOW_REALTIME_PRIORITY) {
      p = Math.max(p - t.priorityDecrement - adjustment, t.basePriority);
      t.priorityDecrement = 0;
    }
    return p;
  }

  /**
   * KiDeferredReadyThread's unwait adjustment (AdjustUnwait, Server 2003 and Vista): a real-time
   * or time-critical thread gets a new quantum and no boost; another gets a new quantum when it
   * has no decrement pending and a nonzero increment, and, unless a decrement is pending or
   * boosts are disabled, rises to base + {@code increment} (plus PsPrioritySeparation in the
   * foreground process), at most 15. Only the part above base + increment, the foreground
   * separation, is recorded in PriorityDecrement, so that the next quantum end takes it back at
   * once while the wait boost itself decays one level a quantum.
   */
  void unwaitBoost(KThread t, int increment) {
    if (t.priority >= KThread.LOW_REALTIME_PRIORITY) {
      quantum.resetQuantum(t);
      return;
    }
    if (t.basePriority >= TIME_CRITICAL_PRIORITY_BOUND) {
      quantum.resetQuantum(t);
    } else if (t.priorityDecrement == 0 && increment != 0) {
      quantum.resetQuantum(t);
    }
    if (t.priorityDecrement != 0 || t.disableBoost || t.process.disableBoost) {
      return;
    }
    int boosted = t.basePriority + increment;
    if (t.process.foreground) {
      boosted += quantum.prioritySeparation;
    }
    if (boosted > t.priority) {
      boosted = Math.min(boosted, LOW_REALTIME_MINUS_ONE);
      if (boosted > t.basePriority + increment) {
        t.priorityDecrement = boosted - t.basePriority - increment;
      }
      int old = t.priority;
      t.priority = boosted;
      waitBoosts++;
      trace(TraceKind.PRIORITY, t, old, boosted);
    }
  }

  /**
   * The window manager's foreground change (PsSetProcessPriorityByClass with the foreground flag):
   * the new foreground process gets the stretched quantum and the foreground unwait boost, the
   * old one a background quantum again. {@code p} null: no foreground process.
   */
  void setForegroundProcess(KProcess p) {
    KProcess old = foregroundProcess;
    if (old == p) {
      return;
    }
    if (old != null) {
      old.foreground = false;
      old.quantumReset = quantum.quantumReset(false);
    }
    foregroundProcess = p;
    if (p != null) {
      p.foreground = true;
      p.quantumReset = quantum.quantumReset(true);
    }
  }

  static final int LOW_REALTIME_MINUS_ONE = 15;

  /** KiSetPriorityThread: changes the current priority and fixes the thread's place. */
  void setPriority(KThread t, int newPriority) {
    int old = t.priority;
    if (old == newPriority) {
      return;
    }
    switch (t.state) {
      case READY -> {
        kernel.prcb(t.readyCpu).removeReady(t);
        t.priority = newPriority;
        readyThread(t);
      }
      case RUNNING -> {
        t.priority = newPriority;
        if (newPriority < old) {
          KPrcb prcb = kernel.prcb(t.lastCpu);
          if (prcb.nextThread == null && prcb.highestReadyPriority() > newPriority) {
            makeStandby(prcb, prcb.selectReady(newPriority + 1));
            requestDispatch(prcb, machine.activeCpu());
          }
        }
      }
      case STANDBY -> {
        t.priority = newPriority;
        if (newPriority < old) {
          KPrcb prcb = kernel.prcb(t.standbyCpu);
          if (prcb.highestReadyPriority() > newPriority) {
            takeStandby(prcb);
            replaceStandby(prcb);
            readyThread(t);
          }
        }
      }
      default -> t.priority = newPriority;
    }
    trace(TraceKind.PRIORITY, t, old, newPriority);
  }

  /** KiSetAffinityThread: moves the thread off processors it may no longer use. */
  void setAffinity(KThread t, long affinity) {
    t.affinity = affinity;
    if (!allowed(t, t.idealProcessor)) {
      t.idealProcessor = Long.numberOfTrailingZeros(affinity);
    }
    switch (t.state) {
      case READY -> {
        if (!allowed(t, t.readyCpu)) {
          kernel.prcb(t.readyCpu).removeReady(t);
          readyThread(t);
        }
      }
      case STANDBY -> {
        KPrcb prcb = kernel.prcb(t.standbyCpu);
        if (!allowed(t, prcb.number)) {
          takeStandby(prcb);
          replaceStandby(prcb);
          readyThread(t);
        }
      }
      case RUNNING -> {
        KPrcb prcb = kernel.prcb(t.lastCpu);
        if (!allowed(t, prcb.number) && prcb.nextThread == null) {
          KThread next = prcb.selectReady(0);
          makeStandby(prcb, next != null ? next : prcb.idleThread);
          requestDispatch(prcb, machine.activeCpu());
        }
      }
      default -> {}
    }
  }

  // ------------------------------------------------------------------ helpers

  void setState(KThread t, ThreadState s) {
    ThreadState old = t.state;
    t.state = s;
    if (stateObserver != null) {
      stateObserver.stateChanged(t, old, s);
    }
  }

  private void trace(TraceKind kind, KThread t, long b, long c) {
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, kind, kernel.threadId(t), b, c);
  }

  /** Makes {@code t} the NextThread of {@code prcb}. */
  void makeStandby(KPrcb prcb, KThread t) {
    prcb.nextThread = t;
    prcb.noteHandOff(machine.activeCpu());
    if (!t.idle) {
      t.earliestRunNs = Math.max(t.earliestRunNs, machine.activeCpu().clockNs());
      t.standbyCpu = prcb.number;
      setState(t, ThreadState.STANDBY);
    }
  }

  /**
   * After {@code prcb}'s NextThread was taken away (its priority or affinity changed), gives the
   * dispatch request still on its way the thread it should now switch to, as KiSetPriorityThread
   * and KiSetAffinityThread do: a ready thread above the running one, or, when the running thread
   * may no longer run here, the best ready thread or else the idle thread. An idle processor
   * needs none: its idle loop looks at the ready queues itself.
   */
  private void replaceStandby(KPrcb prcb) {
    KThread current = prcb.currentThread;
    if (current.idle) {
      return;
    }
    if (!allowed(current, prcb.number)) {
      KThread next = prcb.selectReady(0);
      makeStandby(prcb, next != null ? next : prcb.idleThread);
    } else if (prcb.highestReadyPriority() > current.priority) {
      makeStandby(prcb, prcb.selectReady(current.priority + 1));
    }
  }

  /** Clears {@code prcb}'s NextThread and returns it. */
  KThread takeStandby(KPrcb prcb) {
    KThread t = prcb.nextThread;
    prcb.nextThread = null;
    if (t != null) {
      t.standbyCpu = -1;
    }
    return t;
  }
}
