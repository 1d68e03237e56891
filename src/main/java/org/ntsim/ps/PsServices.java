package org.ntsim.ps;

import org.ntsim.ex.Pool;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.Kapc;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.OutParameter;
import org.ntsim.ke.ServiceTable;
import org.ntsim.ke.ThreadState;
import org.ntsim.ob.ObServices;
import org.ntsim.ob.ObStatus;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ob.ObjectManager.HandleResult;
import org.ntsim.ob.ObjectManager.Reference;
import org.ntsim.ob.ObjectType;

/**
 * The process manager's system services: thread creation and termination, opening processes and
 * threads by client ID, user APCs, alerts, suspension; the information classes are in
 * {@link PsQueryServices} ({@link #query}). Each Nt* method is the body the service dispatcher
 * runs with the caller's previous mode; each Zw* method, for the services ntoskrnl exports as
 * Zw, is the entry for kernel-mode callers, the same body with PreviousMode KernelMode.
 *
 * <p>Handles are referenced through {@link ObServices#referenceObjectByHandle}; out-parameters
 * are probed by {@link OutParameter} (user mode: STATUS_ACCESS_VIOLATION with nothing changed;
 * kernel mode: a bad pointer is a bug check).
 *
 * <p>Left out: security descriptors, NtCreateThreadEx's attribute list beyond the client ID,
 * and user stacks (ZeroBits, StackSize and MaximumStackSize are accepted and ignored).
 */
public final class PsServices {
  public static final int NT_CREATE_THREAD_EX = ServiceTable.number("NtCreateThreadEx");
  public static final int NT_TERMINATE_THREAD = ServiceTable.number("NtTerminateThread");
  public static final int NT_TERMINATE_PROCESS = ServiceTable.number("NtTerminateProcess");
  public static final int NT_OPEN_PROCESS = ServiceTable.number("NtOpenProcess");
  public static final int NT_OPEN_THREAD = ServiceTable.number("NtOpenThread");
  public static final int NT_QUEUE_APC_THREAD = ServiceTable.number("NtQueueApcThread");
  public static final int NT_ALERT_THREAD = ServiceTable.number("NtAlertThread");
  public static final int NT_SUSPEND_THREAD = ServiceTable.number("NtSuspendThread");
  public static final int NT_RESUME_THREAD = ServiceTable.number("NtResumeThread");

  /** NtCreateThreadEx's CreateFlags: the one flag modelled. */
  public static final int THREAD_CREATE_FLAGS_CREATE_SUSPENDED = 0x00000001;
  public static final int PROCESS_CREATE_THREAD = 0x0002;

  private final ProcessManager ps;
  private final Kernel kernel;
  private final ObjectManager ob;
  private final ObServices obServices;
  private final Pool pool;
  private final OutParameter out;
  /** NtQueryInformationThread/Process and NtSetInformationThread/Process (NT's query.c). */
  public final PsQueryServices query;

  public PsServices(ProcessManager ps, ObServices obServices, Pool pool) {
    this.ps = ps;
    this.kernel = ps.kernel();
    this.ob = ps.objectManager();
    this.obServices = obServices;
    this.pool = pool;
    this.out = new OutParameter(kernel);
    this.query = new PsQueryServices(ps, obServices);
  }

  // ------------------------------------------------------------------ creation and termination

  /**
   * NtCreateThreadEx: a thread of the process {@code processHandle} refers to
   * (PROCESS_CREATE_THREAD) at the process's base priority, running
   * {@code startRoutine(argument)} in user mode; its result is the thread's exit status, a NULL
   * routine an access violation in the new thread. With THREAD_CREATE_FLAGS_CREATE_SUSPENDED it
   * starts with a suspend count of 1. {@code threadHandle} gets a handle with
   * {@code desiredAccess}, {@code clientId} (the attribute list's PS_ATTRIBUTE_CLIENT_ID, optional)
   * the new thread's IDs. Another flag is STATUS_INVALID_PARAMETER, a process that is ending
   * STATUS_PROCESS_IS_TERMINATING, no pool for the thread STATUS_INSUFFICIENT_RESOURCES.
   */
  public int NtCreateThreadEx(int previousMode, long[] threadHandle, int desiredAccess,
      ObjectAttributes objectAttributes, long processHandle, UserThreadStartRoutine startRoutine,
      long argument, int createFlags, long zeroBits, long stackSize, long maximumStackSize,
      ClientId[] clientId) {
    if ((createFlags & ~THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return obServices.<EProcess>withObject(previousMode, processHandle,
        PROCESS_CREATE_THREAD, ps.processType, object -> {
      EProcess process = object;
      if (process.isExiting()) {
        return NtStatus.STATUS_PROCESS_IS_TERMINATING;
      }
      int probe = out.probe(previousMode, threadHandle, "ThreadHandle");
      if (probe == NtStatus.STATUS_SUCCESS) {
        probe = out.probeOptional(previousMode, clientId, "ClientId");
      }
      if (probe != NtStatus.STATUS_SUCCESS) {
        return probe;
      }
      // As PspCreateThread does, no normal kernel APC (a suspension, then an exit) may stop the
      // creator between the new thread's creation and its handle: the creator's reference would
      // never be dropped. The new thread may run at once and preempt the creator meanwhile.
      kernel.objects.enterCriticalRegion();
      try {
        return createThread(process, threadHandle, desiredAccess, startRoutine, argument,
            (createFlags & THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0, clientId);
      } finally {
        kernel.objects.leaveCriticalRegion();
      }
    });
  }

  /** PspCreateThread, in NtCreateThreadEx's critical region: the thread, started, its handle. */
  private int createThread(EProcess process, long[] threadHandle, int desiredAccess,
      UserThreadStartRoutine startRoutine, long argument, boolean suspended,
      ClientId[] clientId) {
    EThread t = ps.createThread(process, null, process.imageName() + "!ThreadProc",
        process.basePriority(), 0, false, () -> {
          if (startRoutine == null) {
            throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION,
                "thread start address is NULL");
          }
          return startRoutine.run(argument);
        }, true);
    if (t == null) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    if (suspended) {
      kernel.objects.suspendThread(t); // its suspend APC runs before its start routine
    }
    ps.startThread(t);
    threadHandle[0] = ob.insertHandle(process.handleTable(), t.header(), desiredAccess);
    ob.dereference(t.header());
    if (clientId != null) {
      clientId[0] = new ClientId(process.pid(), t.tid());
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** NtTerminateThread (THREAD_TERMINATE). A null handle (0) or NtCurrentThread ends the caller. */
  public int NtTerminateThread(int previousMode, long threadHandle, int exitStatus) {
    if (threadHandle == 0 || threadHandle == ObServices.NtCurrentThread) {
      ps.exitCurrentThread(exitStatus);
    }
    return obServices.<EThread>withObject(previousMode, threadHandle,
        PsConstants.THREAD_TERMINATE, ps.threadType, object -> {
      ps.terminateThread(object, exitStatus);
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * NtTerminateProcess (PROCESS_TERMINATE). A null handle or NtCurrentProcess ends the caller's
   * process, the caller last; another process that is already ending or has ended is
   * STATUS_PROCESS_IS_TERMINATING (so TerminateProcess fails with ERROR_ACCESS_DENIED, as
   * Microsoft documents).
   */
  public int NtTerminateProcess(int previousMode, long processHandle, int exitStatus) {
    Reference ref = obServices.referenceObjectByHandle(previousMode,
        processHandle == 0 ? ObServices.NtCurrentProcess : processHandle,
        PsConstants.PROCESS_TERMINATE, ps.processType);
    if (!ref.ok()) {
      return ref.status();
    }
    EProcess p = ref.body();
    ob.dereference(ref.header());
    if (p.isExiting() && p != ps.currentProcess()) {
      return NtStatus.STATUS_PROCESS_IS_TERMINATING; // already ending or ended
    }
    ps.terminateProcess(p, exitStatus);
    return NtStatus.STATUS_SUCCESS;
  }

  /** ZwTerminateProcess. */
  public int ZwTerminateProcess(long processHandle, int exitStatus) {
    return kernel.systemCalls().zw(NT_TERMINATE_PROCESS,
        mode -> NtTerminateProcess(mode, processHandle, exitStatus));
  }

  // ------------------------------------------------------------------ opening by client ID

  /**
   * NtOpenProcess: a handle to the process {@code clientId} names (UniqueProcess, and, if given,
   * UniqueThread, which must be one of its threads), or {@code objectAttributes}' name, not
   * both (STATUS_INVALID_PARAMETER_MIX); OBJ_INHERIT from the attributes. An unknown process is
   * STATUS_INVALID_PARAMETER (PsLookupProcessByProcessId; ERROR_INVALID_PARAMETER, as
   * OpenProcess documents, also for the Idle process, ID 0, which has no client ID), a thread
   * not in it STATUS_INVALID_CID. An exited process is opened while its object lives. The access
   * check is ObjectManager.accessCheck's; besides, the System process refuses every user-mode
   * opener (STATUS_ACCESS_DENIED, as OpenProcess documents: its DACL admits only LocalSystem).
   */
  public int NtOpenProcess(int previousMode, long[] processHandle, int desiredAccess,
      ObjectAttributes objectAttributes, ClientId clientId) {
    return open(previousMode, processHandle, desiredAccess, objectAttributes, clientId, true);
  }

  /** ZwOpenProcess. */
  public int ZwOpenProcess(long[] processHandle, int desiredAccess,
      ObjectAttributes objectAttributes, ClientId clientId) {
    return kernel.systemCalls().zw(NT_OPEN_PROCESS,
        mode -> NtOpenProcess(mode, processHandle, desiredAccess, objectAttributes, clientId));
  }

  /**
   * NtOpenThread: as NtOpenProcess, for the thread {@code clientId} names (UniqueThread, and, if
   * given, UniqueProcess, which must be its process): an unknown thread is
   * STATUS_INVALID_PARAMETER (PsLookupThreadByThreadId), one not in the given process
   * STATUS_INVALID_CID. Threads of the System process refuse user-mode openers like it.
   */
  public int NtOpenThread(int previousMode, long[] threadHandle, int desiredAccess,
      ObjectAttributes objectAttributes, ClientId clientId) {
    return open(previousMode, threadHandle, desiredAccess, objectAttributes, clientId, false);
  }

  /** ZwOpenThread. */
  public int ZwOpenThread(long[] threadHandle, int desiredAccess,
      ObjectAttributes objectAttributes, ClientId clientId) {
    return kernel.systemCalls().zw(NT_OPEN_THREAD,
        mode -> NtOpenThread(mode, threadHandle, desiredAccess, objectAttributes, clientId));
  }

  private int open(int previousMode, long[] handleOut, int desiredAccess,
      ObjectAttributes attributes, ClientId clientId, boolean process) {
    int probe = out.probe(previousMode, handleOut, process ? "ProcessHandle" : "ThreadHandle");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    if (attributes == null) {
      return out.probe(previousMode, null, "ObjectAttributes");
    }
    handleOut[0] = 0;
    HandleResult r = openClient(previousMode, attributes, clientId, desiredAccess, process);
    handleOut[0] = r.handle();
    return r.status();
  }

  private HandleResult openClient(int previousMode, ObjectAttributes attributes, ClientId cid,
      int desiredAccess, boolean process) {
    ObjectType type = process ? ps.processType : ps.threadType;
    org.ntsim.ob.HandleTable table = ps.currentHandleTable();
    if ((attributes.ObjectName() != null) == (cid != null)) {
      return new HandleResult(ObStatus.STATUS_INVALID_PARAMETER_MIX, 0);
    }
    if (cid == null) {
      return ob.openObjectByName(table, attributes, type, desiredAccess);
    }
    // PsLookupProcessThreadByCid when both IDs matter, else PsLookupProcessByProcessId or
    // PsLookupThreadByThreadId, which fail with STATUS_INVALID_PARAMETER.
    boolean byBoth = process ? cid.UniqueThread() != 0 : cid.UniqueProcess() != 0;
    EThread thread = null;
    EProcess owner;
    if (byBoth || !process) {
      thread = ps.lookupThread(cid.UniqueThread());
      owner = thread == null ? null : thread.process();
      if (byBoth && (owner == null || owner.pid() != cid.UniqueProcess())) {
        return new HandleResult(ObStatus.STATUS_INVALID_CID, 0);
      }
    } else {
      owner = ps.lookupProcess(cid.UniqueProcess());
    }
    if (owner == null) {
      return new HandleResult(NtStatus.STATUS_INVALID_PARAMETER, 0);
    }
    if (owner == ps.systemProcess() && previousMode == Kernel.USER_MODE) {
      return new HandleResult(NtStatus.STATUS_ACCESS_DENIED, 0);
    }
    return ob.openObjectByPointer(table, process ? owner.header() : thread.header(),
        attributes.Attributes(), desiredAccess, type);
  }

  // ------------------------------------------------------------------ APCs, alerts, suspension

  /**
   * NtQueueApcThread (THREAD_SET_CONTEXT): queues a user-mode APC that runs
   * {@code apcRoutine(apcArgument1, apcArgument2, apcArgument3)} when the thread next waits
   * alertably (or calls NtTestAlert); STATUS_UNSUCCESSFUL if the thread has ended,
   * STATUS_INVALID_HANDLE for a thread of the System process, STATUS_NO_MEMORY without pool for
   * the KAPC.
   */
  public int NtQueueApcThread(int previousMode, long threadHandle, PsApcRoutine apcRoutine,
      long apcArgument1, long apcArgument2, long apcArgument3) {
    return obServices.<EThread>withObject(previousMode, threadHandle,
        PsConstants.THREAD_SET_CONTEXT, ps.threadType, object -> {
      EThread t = object;
      if (t.kprocess() == ps.systemProcess()) {
        return NtStatus.STATUS_INVALID_HANDLE;
      }
      long address = pool.allocateNonPaged(0x30, "Apc ");
      if (address == 0) {
        return NtStatus.STATUS_NO_MEMORY; // no pool left for the KAPC
      }
      // KeInitializeApc makes an APC without a normal routine a special kernel APC: with a
      // NULL routine nothing reaches user mode, and an alertable wait is not ended by it.
      // Either way the kernel routine frees the KAPC on delivery (PspQueueApcSpecialApc).
      Kapc apc = apcRoutine == null
          ? kernel.objects.initializeApc(t, "nt!PspQueueApcSpecialApc",
              a -> pool.freePool(a.address), null, null, Kernel.KERNEL_MODE, address)
          : kernel.objects.initializeApc(t, "ntdll!KiUserApcDispatcher",
              a -> pool.freePool(a.address),
              (ctx, a2, a3) -> apcRoutine.run(apcArgument1, apcArgument2, apcArgument3),
              null, Kernel.USER_MODE, address);
      apc.rundownRoutine = a -> pool.freePool(a.address); // queued at thread exit
      if (kernel.objects.insertQueueApc(apc, null, null, 0)) {
        return NtStatus.STATUS_SUCCESS;
      }
      pool.freePool(address);
      return NtStatus.STATUS_UNSUCCESSFUL;
    });
  }

  /**
   * NtAlertThread (THREAD_ALERT): ends the thread's alertable user-mode wait with STATUS_ALERTED,
   * or leaves it alerted for its next one.
   */
  public int NtAlertThread(int previousMode, long threadHandle) {
    return obServices.<EThread>withObject(previousMode, threadHandle,
        PsConstants.THREAD_ALERT, ps.threadType, object -> {
      kernel.objects.alertThread(object);
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * NtSuspendThread (THREAD_SUSPEND_RESUME): {@code previousSuspendCount} (optional) gets the
   * count before; STATUS_SUSPEND_COUNT_EXCEEDED at MAXIMUM_SUSPEND_COUNT (127),
   * STATUS_THREAD_IS_TERMINATING for a thread that has ended or is ending.
   */
  public int NtSuspendThread(int previousMode, long threadHandle, int[] previousSuspendCount) {
    int probe = out.probeOptional(previousMode, previousSuspendCount, "PreviousSuspendCount");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return obServices.<EThread>withObject(previousMode, threadHandle,
        PsConstants.THREAD_SUSPEND_RESUME, ps.threadType, object -> {
      EThread t = object;
      if (t.state() == ThreadState.TERMINATED || t.terminationRequested()) {
        return NtStatus.STATUS_THREAD_IS_TERMINATING;
      }
      int previous = kernel.objects.suspendThread(t);
      if (previous < 0) {
        return NtStatus.STATUS_SUSPEND_COUNT_EXCEEDED;
      }
      if (previousSuspendCount != null) {
        previousSuspendCount[0] = previous;
      }
      return NtStatus.STATUS_SUCCESS;
    });
  }

  /**
   * NtResumeThread (THREAD_SUSPEND_RESUME): {@code previousSuspendCount} (optional) gets the count
   * before; the thread runs again at 0.
   */
  public int NtResumeThread(int previousMode, long threadHandle, int[] previousSuspendCount) {
    int probe = out.probeOptional(previousMode, previousSuspendCount, "PreviousSuspendCount");
    if (probe != NtStatus.STATUS_SUCCESS) {
      return probe;
    }
    return obServices.<EThread>withObject(previousMode, threadHandle,
        PsConstants.THREAD_SUSPEND_RESUME, ps.threadType, object -> {
      int previous = kernel.objects.resumeThread(object);
      if (previousSuspendCount != null) {
        previousSuspendCount[0] = previous;
      }
      return NtStatus.STATUS_SUCCESS;
    });
  }
}
