package org.ntsim.win32;

import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.WaitReason;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.ObjectManager.Reference;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;

/**
 * The native API (ntdll's system-call stubs) that the Win32 facade is built on. Calls return
 * NTSTATUS values named as in ntstatus.h; handles are {@code long}; times are NT intervals in
 * 100 ns units, negative for relative.
 */
public final class Ntdll {
  /** NtCurrentProcess() and NtCurrentThread() pseudo handles. */
  public static final long NtCurrentProcess = -1;
  public static final long NtCurrentThread = -2;

  private final Ntos ntos;
  private final Kernel kernel;

  Ntdll(Ntos ntos) {
    this.ntos = ntos;
    this.kernel = ntos.kernel;
  }

  // ------------------------------------------------------------------ system-call frame

  /** Kernel entry: the mode switch and the call's cost; a pending termination ends the thread. */
  void enter() {
    if (!kernel.inThreadContext()) {
      throw new IllegalStateException("a system call outside a guest thread");
    }
    kernel.testTermination();
    kernel.setKernelMode(true);
    kernel.spend(ntos.machine.cost.systemCallNs);
  }

  /** Kernel exit: back to user mode; a termination requested meanwhile ends the thread now. */
  void leave() {
    kernel.setKernelMode(false);
    kernel.testTermination();
    kernel.objects.deliverUserApcs();
  }

  EThread currentThread() {
    return ntos.ps.currentThread();
  }

  EProcess currentProcess() {
    return ntos.ps.currentProcess();
  }

  /**
   * ObReferenceObjectByHandle in the current process, with the pseudo handles for the current
   * process and thread (full access).
   */
  Reference reference(long handle, int desiredAccess, org.ntsim.ob.ObjectType type) {
    if (handle == NtCurrentThread || handle == NtCurrentProcess) {
      Object body = handle == NtCurrentThread ? currentThread() : currentProcess();
      org.ntsim.ob.ObjectHeader h = ObjectManager.headerOf(body);
      if (type != null && h.type != type) {
        return new Reference(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, null);
      }
      ntos.ob.reference(h);
      return new Reference(NtStatus.STATUS_SUCCESS, h);
    }
    return ntos.ob.referenceByHandle(currentProcess().handleTable(), handle, desiredAccess, type);
  }

  // ------------------------------------------------------------------ calls

  /** NtClose. */
  public int NtClose(long handle) {
    enter();
    try {
      if (handle == NtCurrentThread || handle == NtCurrentProcess) {
        return NtStatus.STATUS_SUCCESS;
      }
      return ntos.ob.close(currentProcess().handleTable(), handle);
    } finally {
      leave();
    }
  }

  /** NtYieldExecution: STATUS_SUCCESS if another thread ran, else STATUS_NO_YIELD_PERFORMED. */
  public int NtYieldExecution() {
    enter();
    try {
      return kernel.yieldExecution() ? NtStatus.STATUS_SUCCESS
          : NtStatus.STATUS_NO_YIELD_PERFORMED;
    } finally {
      leave();
    }
  }

  /**
   * NtDelayExecution: {@code delayInterval} in 100 ns units, negative for relative (the only
   * form modelled here); Long.MIN_VALUE waits forever.
   */
  public int NtDelayExecution(boolean alertable, long delayInterval) {
    enter();
    try {
      return delay(alertable, delayInterval);
    } finally {
      leave();
    }
  }

  int delay(boolean alertable, long delayInterval) {
    long ns;
    if (delayInterval == Long.MIN_VALUE) {
      ns = Long.MAX_VALUE / 4;
    } else if (delayInterval <= 0) {
      ns = -delayInterval * 100;
    } else {
      ns = Math.max(0, delayInterval * 100 - ntos.machine.activeCpu().clockNs());
      if (ns == 0) {
        ns = 1;
      }
    }
    return kernel.delayExecution(Kernel.USER_MODE, alertable, ns);
  }

  /**
   * NtWaitForSingleObject: {@code timeout} in 100 ns units (negative relative), null pointer
   * (here {@code Long.MIN_VALUE}) for none. Needs SYNCHRONIZE.
   */
  public int NtWaitForSingleObject(long handle, boolean alertable, long timeout) {
    enter();
    try {
      return waitOne(handle, alertable, timeout == Long.MIN_VALUE ? -1 : -timeout * 100);
    } finally {
      leave();
    }
  }

  /** The wait behind WaitForSingleObject: timeoutNs < 0 is infinite. */
  int waitOne(long handle, boolean alertable, long timeoutNs) {
    Reference ref = reference(handle, ObjectManager.SYNCHRONIZE, null);
    if (!ref.ok()) {
      return ref.status();
    }
    try {
      if (!(ref.header().body instanceof DispatcherObject object)) {
        return NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
      }
      return kernel.waitForSingleObject(object, WaitReason.USER_REQUEST, Kernel.USER_MODE,
          alertable, timeoutNs);
    } finally {
      ntos.ob.dereference(ref.header());
    }
  }

  /** NtTerminateThread. A null handle (0) or NtCurrentThread ends the caller. */
  public int NtTerminateThread(long handle, int exitStatus) {
    enter();
    try {
      if (handle == 0 || handle == NtCurrentThread) {
        ntos.ps.exitCurrentThread(exitStatus);
      }
      Reference ref = reference(handle, org.ntsim.ps.PsConstants.THREAD_TERMINATE,
          ntos.ps.threadType);
      if (!ref.ok()) {
        return ref.status();
      }
      try {
        ntos.ps.terminateThread(ref.body(), exitStatus);
        return NtStatus.STATUS_SUCCESS;
      } finally {
        ntos.ob.dereference(ref.header());
      }
    } finally {
      leave();
    }
  }

  /** NtTerminateProcess. NtCurrentProcess ends the caller's process, the caller last. */
  public int NtTerminateProcess(long handle, int exitStatus) {
    enter();
    try {
      Reference ref = reference(handle == 0 ? NtCurrentProcess : handle,
          org.ntsim.ps.PsConstants.PROCESS_TERMINATE, ntos.ps.processType);
      if (!ref.ok()) {
        return ref.status();
      }
      EProcess p = ref.body();
      ntos.ob.dereference(ref.header());
      ntos.ps.terminateProcess(p, exitStatus);
      return NtStatus.STATUS_SUCCESS;
    } finally {
      leave();
    }
  }
}
