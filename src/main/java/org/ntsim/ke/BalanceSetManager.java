package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * The kernel's two system threads of memory and CPU balance (ReactOS's ke/balmgr.c; Windows
 * Internals, "Balance set manager and swapper"): KeBalanceSetManager wakes once a second, runs the
 * memory manager's working set manager, boosts threads starved in the ready queues, and every
 * fourth second marks for outswap the kernel stacks of threads long in a user-mode wait;
 * KeSwapProcessOrStack (the swapper) brings stacks back in for threads readied while theirs was
 * out, which wait meanwhile in the Transition state.
 *
 * <p>Invariants: a thread is on the inswap list exactly while it is in Transition; the ready-queue
 * scan examines at most 16 threads and boosts at most 10 a pass.
 *
 * <p>Left out: process outswap (whole working sets with their stacks), and the balance set
 * manager's wakes on the memory manager's low-memory event.
 */
final class BalanceSetManager {
  private final Kernel kernel;
  private final Machine machine;
  private final Scheduler scheduler;
  private final ThreadControl threads;
  private final KEvent swapEvent;
  private KThread swapListHead; // threads in Transition, waiting for their stacks
  private Runnable workingSetManager;
  private int passes;
  long starvationBoosts;
  long stacksOutswapped;
  long stacksInswapped;

  BalanceSetManager(Kernel kernel, Scheduler scheduler, ThreadControl threads) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.scheduler = scheduler;
    this.threads = threads;
    this.swapEvent = new KEvent(false, false, kernel.staticAddress(0x10));
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
   * KeBalanceSetManager's loop (priority 16): once a second, run the memory manager's working
   * set manager (aging and trimming), boost threads that have been ready without running for
   * {@link Kernel#READY_WITHOUT_RUNNING_TICKS} ticks to priority 15 for one quantum (examining at
   * most 16 and boosting at most 10 a pass); every fourth second, mark for outswap the kernel
   * stacks of threads that have waited in user mode for {@link Kernel#STACK_OUTSWAP_WAIT_SECONDS}
   * seconds.
   */
  void balanceSetManagerLoop() {
    while (true) {
      kernel.delayExecution(Kernel.KERNEL_MODE, false, 1_000_000_000L);
      passes++;
      if (workingSetManager != null) {
        workingSetManager.run(); // MmWorkingSetManager
      }
      scanReadyQueues();
      if (passes % 4 == 0) {
        outswapStacks();
      }
    }
  }

  /** KiScanReadyQueues: the starvation boost. */
  private void scanReadyQueues() {
    long now = kernel.tickCount();
    int examined = 0;
    int boosted = 0;
    int cpus = kernel.processorCount();
    KThread[] candidates = new KThread[16];
    for (int c = 0; c < cpus && examined < 16; c++) {
      KPrcb prcb = kernel.prcb((passes + c) % cpus);
      for (int p = 1; p < 15 && examined < 16; p++) {
        for (KThread t = prcb.readyHead[p]; t != null && examined < 16; t = t.readyNext) {
          examined++;
          if (now - t.readyTick >= Kernel.READY_WITHOUT_RUNNING_TICKS && boosted < 10) {
            candidates[boosted++] = t;
          }
        }
      }
    }
    for (int i = 0; i < boosted; i++) {
      KThread t = candidates[i];
      KPrcb prcb = kernel.prcb(t.readyCpu);
      prcb.removeReady(t);
      int old = t.priority;
      t.priority = 15;
      t.starvationBoosted = true;
      t.quantum = Scheduler.CLOCK_QUANTUM_DECREMENT;
      starvationBoosts++;
      Cpu cpu = machine.activeCpu();
      machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PRIORITY, t.uniqueThread, old, 15);
      scheduler.readyThread(t);
    }
    kernel.exitDispatcher();
  }

  private void outswapStacks() {
    long now = kernel.tickCount();
    long limitTicks = Kernel.STACK_OUTSWAP_WAIT_SECONDS * 1_000_000_000L
        / machine.config.clockIntervalNs;
    for (KThread t : threads.liveThreads) {
      if (t.state == ThreadState.WAITING && t.waitMode == Kernel.USER_MODE
          && t.kernelStackResident && now - t.waitTick >= limitTicks) {
        t.kernelStackResident = false;
        stacksOutswapped++;
      }
    }
  }
}
