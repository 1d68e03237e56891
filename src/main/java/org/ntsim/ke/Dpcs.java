package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.TimeCategory;
import org.ntsim.trace.TraceKind;

/**
 * Deferred procedure calls (ReactOS's ke/dpc.c; Windows Internals, "Deferred procedure call
 * interrupts"): KeInitializeDpc and its importance and target, KeInsertQueueDpc with the rules
 * that decide whether queueing requests the DISPATCH_LEVEL interrupt here or an IPI to the
 * target, KeRemoveQueueDpc, and KiRetireDpcList, which the DISPATCH_LEVEL software interrupt runs.
 *
 * <p>Invariants: a DPC is on at most one processor's queue ({@code queuedOn}); a DPC routine runs
 * on the machine loop's stack at DISPATCH_LEVEL, charged to DPC time, with
 * {@code prcb.dpcRoutineActive} set, so that a wait in it is a bug check; MaximumDpcQueueDepth
 * stays within 1..{@link #MAXIMUM_DPC_QUEUE_DEPTH}.
 *
 * <p>Rate adaptation (Windows Internals 5th ed., ch. 3, "DPC interrupt generation rules"; WRK's
 * KeUpdateRunTime): at each clock tick the processor's DPC request rate becomes the mean of the
 * DPCs queued since the last tick and the old rate. A tick that finds DPCs pending (and no DPC
 * running) asks for the DISPATCH_LEVEL interrupt, lowers the maximum depth by one if the rate is
 * below IdealDpcRate and restarts the AdjustDpcThreshold count; after that many ticks without one,
 * the maximum depth rises by one, up to its registry value. A shallower maximum makes a queued
 * low- or medium-importance DPC ask for its interrupt sooner.
 *
 * <p>Hot path: queueing and retiring do not allocate.
 *
 * <p>Left out: threaded DPCs, the DPC watchdog, and KeFlushQueuedDpcs.
 */
final class Dpcs {
  /** MaximumDpcQueueDepth's starting and highest value (the registry's DpcQueueDepth). */
  static final int MAXIMUM_DPC_QUEUE_DEPTH = 4;
  /** MinimumDpcRate: below this rate a low-importance DPC still asks for the interrupt. */
  static final int MINIMUM_DPC_RATE = 3;
  /** IdealDpcRate: a tick with DPCs pending and a lower rate lowers the maximum depth. */
  static final int IDEAL_DPC_RATE = 20;
  /** AdjustDpcThreshold: ticks without DPCs pending before the maximum depth rises by one. */
  static final int ADJUST_DPC_THRESHOLD = 20;
  /** IPI reason: a DPC was queued for another processor. */
  static final int IPI_REASON_DPC = 2;

  private final Kernel kernel;
  private final Machine machine;
  private final Scheduler scheduler;

  Dpcs(Kernel kernel, Scheduler scheduler) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.scheduler = scheduler;
  }

  /**
   * KeInsertQueueDpc: queues the DPC on its target processor (or this one) and requests the
   * DISPATCH_LEVEL interrupt by the rules of Windows Internals' "DPC interrupt generation" table:
   * on this processor unless the DPC is low importance, the queue is short and the DPC rate high;
   * on another processor only for a high-importance DPC or a queue past its maximum depth (an idle
   * target drains its queue from its idle loop). Returns false if it was already queued.
   */
  boolean insertQueueDpc(Kdpc dpc, Object systemArgument1, Object systemArgument2) {
    if (dpc.queuedOn >= 0) {
      return false;
    }
    Cpu here = machine.activeCpu();
    int count = kernel.processorCount();
    int target = dpc.targetCpu >= 0 && dpc.targetCpu < count ? dpc.targetCpu : here.index;
    KPrcb tp = kernel.prcb(target);
    dpc.systemArgument1 = systemArgument1;
    dpc.systemArgument2 = systemArgument2;
    tp.enqueueDpc(dpc);
    tp.noteHandOff(here);
    if (target == here.index) {
      if (dpc.importance != Kdpc.LOW_IMPORTANCE || tp.dpcQueueDepth > tp.maximumDpcQueueDepth
          || tp.dpcRequestRate < tp.minimumDpcRate) {
        here.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
      }
    } else {
      boolean targetIdle = tp.currentThread == tp.idleThread && tp.nextThread == null;
      if (!targetIdle && (dpc.importance == Kdpc.HIGH_IMPORTANCE
          || tp.dpcQueueDepth > tp.maximumDpcQueueDepth)) {
        here.sendIpi(tp.cpu, IPI_REASON_DPC);
      }
    }
    return true;
  }

  /** KeUpdateRunTime's DPC part, at each clock tick of {@code p}'s processor (class note). */
  void updateDpcRate(KPrcb p) {
    p.dpcRequestRate = (p.dpcCountThisTick + p.dpcRequestRate) / 2;
    p.dpcCountThisTick = 0;
    if (p.dpcHead != null && !p.dpcRoutineActive) {
      p.adjustDpcThreshold = ADJUST_DPC_THRESHOLD;
      if (p.dpcRequestRate < IDEAL_DPC_RATE && p.maximumDpcQueueDepth > 1) {
        p.maximumDpcQueueDepth--;
      }
      p.cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
    } else if (--p.adjustDpcThreshold == 0) {
      p.adjustDpcThreshold = ADJUST_DPC_THRESHOLD;
      if (p.maximumDpcQueueDepth < MAXIMUM_DPC_QUEUE_DEPTH) {
        p.maximumDpcQueueDepth++;
      }
    }
  }

  /** KeRemoveQueueDpc: returns whether it was queued. */
  boolean removeQueueDpc(Kdpc dpc) {
    return dpc.queuedOn >= 0 && kernel.prcb(dpc.queuedOn).removeDpc(dpc);
  }

  /** The DISPATCH_LEVEL software interrupt (KiDispatchInterrupt): DPCs, quantum end, NextThread. */
  void dispatchInterrupt(Cpu cpu, int interruptedIrql) {
    scheduler.dispatchInterrupt(cpu, interruptedIrql);
  }

  /** KiRetireDpcList: runs every queued DPC at DISPATCH_LEVEL, charged to DPC time. */
  void retireDpcList(KPrcb prcb) {
    Cpu cpu = prcb.cpu;
    int savedCategory = cpu.category();
    Kdpc dpc;
    while ((dpc = prcb.dequeueDpc()) != null && !machine.stopped()) {
      machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.DPC_BEGIN, dpc.address,
          dpc.importance, prcb.dpcQueueDepth + 1L);
      prcb.dpcRoutineActive = true;
      prcb.activeDpc = dpc;
      cpu.setCategory(TimeCategory.DPC);
      kernel.points.spendAtRaisedIrql(machine.cost.dpcDispatchNs);
      try {
        dpc.routine.run(dpc, dpc.deferredContext, dpc.systemArgument1, dpc.systemArgument2);
      } finally {
        prcb.dpcRoutineActive = false;
        prcb.activeDpc = null;
        cpu.setCategory(savedCategory);
      }
      prcb.dpcCount++;
      machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.DPC_END, dpc.address, 0, 0);
      scheduler.processDeferredReadyList();
    }
  }
}
