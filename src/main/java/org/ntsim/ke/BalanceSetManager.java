package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * The kernel's two system threads of memory and CPU balance (Windows Internals 5th ed., ch. 5,
 * "CPU Starvation" and "Balance Set Manager and Swapper"; WRK's ke/balmgr.c): KeBalanceSetManager
 * waits, with wait reason Executive, on a one-second periodic synchronization timer and on the
 * working-set manager's event. At each wake it runs the memory manager's working set manager; at
 * each timer expiration it also scans one processor's ready queues for starved threads
 * (KiScanReadyQueues), and every fourth (small-memory system) or eighth second it outswaps the
 * kernel stacks of threads of one processor long in a user-mode wait (KiOutSwapKernelStacks).
 * KeSwapProcessOrStack (the swapper) brings stacks back in for threads readied while theirs was
 * out, which wait meanwhile in the Transition state.
 *
 * <p>Starvation: a thread ready for {@link Kernel#READY_WITHOUT_RUNNING_TICKS} ticks (about 4 s)
 * at priority 1 to 14 is raised to 15 with a short quantum (Vista: a target of three quantum
 * units' cycles; XP, under tick accounting: twice its quantum), the rise recorded in
 * PriorityDecrement so that its quantum end takes it back at once (KiComputeNewPriority).
 *
 * <p>Invariants: a thread is on the inswap list exactly while it is in Transition; a ready-queue
 * scan covers one processor and examines at most {@link #SCAN_LIMIT} threads and boosts at most
 * {@link #BOOST_LIMIT}; a stack scan covers one processor's waiting threads and outswaps at most
 * {@link #MAXIMUM_THREAD_STACKS}.
 *
 * <p>Left out: process outswap (whole working sets with their stacks), the resume point of a scan
 * cut short by its limits, and the look-aside list adjustment of each pass. Nothing sets the
 * working-set manager's event yet (the memory manager trims on the timer's pass).
 */
final class BalanceSetManager {
  /** Threads KiScanReadyQueues examines in one pass. */
  static final int SCAN_LIMIT = 16;
  /** Threads KiScanReadyQueues boosts in one pass. */
  static final int BOOST_LIMIT = 10;
  /** Kernel stacks KiOutSwapKernelStacks swaps out in one scan. */
  static final int MAXIMUM_THREAD_STACKS = 5;
  /** KiStackProtectTime: seconds of user-mode wait before a stack may go (3 on a small system). */
  static final int STACK_PROTECT_SECONDS = 15;
  static final int SMALL_SYSTEM_STACK_PROTECT_SECONDS = 3;
  /** Seconds between stack scans (4 on a small system). */
  static final int STACK_SCAN_PERIOD_SECONDS = 8;
  static final int SMALL_SYSTEM_STACK_SCAN_PERIOD_SECONDS = 4;
  /** MM_SMALL_SYSTEM: a machine of at most 13 MiB is a small system (MmQuerySystemSize). */
  static final long SMALL_SYSTEM_BYTES = 13L << 20;
  private static final int TIMER_EXPIRED = 0; // wait status of the periodic timer (WAIT_0)

  private final Kernel kernel;
  private final Machine machine;
  private final Scheduler scheduler;
  private final ThreadControl threads;
  private final KEvent swapEvent;
  private final KTimer periodicTimer; // synchronization timer, one second period
  final KEvent workingSetManagerEvent; // MmWorkingSetManagerEvent
  private final DispatcherObject[] waitObjects;
  private final KThread[] candidates = new KThread[BOOST_LIMIT];
  private KThread swapListHead; // threads in Transition, waiting for their stacks
  private Runnable workingSetManager;
  private final boolean smallSystem;
  private int readyScanNext; // KiReadyScanLast: the processor the next ready scan covers
  private int stackScanNext; // the processor whose waiting threads the next stack scan covers
  private int secondsToStackScan;
  long starvationBoosts;
  long readyScans;
  long stacksOutswapped;
  long stacksInswapped;

  BalanceSetManager(Kernel kernel, Scheduler scheduler, ThreadControl threads) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.scheduler = scheduler;
    this.threads = threads;
    this.swapEvent = new KEvent(false, false, kernel.staticAddress(0x10));
    this.periodicTimer = new KTimer(false, kernel.staticAddress(0x28));
    this.workingSetManagerEvent = new KEvent(false, false, kernel.staticAddress(0x10));
    this.waitObjects = new DispatcherObject[] {periodicTimer, workingSetManagerEvent};
    this.smallSystem = machine.config.memoryBytes <= SMALL_SYSTEM_BYTES;
    this.secondsToStackScan = stackScanPeriodSeconds();
  }

  /** Seconds between stack scans on this machine. */
  int stackScanPeriodSeconds() {
    return smallSystem ? SMALL_SYSTEM_STACK_SCAN_PERIOD_SECONDS : STACK_SCAN_PERIOD_SECONDS;
  }

  /** KiStackProtectTime on this machine, in seconds. */
  int stackProtectSeconds() {
    return smallSystem ? SMALL_SYSTEM_STACK_PROTECT_SECONDS : STACK_PROTECT_SECONDS;
  }

  /** The memory manager's MmWorkingSetManager, which the balance set manager runs each second. */
  void setWorkingSetManager(Runnable manager) {
    workingSetManager = manager;
  }

  /** Stack inswap request: the thread waits in Transition for the swapper. */
  void queueForInswap(KThread t) {
    t.deferredNext = swapListHead;
    swapListHead = t;
    if (swapEvent.signalState == 0) {
      swapEvent.signalState = 1;
      kernel.waits.waitTest(swapEvent, 0);
    }
  }

  /**
   * KiSwappingThread's loop (priority 23 in the System process): brings kernel stacks back for
   * threads in Transition and readies them.
   */
  void swapperLoop() {
    while (true) {
      kernel.waitForSingleObject(swapEvent, WaitReason.WR_EXECUTIVE, Kernel.KERNEL_MODE, false,
          -1);
      while (swapListHead != null) {
        KThread t = swapListHead;
        swapListHead = t.deferredNext;
        t.deferredNext = null;
        kernel.spend(machine.cost.stackInswapNs);
        t.kernelStackResident = true;
        stacksInswapped++;
        scheduler.readyThread(t);
        kernel.exitDispatcher();
      }
    }
  }

  /**
   * KeBalanceSetManager's loop (priority 16): see the class note. The timer is set relative to the
   * loop's start, so that the passes fall a whole second apart whatever each one costs.
   */
  void balanceSetManagerLoop() {
    kernel.setTimer(periodicTimer, 1_000_000_000L, false, 1_000_000_000L, null);
    while (true) {
      int status = kernel.waitForMultipleObjects(waitObjects, waitObjects.length,
          WaitBlock.WAIT_ANY, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false, -1);
      if (workingSetManager != null) {
        workingSetManager.run(); // MmWorkingSetManager
      }
      if (status != TIMER_EXPIRED) {
        continue;
      }
      scanReadyQueues();
      if (--secondsToStackScan == 0) {
        secondsToStackScan = stackScanPeriodSeconds();
        outswapKernelStacks();
      }
    }
  }

  /**
   * KiScanReadyQueues: one processor's ready queues, priority 14 down to 1, each from its head,
   * for threads ready {@link Kernel#READY_WITHOUT_RUNNING_TICKS} ticks or more.
   */
  private void scanReadyQueues() {
    long now = kernel.tickCount();
    int cpus = kernel.processorCount();
    KPrcb prcb = kernel.prcb(readyScanNext);
    readyScanNext = (readyScanNext + 1) % cpus;
    readyScans++;
    int examined = 0;
    int boosted = 0;
    for (int p = LOW_REALTIME_MINUS_TWO; p >= 1 && examined < SCAN_LIMIT
        && boosted < BOOST_LIMIT; p--) {
      for (KThread t = prcb.readyHead[p]; t != null && examined < SCAN_LIMIT
          && boosted < BOOST_LIMIT; t = t.readyNext) {
        examined++;
        if (now - t.readyTick >= Kernel.READY_WITHOUT_RUNNING_TICKS) {
          candidates[boosted++] = t;
        }
      }
    }
    for (int i = 0; i < boosted; i++) {
      boostStarved(prcb, candidates[i]);
      candidates[i] = null;
    }
    kernel.exitDispatcher();
  }

  private static final int LOW_REALTIME_MINUS_TWO = 14;

  private void boostStarved(KPrcb prcb, KThread t) {
    prcb.removeReady(t);
    int old = t.priority;
    t.priorityDecrement += Scheduler.LOW_REALTIME_MINUS_ONE - old;
    t.priority = Scheduler.LOW_REALTIME_MINUS_ONE;
    QuantumAccounting q = scheduler.quantum;
    q.setQuantumUnits(t, q.cycles ? QuantumAccounting.STARVATION_QUANTUM_UNITS
        : 2 * t.process.quantumReset);
    starvationBoosts++;
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PRIORITY, t.uniqueThread, old,
        t.priority);
    scheduler.readyThread(t);
  }

  /**
   * KiOutSwapKernelStacks: of the threads that last ran on one processor, swaps out the kernel
   * stacks of at most {@link #MAXIMUM_THREAD_STACKS} that have waited in user mode for the stack
   * protect time.
   */
  private void outswapKernelStacks() {
    long now = kernel.tickCount();
    int cpu = stackScanNext;
    stackScanNext = (stackScanNext + 1) % kernel.processorCount();
    long limitTicks = stackProtectSeconds() * 1_000_000_000L / machine.config.clockIntervalNs;
    int swapped = 0;
    for (int i = 0; i < threads.liveThreads.size() && swapped < MAXIMUM_THREAD_STACKS; i++) {
      KThread t = threads.liveThreads.get(i);
      if (t.lastCpu == cpu && t.state == ThreadState.WAITING && t.waitMode == Kernel.USER_MODE
          && t.kernelStackResident && now - t.waitTick >= limitTicks) {
        t.kernelStackResident = false;
        stacksOutswapped++;
        swapped++;
      }
    }
  }
}
