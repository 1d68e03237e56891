package org.ntsim.ke;

import java.util.function.IntUnaryOperator;
import org.ntsim.hal.Checks;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.TimeCategory;
import org.ntsim.trace.TraceKind;

/**
 * KiSystemService and KiServiceExit: the trap into a system service and the way back, from user
 * mode (ntdll's stubs) and from kernel mode (the Zw* routines). The trap sets KTHREAD.PreviousMode
 * to the mode the call came from and records the service the thread is in (its number in the
 * {@link ServiceTable}); the service's body, in its component, takes the previous mode and
 * decides what to trust by it. Each trap is charged one system call.
 *
 * <p>Invariants: a thread is in at most one service from user mode at a time; a kernel-mode call
 * nests inside it and gives back the caller's previous mode and service on its way out. Entry and
 * exit read the thread straight from the running coroutine, which is the current thread of the
 * active processor whenever guest or service code runs (the invariant check holds it to that).
 *
 * <p>With a recording trace each entry and exit is annotated ({@link TraceKind#SERVICE}), for the
 * exporters; annotations are not part of the digest.
 *
 * <p>Left out: the trap frame, the argument table (arguments are Java parameters), and the
 * shadow table of win32k.
 */
public final class SystemCalls {
  private final Kernel kernel;
  private final Machine machine;
  private final boolean annotating;

  SystemCalls(Kernel kernel) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.annotating = machine.tracer.isRecording();
    if (annotating) {
      machine.tracer.nameServices(ServiceTable.names());
    }
  }

  /**
   * KiSystemService's entry from user mode, on the calling thread's coroutine: a termination
   * requested before the call ends the thread here; otherwise the thread enters kernel mode with
   * PreviousMode UserMode in service {@code service}, and is charged the call.
   */
  public void enterFromUserMode(int service) {
    KThread self = kernel.runningCoroutine;
    if (self == null) {
      throw new IllegalStateException("a system call outside a guest thread");
    }
    if (Checks.INVARIANTS) {
      kernel.checkRunningCoroutineIsCurrent(self);
    }
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
    self.inKernel = true;
    self.previousMode = Kernel.USER_MODE;
    self.service = service;
    Cpu cpu = machine.activeCpu();
    if (annotating) {
      machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
          service, 1);
    }
    cpu.setCategory(TimeCategory.KERNEL);
    kernel.spendOnThread(cpu, machine.cost.systemCallNs, null);
  }

  /**
   * KiServiceExit to user mode: back to user mode; a termination requested during the call ends
   * the thread now, and user APCs made deliverable run (KiDeliverApc for user mode).
   */
  public void exitToUserMode() {
    KThread self = kernel.runningCoroutine;
    if (Checks.INVARIANTS) {
      kernel.checkRunningCoroutineIsCurrent(self);
    }
    Cpu cpu = machine.activeCpu();
    if (annotating) {
      machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
          self.service, 0);
    }
    self.inKernel = false;
    self.service = -1;
    cpu.setCategory(TimeCategory.USER);
    if (self.terminationRequested) {
      throw new ThreadExitSignal();
    }
    if (self.userApcPending) {
      kernel.apcs.deliverUser(self);
    }
  }

  /**
   * KiSystemService entered from kernel mode, as a Zw* routine does: the service runs with
   * PreviousMode KernelMode, so that it trusts its arguments and may use kernel handles. The
   * caller is kernel code on a thread at PASSIVE_LEVEL or APC_LEVEL (a system thread, a driver in
   * a thread's context, a service calling another). From an ISR or a DPC, or at DISPATCH_LEVEL or
   * above, it is a bug check (IRQL_NOT_LESS_OR_EQUAL), as a system service there would be in NT.
   * Guest code in user mode cannot reach the kernel's Zw* routines (they live at kernel
   * addresses): it gets an access violation. Charged as a system call. Returns the caller's
   * previous mode and service, for {@link #exitToKernelMode(int)}.
   */
  public int enterFromKernelMode(int service) {
    KThread self = kernel.runningCoroutine;
    int irql = machine.activeCpu().irql();
    if (self == null || irql > Irql.APC_LEVEL) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, irql, 0, 0,
          "system service " + ServiceTable.nameOf(service) + " called at IRQL " + irql
              + (self == null ? " outside a thread" : ""));
    }
    if (!self.inKernel) {
      throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION,
          "user-mode code called the kernel routine " + ServiceTable.zwNameOf(service));
    }
    int saved = (self.previousMode << 16) | (self.service & 0xFFFF);
    self.previousMode = Kernel.KERNEL_MODE;
    self.service = service;
    Cpu cpu = machine.activeCpu();
    if (annotating) {
      machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
          service, 2);
    }
    kernel.spendOnThread(cpu, machine.cost.systemCallNs, null);
    return saved;
  }

  /**
   * KiServiceExit back to kernel mode: the caller's previous mode and service come back; no user
   * APC is delivered and a pending termination waits for the thread's return to user mode.
   */
  public void exitToKernelMode(int saved) {
    KThread self = kernel.runningCoroutine;
    Cpu cpu = machine.activeCpu();
    if (annotating) {
      machine.tracer.annotate(cpu.clockNs(), cpu.index, TraceKind.SERVICE, self.uniqueThread,
          self.service, 0);
    }
    self.previousMode = saved >>> 16;
    int service = saved & 0xFFFF;
    self.service = service == 0xFFFF ? -1 : service;
  }

  /**
   * A Zw* routine: service {@code service}'s body, given PreviousMode KernelMode, between
   * {@link #enterFromKernelMode} and {@link #exitToKernelMode}.
   */
  public int zw(int service, IntUnaryOperator body) {
    int saved = enterFromKernelMode(service);
    try {
      return body.applyAsInt(Kernel.KERNEL_MODE);
    } finally {
      exitToKernelMode(saved);
    }
  }
}
