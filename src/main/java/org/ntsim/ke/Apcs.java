package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.trace.TraceKind;

/**
 * APC queueing and delivery (KeInsertQueueApc, KiDeliverApc), by NT's rules (seed 003 slides
 * 5-6): special kernel APCs whenever the thread runs below APC_LEVEL outside a guarded region;
 * normal kernel APCs also outside critical regions and not inside another normal APC; user APCs
 * only on the way back to user mode after an alertable user-mode wait (or NtTestAlert).
 *
 * <p>Models: queueing a kernel APC to a running thread requests an APC_LEVEL interrupt on its
 * processor; to a thread waiting at PASSIVE_LEVEL it ends the wait with STATUS_KERNEL_APC, and
 * the wait is taken up again once the APC has run. Queueing a user APC to a thread in an
 * alertable user-mode wait ends the wait with STATUS_USER_APC. Kernel APCs run on the thread's
 * own coroutine, at the points where it comes back from the machine loop or enters a wait.
 */
final class Apcs {
  private final Kernel kernel;

  Apcs(Kernel kernel) {
    this.kernel = kernel;
  }

  /** KeInsertQueueApc: false if the APC is already queued or the thread takes no APCs. */
  boolean insert(Kapc apc, Object arg1, Object arg2, int increment) {
    KThread t = apc.thread;
    if (apc.inserted || !t.apcQueueable || t.state == ThreadState.TERMINATED) {
      return false;
    }
    apc.systemArgument1 = arg1;
    apc.systemArgument2 = arg2;
    apc.inserted = true;
    apc.next = null;
    Cpu cpu = kernel.machine().activeCpu();
    kernel.machine().tracer.emit(cpu.clockNs(), cpu.index, TraceKind.APC_QUEUED,
        t.uniqueThread, apc.address, apc.mode == Kernel.USER_MODE ? 2 : apc.isSpecial() ? 0 : 1);
    if (apc.mode == Kernel.USER_MODE) {
      t.userApcHead = append(t.userApcHead, apc);
      if (t.state == ThreadState.WAITING && t.waitMode == Kernel.USER_MODE && t.alertable) {
        t.userApcPending = true;
        kernel.waits.unwaitThread(t, NtStatus.STATUS_USER_APC, increment);
      }
    } else {
      if (apc.isSpecial()) {
        t.kernelApcHead = insertSpecial(t.kernelApcHead, apc);
      } else {
        t.kernelApcHead = append(t.kernelApcHead, apc);
      }
      t.kernelApcPending = true;
      if (t.state == ThreadState.RUNNING) {
        KPrcb prcb = kernel.prcb(t.lastCpu);
        if (prcb.cpu == cpu) {
          cpu.requestSoftwareInterrupt(Irql.APC_LEVEL);
        } else {
          cpu.sendIpi(prcb.cpu, IPI_REASON_APC);
        }
      } else if (t.state == ThreadState.WAITING && t.waitIrql == Irql.PASSIVE_LEVEL
          && t.specialApcDisable == 0
          && (apc.isSpecial() || (t.kernelApcDisable == 0 && !t.kernelApcInProgress))) {
        kernel.waits.unwaitThread(t, NtStatus.STATUS_KERNEL_APC, increment);
      }
    }
    kernel.exitDispatcher();
    return true;
  }

  static final int IPI_REASON_APC = 3;

  /** KeRemoveQueueApc. */
  boolean remove(Kapc apc) {
    if (!apc.inserted) {
      return false;
    }
    KThread t = apc.thread;
    if (apc.mode == Kernel.USER_MODE) {
      t.userApcHead = unlink(t.userApcHead, apc);
    } else {
      t.kernelApcHead = unlink(t.kernelApcHead, apc);
      t.kernelApcPending = t.kernelApcHead != null;
    }
    apc.inserted = false;
    return true;
  }

  /** Whether {@code t}, running at {@code irql}, has a kernel APC it may take now. */
  boolean kernelApcDeliverable(KThread t, int irql) {
    if (!t.kernelApcPending || irql >= Irql.APC_LEVEL || t.specialApcDisable != 0) {
      return false;
    }
    Kapc head = t.kernelApcHead;
    return head != null
        && (head.isSpecial() || (t.kernelApcDisable == 0 && !t.kernelApcInProgress));
  }

  /** KiDeliverApc (kernel part), on the thread's coroutine: runs what NT's rules allow now. */
  void deliverKernel(KThread t) {
    Cpu cpu = kernel.machine().activeCpu();
    int irql = cpu.irql();
    while (kernelApcDeliverable(t, cpu.irql())) {
      Kapc apc = t.kernelApcHead;
      t.kernelApcHead = apc.next;
      apc.next = null;
      apc.inserted = false;
      t.kernelApcPending = t.kernelApcHead != null;
      trace(t, apc);
      cpu.setIrql(Irql.APC_LEVEL);
      if (apc.kernelRoutine != null) {
        apc.kernelRoutine.run(apc);
      }
      cpu = kernel.machine().activeCpu();
      cpu.setIrql(irql);
      if (apc.normalRoutine != null) {
        t.kernelApcInProgress = true;
        try {
          apc.normalRoutine.run(apc.normalContext, apc.systemArgument1, apc.systemArgument2);
        } finally {
          t.kernelApcInProgress = false;
        }
        cpu = kernel.machine().activeCpu();
      }
    }
  }

  /**
   * KeFlushQueueApc(UserMode) at thread exit: takes every queued user APC off the thread and
   * runs its rundown routine, if any, instead of delivering it. Returns how many there were.
   */
  int flushUser(KThread t) {
    int n = 0;
    t.userApcPending = false;
    Kapc apc;
    while ((apc = t.userApcHead) != null) {
      t.userApcHead = apc.next;
      apc.next = null;
      apc.inserted = false;
      if (apc.rundownRoutine != null) {
        apc.rundownRoutine.run(apc);
      }
      n++;
    }
    return n;
  }

  /**
   * KiDeliverApc (user part), on the way back to user mode: runs every queued user APC (ntdll's
   * dispatcher returns to the kernel for the next until none is left). Returns how many ran.
   */
  int deliverUser(KThread t) {
    int n = 0;
    t.userApcPending = false;
    Kapc apc;
    while ((apc = t.userApcHead) != null) {
      t.userApcHead = apc.next;
      apc.next = null;
      apc.inserted = false;
      trace(t, apc);
      if (apc.kernelRoutine != null) {
        apc.kernelRoutine.run(apc);
      }
      if (apc.normalRoutine != null) {
        apc.normalRoutine.run(apc.normalContext, apc.systemArgument1, apc.systemArgument2);
      }
      n++;
    }
    return n;
  }

  private void trace(KThread t, Kapc apc) {
    Cpu cpu = kernel.machine().activeCpu();
    kernel.machine().tracer.emit(cpu.clockNs(), cpu.index, TraceKind.APC_DELIVERED,
        t.uniqueThread, apc.address, apc.mode == Kernel.USER_MODE ? 2 : apc.isSpecial() ? 0 : 1);
  }

  private static Kapc append(Kapc head, Kapc apc) {
    if (head == null) {
      return apc;
    }
    Kapc a = head;
    while (a.next != null) {
      a = a.next;
    }
    a.next = apc;
    return head;
  }

  private static Kapc insertSpecial(Kapc head, Kapc apc) {
    if (head == null || !head.isSpecial()) {
      apc.next = head;
      return apc;
    }
    Kapc a = head;
    while (a.next != null && a.next.isSpecial()) {
      a = a.next;
    }
    apc.next = a.next;
    a.next = apc;
    return head;
  }

  private static Kapc unlink(Kapc head, Kapc apc) {
    if (head == apc) {
      return apc.next;
    }
    for (Kapc a = head; a != null; a = a.next) {
      if (a.next == apc) {
        a.next = apc.next;
        break;
      }
    }
    apc.next = null;
    return head;
  }
}
