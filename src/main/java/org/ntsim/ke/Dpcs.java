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
 * {@code prcb.dpcRoutineActive} set, so that a wait in it is a bug check.
 *
 * <p>Hot path: queueing and retiring do not allocate.
 *
 * <p>Left out: threaded DPCs, the DPC watchdog, and KeFlushQueuedDpcs.
 */
final class Dpcs {
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
