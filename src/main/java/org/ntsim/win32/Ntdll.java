package org.ntsim.win32;

import org.ntsim.ke.DispatcherObject;
import org.ntsim.ke.KEvent;
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
public final class Ntdll extends NtdllMemory {
  /** NtCurrentProcess() and NtCurrentThread() pseudo handles. */
  public static final long NtCurrentProcess = -1;
  public static final long NtCurrentThread = -2;

  private final Ntos ntos;
  private final Kernel kernel;
  private final org.ntsim.ke.KeServices ke;
  private final org.ntsim.ob.ObServices ob;

  Ntdll(Ntos ntos) {
    super(ntos);
    this.ntos = ntos;
    this.kernel = ntos.kernel;
    this.ke = ntos.keServices;
    this.ob = ntos.obServices;
  }

  // ------------------------------------------------------------------ system-call frame

  /** Kernel entry: the mode switch and the call's cost; a pending termination ends the thread. */
  void enter() {
    kernel.enterSystemService(-1);
  }

  /**
   * The trap into KiSystemService with the service's number in EAX: the mode switch and the
   * call's cost; a pending termination ends the thread.
   */
  void enter(int service) {
    kernel.enterSystemService(service);
  }

  /** Kernel exit: back to user mode; a termination requested meanwhile ends the thread now. */
  void leave() {
    kernel.exitSystemService();
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

  /** NtClose: see ObServices.NtClose. */
  public int NtClose(long handle) {
    enter(org.ntsim.ob.ObServices.NT_CLOSE);
    try {
      return ob.NtClose(Kernel.USER_MODE, handle);
    } finally {
      leave();
    }
  }

  /** NtYieldExecution: STATUS_SUCCESS if another thread ran, else STATUS_NO_YIELD_PERFORMED. */
  public int NtYieldExecution() {
    enter(org.ntsim.ke.KeServices.NT_YIELD_EXECUTION);
    try {
      return ke.NtYieldExecution(Kernel.USER_MODE);
    } finally {
      leave();
    }
  }

  /** NtDelayExecution: see KeServices.NtDelayExecution. */
  public int NtDelayExecution(boolean alertable, long delayInterval) {
    enter(org.ntsim.ke.KeServices.NT_DELAY_EXECUTION);
    try {
      return ke.NtDelayExecution(Kernel.USER_MODE, alertable, delayInterval);
    } finally {
      leave();
    }
  }


  /** NtWaitForSingleObject: see ObServices.NtWaitForSingleObject. */
  public int NtWaitForSingleObject(long handle, boolean alertable, long timeout) {
    enter(org.ntsim.ob.ObServices.NT_WAIT_FOR_SINGLE_OBJECT);
    try {
      return ob.NtWaitForSingleObject(Kernel.USER_MODE, handle, alertable, timeout);
    } finally {
      leave();
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

  /**
   * NtTerminateProcess. NtCurrentProcess ends the caller's process, the caller last; another
   * process that is already ending or has ended is STATUS_PROCESS_IS_TERMINATING (so
   * TerminateProcess fails with ERROR_ACCESS_DENIED, as Microsoft documents).
   */
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
      if (p.isExiting() && p != currentProcess()) {
        return NtStatus.STATUS_PROCESS_IS_TERMINATING; // already ending or ended
      }
      ntos.ps.terminateProcess(p, exitStatus);
      return NtStatus.STATUS_SUCCESS;
    } finally {
      leave();
    }
  }

  // ================================================================== dispatcher objects (issue 3)
  // Events, mutants, semaphores, timers, multiple-object waits, user APCs, alerts, suspension.
  // Bad pointers: an out-array that is empty (or null where the value is required) is a pointer
  // the service cannot write through; the service returns STATUS_ACCESS_VIOLATION from its probe
  // and changes nothing, as NT's services do.

  /** EVENT_TYPE. */
  public static final int NotificationEvent = 0;
  public static final int SynchronizationEvent = 1;
  /** TIMER_TYPE. */
  public static final int NotificationTimer = 0;
  public static final int SynchronizationTimer = 1;
  /** WAIT_TYPE. */
  public static final int WaitAll = 0;
  public static final int WaitAny = 1;
  public static final int MAXIMUM_WAIT_OBJECTS = 64;
  public static final int GENERIC_ALL = 0x10000000;
  public static final int MAXIMUM_ALLOWED = 0x02000000;

  /** PPS_APC_ROUTINE, the user-mode routine of NtQueueApcThread. */
  @FunctionalInterface
  public interface PsApcRoutine {
    void run(long apcArgument1, long apcArgument2, long apcArgument3);
  }

  private interface ObjectCall<T> {
    int run(T body);
  }

  /** A system service: enter, run, leave (user APCs made pending run on the way out). */
  private int service(java.util.function.IntSupplier body) {
    enter();
    try {
      return body.getAsInt();
    } finally {
      leave();
    }
  }

  /** ObReferenceObjectByHandle, {@code call} on the body, then the reference dropped. */
  private <T> int withObject(long handle, int access, org.ntsim.ob.ObjectType type,
      ObjectCall<T> call) {
    Reference ref = reference(handle, access, type);
    if (!ref.ok()) {
      return ref.status();
    }
    try {
      return call.run(ref.body());
    } finally {
      ntos.ob.dereference(ref.header());
    }
  }

  private static boolean badOptional(Object out) {
    return out != null && java.lang.reflect.Array.getLength(out) < 1;
  }

  private static boolean badRequired(Object out) {
    return out == null || java.lang.reflect.Array.getLength(out) < 1;
  }

  private static void put(int[] out, int value) {
    if (out != null) {
      out[0] = value;
    }
  }

  /** The dispatcher object a handle's body waits on (an ETIMER waits on its KTIMER), or null. */
  static DispatcherObject waitObject(Object body) {
    if (body instanceof DispatcherObject d) {
      return d;
    }
    return body instanceof org.ntsim.ex.ETimer t ? t.timer : null;
  }

  /**
   * An NT timeout (100 ns units; negative relative, positive absolute system time, which counts
   * from boot here; {@code Long.MIN_VALUE} for a null pointer) as the kernel takes it: -1 for
   * none, else relative nanoseconds (0 only tests).
   */
  long timeoutNs(long timeout) {
    if (timeout == Long.MIN_VALUE) {
      return -1;
    }
    if (timeout <= 0) {
      return -timeout * 100;
    }
    return Math.max(0, timeout * 100 - ntos.machine.activeCpu().clockNs());
  }

  /**
   * ObInsertObject for a new synchronisation object made by one of the NtCreate calls: the
   * object is entered under {@code attributes}' name, if any, and the caller gets a handle in
   * its process (ObjectManager.insertObject: STATUS_OBJECT_NAME_EXISTS and a handle to the
   * existing object with OBJ_OPENIF, STATUS_OBJECT_NAME_COLLISION without it,
   * STATUS_OBJECT_TYPE_MISMATCH for a name of another type). When an existing object is opened
   * the new one is deleted. On failure {@code handleOut[0]} keeps the caller's value, as on Vista
   * (Wine's om.c records it as Vista's behaviour; later versions write 0).
   */
  private int insertObject(org.ntsim.ob.ObjectType type, Object body, long address,
      org.ntsim.ob.ObjectAttributes attributes, int desiredAccess, long[] handleOut,
      Runnable deleteProcedure) {
    org.ntsim.ob.ObjectHeader h = ntos.ob.createObject(type, body, address, deleteProcedure);
    if (body instanceof org.ntsim.ex.ETimer t) {
      t.timer.objectHeader = h;
    }
    ObjectManager.HandleResult r = ntos.ob.insertObject(currentProcess().handleTable(), h,
        attributes, desiredAccess);
    if (r.ok()) {
      handleOut[0] = r.handle(); // Vista leaves the caller's value alone on failure
    }
    return r.status();
  }

  /** Whether an object created under {@code attributes} gets a name (and a name-info header). */
  private static boolean named(org.ntsim.ob.ObjectAttributes attributes) {
    return attributes != null && attributes.ObjectName() != null
        && !attributes.ObjectName().isEmpty();
  }

  /**
   * The NtOpen calls of the synchronisation objects: ObOpenObjectByName in the caller's process
   * for an object of {@code type}. STATUS_OBJECT_NAME_NOT_FOUND for a name not there,
   * STATUS_OBJECT_TYPE_MISMATCH for one of another type, STATUS_ACCESS_DENIED for rights the
   * type does not have; on failure {@code handleOut[0]} keeps the caller's value (Vista).
   */
  private int openObject(long[] handleOut, int desiredAccess,
      org.ntsim.ob.ObjectAttributes attributes, org.ntsim.ob.ObjectType type) {
    return service(() -> {
      if (badRequired(handleOut)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      ObjectManager.HandleResult r = ntos.ob.openObjectByName(currentProcess().handleTable(),
          attributes, type, desiredAccess);
      if (r.ok()) {
        handleOut[0] = r.handle(); // Vista leaves the caller's value alone on failure
      }
      return r.status();
    });
  }

  /** NtOpenEvent. */
  public int NtOpenEvent(long[] EventHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    return openObject(EventHandle, DesiredAccess, ObjectAttributes, ntos.syncTypes.event);
  }

  /** NtOpenMutant. */
  public int NtOpenMutant(long[] MutantHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    return openObject(MutantHandle, DesiredAccess, ObjectAttributes, ntos.syncTypes.mutant);
  }

  /** NtOpenSemaphore. */
  public int NtOpenSemaphore(long[] SemaphoreHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    return openObject(SemaphoreHandle, DesiredAccess, ObjectAttributes,
        ntos.syncTypes.semaphore);
  }

  /** NtOpenTimer. */
  public int NtOpenTimer(long[] TimerHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    return openObject(TimerHandle, DesiredAccess, ObjectAttributes, ntos.syncTypes.timer);
  }

  // ------------------------------------------------------------------ events

  /**
   * NtCreateEvent: {@code EventType} NotificationEvent (manual reset) or SynchronizationEvent
   * (auto reset), else STATUS_INVALID_PARAMETER; {@code ObjectAttributes} null or without a name for an unnamed event.
   */
  public int NtCreateEvent(long[] EventHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, int EventType,
      boolean InitialState) {
    return service(() -> {
      if (EventType != NotificationEvent && EventType != SynchronizationEvent) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      if (badRequired(EventHandle)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      long address = ntos.ob.allocateObjectBody(ntos.syncTypes.event,
          org.ntsim.ex.SyncObjectTypes.KEVENT_SIZE, named(ObjectAttributes));
      if (address == 0) {
        return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
      }
      KEvent e = new KEvent(EventType == NotificationEvent, InitialState, address);
      return insertObject(ntos.syncTypes.event, e, address, ObjectAttributes, DesiredAccess,
          EventHandle, null);
    });
  }

  /** NtSetEvent (EVENT_MODIFY_STATE): {@code PreviousState} gets the state before, 0 or 1. */
  public int NtSetEvent(long EventHandle, int[] PreviousState) {
    return eventCall(EventHandle, PreviousState,
        e -> kernel.setEvent(e, KEvent.EVENT_INCREMENT));
  }

  /** NtResetEvent (EVENT_MODIFY_STATE). */
  public int NtResetEvent(long EventHandle, int[] PreviousState) {
    return eventCall(EventHandle, PreviousState, kernel::resetEvent);
  }

  /**
   * NtPulseEvent (EVENT_MODIFY_STATE): releases every waiter of a notification event or one of a
   * synchronization event, and leaves the event reset.
   */
  public int NtPulseEvent(long EventHandle, int[] PreviousState) {
    return eventCall(EventHandle, PreviousState,
        e -> kernel.objects.pulseEvent(e, KEvent.EVENT_INCREMENT));
  }

  private int eventCall(long handle, int[] previousState,
      java.util.function.ToIntFunction<KEvent> op) {
    return service(() -> {
      if (badOptional(previousState)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<KEvent>withObject(handle, org.ntsim.ex.SyncObjectTypes.EVENT_MODIFY_STATE,
          ntos.syncTypes.event, e -> {
            put(previousState, op.applyAsInt(e));
            return NtStatus.STATUS_SUCCESS;
          });
    });
  }

  // ------------------------------------------------------------------ mutants

  /** NtCreateMutant: owned once by the caller when {@code InitialOwner}. */
  public int NtCreateMutant(long[] MutantHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes,
      boolean InitialOwner) {
    return service(() -> {
      if (badRequired(MutantHandle)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      long address = ntos.ob.allocateObjectBody(ntos.syncTypes.mutant,
          org.ntsim.ex.SyncObjectTypes.KMUTANT_SIZE, named(ObjectAttributes));
      if (address == 0) {
        return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
      }
      org.ntsim.ke.KMutant m = kernel.objects.initializeMutant(InitialOwner, false, address);
      return insertObject(ntos.syncTypes.mutant, m, address, ObjectAttributes, DesiredAccess,
          MutantHandle, () -> abandonOnDelete(m));
    });
  }

  /**
   * ExpDeleteMutant: a mutant deleted while owned (its last handle closed by a thread that still
   * owns it) is released as abandoned, so that it leaves its owner's list.
   */
  private void abandonOnDelete(org.ntsim.ke.KMutant m) {
    if (m.owner() != null) {
      kernel.objects.releaseMutant(m, org.ntsim.ke.KMutant.MUTANT_INCREMENT, true, new int[1]);
    }
  }

  /**
   * NtReleaseMutant: no access right is needed (only the owner may release). {@code PreviousCount}
   * gets the count before: 0 when owned once, -1 when twice, ...; a caller that does not own the
   * mutant gets STATUS_MUTANT_NOT_OWNED and nothing changes.
   */
  public int NtReleaseMutant(long MutantHandle, int[] PreviousCount) {
    return service(() -> {
      if (badOptional(PreviousCount)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<org.ntsim.ke.KMutant>withObject(MutantHandle, 0, ntos.syncTypes.mutant, m -> {
        int[] status = new int[1];
        int previous = kernel.objects.releaseMutant(m, org.ntsim.ke.KMutant.MUTANT_INCREMENT,
            false, status);
        if (status[0] == NtStatus.STATUS_SUCCESS) {
          put(PreviousCount, previous);
        }
        return status[0];
      });
    });
  }

  // ------------------------------------------------------------------ semaphores

  /**
   * NtCreateSemaphore: STATUS_INVALID_PARAMETER unless 0 <= InitialCount <= MaximumCount and
   * MaximumCount > 0.
   */
  public int NtCreateSemaphore(long[] SemaphoreHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes,
      int InitialCount, int MaximumCount) {
    return service(() -> {
      if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      if (badRequired(SemaphoreHandle)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      long address = ntos.ob.allocateObjectBody(ntos.syncTypes.semaphore,
          org.ntsim.ex.SyncObjectTypes.KSEMAPHORE_SIZE, named(ObjectAttributes));
      if (address == 0) {
        return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
      }
      org.ntsim.ke.KSemaphore s = new org.ntsim.ke.KSemaphore(InitialCount, MaximumCount, address);
      return insertObject(ntos.syncTypes.semaphore, s, address, ObjectAttributes, DesiredAccess,
          SemaphoreHandle, null);
    });
  }

  /**
   * NtReleaseSemaphore (SEMAPHORE_MODIFY_STATE): STATUS_INVALID_PARAMETER for a count <= 0,
   * STATUS_SEMAPHORE_LIMIT_EXCEEDED (count and {@code PreviousCount} untouched) past the limit.
   */
  public int NtReleaseSemaphore(long SemaphoreHandle, int ReleaseCount, int[] PreviousCount) {
    return service(() -> {
      if (ReleaseCount <= 0) {
        return NtStatus.STATUS_INVALID_PARAMETER;
      }
      if (badOptional(PreviousCount)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<org.ntsim.ke.KSemaphore>withObject(SemaphoreHandle,
          org.ntsim.ex.SyncObjectTypes.SEMAPHORE_MODIFY_STATE, ntos.syncTypes.semaphore, s -> {
            if (kernel.objects.wouldExceedLimit(s, ReleaseCount)) {
              return NtStatus.STATUS_SEMAPHORE_LIMIT_EXCEEDED;
            }
            put(PreviousCount, kernel.objects.releaseSemaphore(s,
                org.ntsim.ke.KSemaphore.SEMAPHORE_INCREMENT, ReleaseCount));
            return NtStatus.STATUS_SUCCESS;
          });
    });
  }

  // ------------------------------------------------------------------ timers

  /** NtCreateTimer: NotificationTimer or SynchronizationTimer, else STATUS_INVALID_PARAMETER_4. */
  public int NtCreateTimer(long[] TimerHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes,
      int TimerType) {
    return service(() -> {
      if (TimerType != NotificationTimer && TimerType != SynchronizationTimer) {
        return NtStatus.STATUS_INVALID_PARAMETER_4;
      }
      if (badRequired(TimerHandle)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      long address = ntos.ob.allocateObjectBody(ntos.syncTypes.timer,
          org.ntsim.ex.SyncObjectTypes.ETIMER_SIZE, named(ObjectAttributes));
      if (address == 0) {
        return NtStatus.STATUS_INSUFFICIENT_RESOURCES; // no pool left
      }
      org.ntsim.ex.ETimer t = new org.ntsim.ex.ETimer(TimerType == NotificationTimer, address);
      t.dpc = kernel.initializeDpc("nt!ExpTimerDpcRoutine", this::timerDpc, t, address + 0x58);
      return insertObject(ntos.syncTypes.timer, t, address, ObjectAttributes, DesiredAccess,
          TimerHandle, () -> cancel(t));
    });
  }

  /**
   * ExpTimerDpcRoutine: queues the completion routine's APC to the thread that set the timer,
   * with the expiry time (100 ns units) as its argument, unless it is still queued.
   */
  private void timerDpc(org.ntsim.ke.Kdpc dpc, Object context, Object a1, Object a2) {
    org.ntsim.ex.ETimer t = (org.ntsim.ex.ETimer) context;
    if (t.apc != null && !t.apc.isInserted()) {
      long now100ns = ntos.machine.activeCpu().clockNs() / 100;
      kernel.objects.insertQueueApc(t.apc, now100ns, null, 0);
    }
  }

  /** KeCancelTimer, with the timer's DPC and APC withdrawn: ETimer.cancel. */
  private boolean cancel(org.ntsim.ex.ETimer t) {
    return t.cancel(kernel);
  }

  /**
   * NtSetTimer (TIMER_MODIFY_STATE): {@code DueTime} in 100 ns units, negative relative, positive
   * absolute; {@code Period} in milliseconds (0 once, negative STATUS_INVALID_PARAMETER_6); an
   * optional completion routine queued as a user APC to the calling thread at each expiry.
   * Resetting a timer cancels it first and leaves it not signalled. {@code PreviousState} gets
   * whether it was signalled. With {@code ResumeTimer} the result is STATUS_TIMER_RESUME_IGNORED
   * (no power management to wake the machine).
   */
  public int NtSetTimer(long TimerHandle, long DueTime, TimerApcProc TimerApcRoutine,
      long TimerContext, boolean ResumeTimer, int Period, boolean[] PreviousState) {
    return service(() -> {
      if (Period < 0) {
        return NtStatus.STATUS_INVALID_PARAMETER_6;
      }
      if (badOptional(PreviousState)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<org.ntsim.ex.ETimer>withObject(TimerHandle,
          org.ntsim.ex.SyncObjectTypes.TIMER_MODIFY_STATE, ntos.syncTypes.timer, t -> {
            boolean previous = t.timer.signalState() != 0;
            cancel(t);
            if (TimerApcRoutine != null) {
              EThread self = currentThread();
              t.associate(new org.ntsim.ke.Kapc(self, "ntdll!TimerApcRoutine", null,
                  (ctx, time, unused) -> {
                    long v = (Long) time;
                    TimerApcRoutine.run(TimerContext, (int) v, (int) (v >>> 32));
                  }, null, Kernel.USER_MODE, t.address + 0x28), self.activeTimers);
            }
            boolean absolute = DueTime > 0;
            long dueNs = absolute ? DueTime * 100 : -DueTime * 100;
            kernel.setTimer(t.timer, dueNs, absolute, Period * 1_000_000L,
                t.apc != null ? t.dpc : null);
            if (PreviousState != null) {
              PreviousState[0] = previous;
            }
            return ResumeTimer ? NtStatus.STATUS_TIMER_RESUME_IGNORED : NtStatus.STATUS_SUCCESS;
          });
    });
  }

  /** NtCancelTimer (TIMER_MODIFY_STATE): the signal state stays; {@code CurrentState} gets it. */
  public int NtCancelTimer(long TimerHandle, boolean[] CurrentState) {
    return service(() -> {
      if (badOptional(CurrentState)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<org.ntsim.ex.ETimer>withObject(TimerHandle,
          org.ntsim.ex.SyncObjectTypes.TIMER_MODIFY_STATE, ntos.syncTypes.timer, t -> {
            cancel(t);
            if (CurrentState != null) {
              CurrentState[0] = t.timer.signalState() != 0;
            }
            return NtStatus.STATUS_SUCCESS;
          });
    });
  }

  // ------------------------------------------------------------------ waits

  /** NtWaitForMultipleObjects: see ObServices.NtWaitForMultipleObjects. */
  public int NtWaitForMultipleObjects(int Count, long[] Handles, int WaitType, boolean Alertable,
      long Timeout) {
    enter(org.ntsim.ob.ObServices.NT_WAIT_FOR_MULTIPLE_OBJECTS);
    try {
      return ob.NtWaitForMultipleObjects(Kernel.USER_MODE, Count, Handles, WaitType, Alertable,
          Timeout);
    } finally {
      leave();
    }
  }



  /** NtSignalAndWaitForSingleObject: see ObServices.NtSignalAndWaitForSingleObject. */
  public int NtSignalAndWaitForSingleObject(long SignalHandle, long WaitHandle, boolean Alertable,
      long Timeout) {
    enter(org.ntsim.ob.ObServices.NT_SIGNAL_AND_WAIT_FOR_SINGLE_OBJECT);
    try {
      return ob.NtSignalAndWaitForSingleObject(Kernel.USER_MODE, SignalHandle, WaitHandle,
          Alertable, Timeout);
    } finally {
      leave();
    }
  }



  // ------------------------------------------------------------------ APCs, alerts, suspension

  /**
   * NtQueueApcThread (THREAD_SET_CONTEXT): queues a user-mode APC that runs
   * {@code ApcRoutine(ApcArgument1, ApcArgument2, ApcArgument3)} when the thread next waits
   * alertably (or calls NtTestAlert); STATUS_UNSUCCESSFUL if the thread has ended.
   */
  public int NtQueueApcThread(long ThreadHandle, PsApcRoutine ApcRoutine, long ApcArgument1,
      long ApcArgument2, long ApcArgument3) {
    return service(() -> this.<EThread>withObject(ThreadHandle,
        org.ntsim.ps.PsConstants.THREAD_SET_CONTEXT, ntos.ps.threadType, t -> {
          if (t.kprocess() == ntos.ps.systemProcess()) {
            return NtStatus.STATUS_INVALID_HANDLE;
          }
          long address = ntos.pool.allocateNonPaged(0x30, "Apc ");
          if (address == 0) {
            return NtStatus.STATUS_NO_MEMORY; // no pool left for the KAPC
          }
          // KeInitializeApc makes an APC without a normal routine a special kernel APC: with a
          // NULL routine nothing reaches user mode, and an alertable wait is not ended by it.
          // Either way the kernel routine frees the KAPC on delivery (PspQueueApcSpecialApc).
          org.ntsim.ke.Kapc apc = ApcRoutine == null
              ? kernel.objects.initializeApc(t, "nt!PspQueueApcSpecialApc",
                  a -> ntos.pool.freePool(a.address), null, null, Kernel.KERNEL_MODE, address)
              : kernel.objects.initializeApc(t, "ntdll!KiUserApcDispatcher",
                  a -> ntos.pool.freePool(a.address),
                  (ctx, a2, a3) -> ApcRoutine.run(ApcArgument1, ApcArgument2, ApcArgument3),
                  null, Kernel.USER_MODE, address);
          apc.rundownRoutine = a -> ntos.pool.freePool(a.address); // queued at thread exit
          if (kernel.objects.insertQueueApc(apc, null, null, 0)) {
            return NtStatus.STATUS_SUCCESS;
          }
          ntos.pool.freePool(address);
          return NtStatus.STATUS_UNSUCCESSFUL;
        }));
  }

  /** NtTestAlert: STATUS_ALERTED if the thread had been alerted (cleared), else STATUS_SUCCESS; queued user APCs run on the way out. */
  public int NtTestAlert() {
    enter(org.ntsim.ke.KeServices.NT_TEST_ALERT);
    try {
      return ke.NtTestAlert(Kernel.USER_MODE);
    } finally {
      leave();
    }
  }

  /**
   * NtAlertThread (THREAD_ALERT): ends the thread's alertable user-mode wait with STATUS_ALERTED,
   * or leaves it alerted for its next one.
   */
  public int NtAlertThread(long ThreadHandle) {
    return service(() -> this.<EThread>withObject(ThreadHandle,
        org.ntsim.ps.PsConstants.THREAD_ALERT, ntos.ps.threadType, t -> {
          kernel.objects.alertThread(t);
          return NtStatus.STATUS_SUCCESS;
        }));
  }

  /**
   * NtSuspendThread (THREAD_SUSPEND_RESUME): {@code PreviousSuspendCount} gets the count before;
   * STATUS_SUSPEND_COUNT_EXCEEDED at MAXIMUM_SUSPEND_COUNT (127), STATUS_THREAD_IS_TERMINATING for
   * a thread that has ended or is ending.
   */
  public int NtSuspendThread(long ThreadHandle, int[] PreviousSuspendCount) {
    return service(() -> {
      if (badOptional(PreviousSuspendCount)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<EThread>withObject(ThreadHandle,
          org.ntsim.ps.PsConstants.THREAD_SUSPEND_RESUME, ntos.ps.threadType, t -> {
            if (t.state() == org.ntsim.ke.ThreadState.TERMINATED || t.terminationRequested()) {
              return NtStatus.STATUS_THREAD_IS_TERMINATING;
            }
            int previous = kernel.objects.suspendThread(t);
            if (previous < 0) {
              return NtStatus.STATUS_SUSPEND_COUNT_EXCEEDED;
            }
            put(PreviousSuspendCount, previous);
            return NtStatus.STATUS_SUCCESS;
          });
    });
  }

  /** NtResumeThread (THREAD_SUSPEND_RESUME): the count before; the thread runs again at 0. */
  public int NtResumeThread(long ThreadHandle, int[] PreviousSuspendCount) {
    return service(() -> {
      if (badOptional(PreviousSuspendCount)) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      return this.<EThread>withObject(ThreadHandle,
          org.ntsim.ps.PsConstants.THREAD_SUSPEND_RESUME, ntos.ps.threadType, t -> {
            put(PreviousSuspendCount, kernel.objects.resumeThread(t));
            return NtStatus.STATUS_SUCCESS;
          });
    });
  }

  // ================================================================== end of dispatcher objects

  // ================================================================== object manager (issue 3)
  // Handles and names: NtDuplicateObject, NtOpenProcess, NtOpenThread, NtCreateDirectoryObject,
  // NtOpenDirectoryObject. An out-array that is empty (or null where required) is a pointer the
  // service cannot write through: STATUS_ACCESS_VIOLATION from its probe, nothing changed.

  /** NtDuplicateObject: see ObServices.NtDuplicateObject. */
  public int NtDuplicateObject(long SourceProcessHandle, long SourceHandle,
      long TargetProcessHandle, long[] TargetHandle, int DesiredAccess, int HandleAttributes,
      int Options) {
    enter(org.ntsim.ob.ObServices.NT_DUPLICATE_OBJECT);
    try {
      return ob.NtDuplicateObject(Kernel.USER_MODE, SourceProcessHandle, SourceHandle,
          TargetProcessHandle, TargetHandle, DesiredAccess, HandleAttributes, Options);
    } finally {
      leave();
    }
  }


  /**
   * NtOpenProcess: a handle to the process {@code ClientId} names (UniqueProcess, and, if given,
   * UniqueThread, which must be one of its threads), or {@code ObjectAttributes}' name, not
   * both (STATUS_INVALID_PARAMETER_MIX); OBJ_INHERIT from the attributes. An unknown process is
   * STATUS_INVALID_PARAMETER (PsLookupProcessByProcessId; ERROR_INVALID_PARAMETER, as
   * OpenProcess documents, also for the Idle process, ID 0, which has no client ID), a thread
   * not in it STATUS_INVALID_CID. An exited process is opened while its object lives. The access
   * check is ObjectManager.accessCheck's; besides, the System process refuses every user-mode
   * opener (STATUS_ACCESS_DENIED, as OpenProcess documents: its DACL admits only LocalSystem).
   */
  public int NtOpenProcess(long[] ProcessHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, ClientId ClientId) {
    enter();
    try {
      if (ProcessHandle == null || ProcessHandle.length < 1 || ObjectAttributes == null) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      ProcessHandle[0] = 0;
      ObjectManager.HandleResult r = openClient(ObjectAttributes, ClientId, DesiredAccess, true);
      ProcessHandle[0] = r.handle();
      return r.status();
    } finally {
      leave();
    }
  }

  /**
   * NtOpenThread: as NtOpenProcess, for the thread {@code ClientId} names (UniqueThread, and, if
   * given, UniqueProcess, which must be its process): an unknown thread is
   * STATUS_INVALID_PARAMETER (PsLookupThreadByThreadId), one not in the given process
   * STATUS_INVALID_CID. Threads of the System process refuse user-mode openers like it.
   */
  public int NtOpenThread(long[] ThreadHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, ClientId ClientId) {
    enter();
    try {
      if (ThreadHandle == null || ThreadHandle.length < 1 || ObjectAttributes == null) {
        return NtStatus.STATUS_ACCESS_VIOLATION;
      }
      ThreadHandle[0] = 0;
      ObjectManager.HandleResult r = openClient(ObjectAttributes, ClientId, DesiredAccess, false);
      ThreadHandle[0] = r.handle();
      return r.status();
    } finally {
      leave();
    }
  }

  private ObjectManager.HandleResult openClient(org.ntsim.ob.ObjectAttributes attributes,
      ClientId cid, int desiredAccess, boolean process) {
    org.ntsim.ob.ObjectType type = process ? ntos.ps.processType : ntos.ps.threadType;
    org.ntsim.ob.HandleTable table = currentProcess().handleTable();
    if ((attributes.ObjectName() != null) == (cid != null)) {
      return new ObjectManager.HandleResult(org.ntsim.ob.ObStatus.STATUS_INVALID_PARAMETER_MIX,
          0);
    }
    if (cid == null) {
      return ntos.ob.openObjectByName(table, attributes, type, desiredAccess);
    }
    // PsLookupProcessThreadByCid when both IDs matter, else PsLookupProcessByProcessId or
    // PsLookupThreadByThreadId, which fail with STATUS_INVALID_PARAMETER.
    boolean byBoth = process ? cid.UniqueThread() != 0 : cid.UniqueProcess() != 0;
    EThread thread = null;
    EProcess owner;
    if (byBoth || !process) {
      thread = ntos.ps.lookupThread(cid.UniqueThread());
      owner = thread == null ? null : thread.process();
      if (byBoth && (owner == null || owner.pid() != cid.UniqueProcess())) {
        return new ObjectManager.HandleResult(org.ntsim.ob.ObStatus.STATUS_INVALID_CID, 0);
      }
    } else {
      owner = ntos.ps.lookupProcess(cid.UniqueProcess());
    }
    if (owner == null) {
      return new ObjectManager.HandleResult(NtStatus.STATUS_INVALID_PARAMETER, 0);
    }
    if (owner == ntos.ps.systemProcess()) {
      return new ObjectManager.HandleResult(NtStatus.STATUS_ACCESS_DENIED, 0);
    }
    return ntos.ob.openObjectByPointer(table, process ? owner.header() : thread.header(),
        attributes.Attributes(), desiredAccess, type);
  }

  /** NtCreateDirectoryObject: see ObServices.NtCreateDirectoryObject. */
  public int NtCreateDirectoryObject(long[] DirectoryHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    enter(org.ntsim.ob.ObServices.NT_CREATE_DIRECTORY_OBJECT);
    try {
      return ob.NtCreateDirectoryObject(Kernel.USER_MODE, DirectoryHandle, DesiredAccess,
          ObjectAttributes);
    } finally {
      leave();
    }
  }

  /** NtOpenDirectoryObject: see ObServices.NtOpenDirectoryObject. */
  public int NtOpenDirectoryObject(long[] DirectoryHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    enter(org.ntsim.ob.ObServices.NT_OPEN_DIRECTORY_OBJECT);
    try {
      return ob.NtOpenDirectoryObject(Kernel.USER_MODE, DirectoryHandle, DesiredAccess,
          ObjectAttributes);
    } finally {
      leave();
    }
  }

  // ================================================================== end of object manager
}
