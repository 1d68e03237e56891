package org.ntsim.win32;

import org.ntsim.ke.Kernel;
import org.ntsim.ps.ClientId;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.PsServices;

/**
 * The native API (ntdll's system-call stubs) that the Win32 facade is built on. Calls return
 * NTSTATUS values named as in ntstatus.h; handles are {@code long}; times are NT intervals in
 * 100 ns units, negative for relative.
 */
public final class Ntdll extends NtdllSync {
  /** NtCurrentProcess() and NtCurrentThread() pseudo handles. */
  public static final long NtCurrentProcess = -1;
  public static final long NtCurrentThread = -2;

  private final Ntos ntos;
  private final Kernel kernel;
  private final org.ntsim.init.SystemServices services;
  private final org.ntsim.ke.KeServices ke;
  private final org.ntsim.ob.ObServices ob;
  private final org.ntsim.ex.sync.SyncServices sync;
  private final PsServices ps;

  Ntdll(Ntos ntos) {
    super(ntos);
    this.ntos = ntos;
    this.kernel = ntos.kernel;
    this.services = ntos.services;
    this.ke = ntos.keServices;
    this.ob = ntos.obServices;
    this.sync = ntos.syncServices;
    this.ps = ntos.psServices;
  }

  // ------------------------------------------------------------------ system-call frame

  /**
   * The trap into KiSystemService with the service's number in EAX: the mode switch and the
   * call's cost; a pending termination ends the thread.
   */
  void enter(int service) {
    services.trap(service);
  }

  /** Kernel exit: back to user mode; a termination requested meanwhile ends the thread now. */
  void leave() {
    services.ret();
  }

  EThread currentThread() {
    return ntos.ps.currentThread();
  }

  EProcess currentProcess() {
    return ntos.ps.currentProcess();
  }

  // ------------------------------------------------------------------ console

  /**
   * CsrClientCallServer with the WriteConsole request: hands {@code text} to the console server
   * for the console object {@code handle} names, and returns its status. Not a system call: on
   * Vista this is an LPC request to csrss (NtRequestWaitReplyPort on its API port), which ntsim
   * does not model, so the console is a host-side device ({@link ConsoleServer}) reached without
   * a trap and at no simulated cost.
   */
  int CsrWriteConsole(long handle, CharSequence text) {
    return ntos.console.writeConsole(currentProcess(), currentThread(), handle, text);
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

  /** NtTerminateThread: see PsServices.NtTerminateThread. */
  public int NtTerminateThread(long handle, int exitStatus) {
    enter(PsServices.NT_TERMINATE_THREAD);
    try {
      return ps.NtTerminateThread(Kernel.USER_MODE, handle, exitStatus);
    } finally {
      leave();
    }
  }

  /** NtTerminateProcess: see PsServices.NtTerminateProcess. */
  public int NtTerminateProcess(long handle, int exitStatus) {
    enter(PsServices.NT_TERMINATE_PROCESS);
    try {
      return ps.NtTerminateProcess(Kernel.USER_MODE, handle, exitStatus);
    } finally {
      leave();
    }
  }

  // ------------------------------------------------------------------ threads and processes

  /** NtCreateThreadEx: see PsServices.NtCreateThreadEx. */
  public int NtCreateThreadEx(long[] ThreadHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, long ProcessHandle,
      org.ntsim.ps.UserThreadStartRoutine StartRoutine, long Argument, int CreateFlags,
      long ZeroBits, long StackSize, long MaximumStackSize, ClientId[] ClientId) {
    enter(PsServices.NT_CREATE_THREAD_EX);
    try {
      return ps.NtCreateThreadEx(Kernel.USER_MODE, ThreadHandle, DesiredAccess, ObjectAttributes,
          ProcessHandle, StartRoutine, Argument, CreateFlags, ZeroBits, StackSize,
          MaximumStackSize, ClientId);
    } finally {
      leave();
    }
  }

  /** NtQueryInformationThread: see PsQueryServices.NtQueryInformationThread. */
  public int NtQueryInformationThread(long ThreadHandle, int ThreadInformationClass,
      Object ThreadInformation, int ThreadInformationLength, int[] ReturnLength) {
    enter(org.ntsim.ps.PsQueryServices.NT_QUERY_INFORMATION_THREAD);
    try {
      return ps.query.NtQueryInformationThread(Kernel.USER_MODE, ThreadHandle,
          ThreadInformationClass, ThreadInformation, ThreadInformationLength, ReturnLength);
    } finally {
      leave();
    }
  }

  /** NtSetInformationThread: see PsQueryServices.NtSetInformationThread. */
  public int NtSetInformationThread(long ThreadHandle, int ThreadInformationClass,
      Object ThreadInformation, int ThreadInformationLength) {
    enter(org.ntsim.ps.PsQueryServices.NT_SET_INFORMATION_THREAD);
    try {
      return ps.query.NtSetInformationThread(Kernel.USER_MODE, ThreadHandle,
          ThreadInformationClass, ThreadInformation, ThreadInformationLength);
    } finally {
      leave();
    }
  }

  /**
   * SetThreadAffinityMask's kernel work in one trap (NtSetInformationThread's): see
   * PsQueryServices.setAffinityReturningPrevious.
   */
  int setThreadAffinity(long threadHandle, long mask, long[] previous) {
    enter(org.ntsim.ps.PsQueryServices.NT_SET_INFORMATION_THREAD);
    try {
      return ps.query.setAffinityReturningPrevious(Kernel.USER_MODE, threadHandle, mask,
          previous);
    } finally {
      leave();
    }
  }

  /** NtQueryInformationProcess: see PsQueryServices.NtQueryInformationProcess. */
  public int NtQueryInformationProcess(long ProcessHandle, int ProcessInformationClass,
      Object ProcessInformation, int ProcessInformationLength, int[] ReturnLength) {
    enter(org.ntsim.ps.PsQueryServices.NT_QUERY_INFORMATION_PROCESS);
    try {
      return ps.query.NtQueryInformationProcess(Kernel.USER_MODE, ProcessHandle,
          ProcessInformationClass, ProcessInformation, ProcessInformationLength, ReturnLength);
    } finally {
      leave();
    }
  }

  /** NtSetInformationProcess: see PsQueryServices.NtSetInformationProcess. */
  public int NtSetInformationProcess(long ProcessHandle, int ProcessInformationClass,
      Object ProcessInformation, int ProcessInformationLength) {
    enter(org.ntsim.ps.PsQueryServices.NT_SET_INFORMATION_PROCESS);
    try {
      return ps.query.NtSetInformationProcess(Kernel.USER_MODE, ProcessHandle,
          ProcessInformationClass, ProcessInformation, ProcessInformationLength);
    } finally {
      leave();
    }
  }

  /**
   * NtSetInformationProcess / NtSetInformationThread for background processing mode: see
   * PsQueryServices.setProcessBackgroundMode and setThreadBackgroundMode.
   */
  int setBackgroundMode(long handle, boolean thread, boolean begin, boolean[] changed) {
    enter(thread ? org.ntsim.ps.PsQueryServices.NT_SET_INFORMATION_THREAD
        : org.ntsim.ps.PsQueryServices.NT_SET_INFORMATION_PROCESS);
    try {
      return thread
          ? ps.query.setThreadBackgroundMode(Kernel.USER_MODE, handle, begin, changed)
          : ps.query.setProcessBackgroundMode(Kernel.USER_MODE, handle, begin, changed);
    } finally {
      leave();
    }
  }

  // ------------------------------------------------------------------ the TEB: no system call

  /** TEB.ClientId.UniqueThread of the calling thread. */
  long currentThreadId() {
    return currentThread().tid();
  }

  /** TEB.ClientId.UniqueProcess of the calling thread. */
  long currentProcessId() {
    return currentProcess().pid();
  }

  /** The PEB's ProcessParameters->CommandLine. */
  String currentCommandLine() {
    return currentProcess().commandLine();
  }

  /** NtCurrentTeb: the calling thread's TEB (fs:[0x18], NtTib.Self, on x86); 0 if it has none. */
  public long NtCurrentTeb() {
    return currentThread().tebAddress();
  }

  /** RtlGetLastWin32Error: TEB.LastErrorValue. */
  int RtlGetLastWin32Error() {
    return currentThread().lastError;
  }

  /** RtlSetLastWin32Error. */
  void RtlSetLastWin32Error(int error) {
    currentThread().lastError = error;
  }

  /** RtlGetCurrentProcessorNumber: the processor the caller runs on. */
  int RtlGetCurrentProcessorNumber() {
    return ntos.machine.activeCpu().index;
  }

  /** The guest's own instructions: {@code instructions} of user-mode CPU time, no trap. */
  void compute(long instructions) {
    kernel.spendGuestInstructions(instructions);
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


  /** NtOpenEvent: see SyncServices.NtOpenEvent. */
  public int NtOpenEvent(long[] EventHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    enter(org.ntsim.ex.sync.SyncServices.NT_OPEN_EVENT);
    try {
      return sync.NtOpenEvent(Kernel.USER_MODE, EventHandle, DesiredAccess, ObjectAttributes);
    } finally {
      leave();
    }
  }

  /** NtOpenMutant: see SyncServices.NtOpenMutant. */
  public int NtOpenMutant(long[] MutantHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    enter(org.ntsim.ex.sync.SyncServices.NT_OPEN_MUTANT);
    try {
      return sync.NtOpenMutant(Kernel.USER_MODE, MutantHandle, DesiredAccess, ObjectAttributes);
    } finally {
      leave();
    }
  }

  /** NtOpenSemaphore: see SyncServices.NtOpenSemaphore. */
  public int NtOpenSemaphore(long[] SemaphoreHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    enter(org.ntsim.ex.sync.SyncServices.NT_OPEN_SEMAPHORE);
    try {
      return sync.NtOpenSemaphore(Kernel.USER_MODE, SemaphoreHandle, DesiredAccess, ObjectAttributes);
    } finally {
      leave();
    }
  }

  /** NtOpenTimer: see SyncServices.NtOpenTimer. */
  public int NtOpenTimer(long[] TimerHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes) {
    enter(org.ntsim.ex.sync.SyncServices.NT_OPEN_TIMER);
    try {
      return sync.NtOpenTimer(Kernel.USER_MODE, TimerHandle, DesiredAccess, ObjectAttributes);
    } finally {
      leave();
    }
  }

  // ------------------------------------------------------------------ events

  /** NtCreateEvent: see SyncServices.NtCreateEvent. */
  public int NtCreateEvent(long[] EventHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, int EventType, boolean InitialState) {
    enter(org.ntsim.ex.sync.SyncServices.NT_CREATE_EVENT);
    try {
      return sync.NtCreateEvent(Kernel.USER_MODE, EventHandle, DesiredAccess, ObjectAttributes,
          EventType, InitialState);
    } finally {
      leave();
    }
  }

  /** NtSetEvent: see SyncServices.NtSetEvent. */
  public int NtSetEvent(long EventHandle, int[] PreviousState) {
    enter(org.ntsim.ex.sync.SyncServices.NT_SET_EVENT);
    try {
      return sync.NtSetEvent(Kernel.USER_MODE, EventHandle, PreviousState);
    } finally {
      leave();
    }
  }

  /** NtResetEvent: see SyncServices.NtResetEvent. */
  public int NtResetEvent(long EventHandle, int[] PreviousState) {
    enter(org.ntsim.ex.sync.SyncServices.NT_RESET_EVENT);
    try {
      return sync.NtResetEvent(Kernel.USER_MODE, EventHandle, PreviousState);
    } finally {
      leave();
    }
  }

  /** NtPulseEvent: see SyncServices.NtPulseEvent. */
  public int NtPulseEvent(long EventHandle, int[] PreviousState) {
    enter(org.ntsim.ex.sync.SyncServices.NT_PULSE_EVENT);
    try {
      return sync.NtPulseEvent(Kernel.USER_MODE, EventHandle, PreviousState);
    } finally {
      leave();
    }
  }

  // ------------------------------------------------------------------ mutants

  /** NtCreateMutant: see SyncServices.NtCreateMutant. */
  public int NtCreateMutant(long[] MutantHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, boolean InitialOwner) {
    enter(org.ntsim.ex.sync.SyncServices.NT_CREATE_MUTANT);
    try {
      return sync.NtCreateMutant(Kernel.USER_MODE, MutantHandle, DesiredAccess, ObjectAttributes,
          InitialOwner);
    } finally {
      leave();
    }
  }

  /** NtReleaseMutant: see SyncServices.NtReleaseMutant. */
  public int NtReleaseMutant(long MutantHandle, int[] PreviousCount) {
    enter(org.ntsim.ex.sync.SyncServices.NT_RELEASE_MUTANT);
    try {
      return sync.NtReleaseMutant(Kernel.USER_MODE, MutantHandle, PreviousCount);
    } finally {
      leave();
    }
  }

  // ------------------------------------------------------------------ semaphores

  /** NtCreateSemaphore: see SyncServices.NtCreateSemaphore. */
  public int NtCreateSemaphore(long[] SemaphoreHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, int InitialCount, int MaximumCount) {
    enter(org.ntsim.ex.sync.SyncServices.NT_CREATE_SEMAPHORE);
    try {
      return sync.NtCreateSemaphore(Kernel.USER_MODE, SemaphoreHandle, DesiredAccess,
          ObjectAttributes, InitialCount, MaximumCount);
    } finally {
      leave();
    }
  }

  /** NtReleaseSemaphore: see SyncServices.NtReleaseSemaphore. */
  public int NtReleaseSemaphore(long SemaphoreHandle, int ReleaseCount, int[] PreviousCount) {
    enter(org.ntsim.ex.sync.SyncServices.NT_RELEASE_SEMAPHORE);
    try {
      return sync.NtReleaseSemaphore(Kernel.USER_MODE, SemaphoreHandle, ReleaseCount,
          PreviousCount);
    } finally {
      leave();
    }
  }

  // ------------------------------------------------------------------ timers

  /** NtCreateTimer: see SyncServices.NtCreateTimer. */
  public int NtCreateTimer(long[] TimerHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, int TimerType) {
    enter(org.ntsim.ex.sync.SyncServices.NT_CREATE_TIMER);
    try {
      return sync.NtCreateTimer(Kernel.USER_MODE, TimerHandle, DesiredAccess, ObjectAttributes,
          TimerType);
    } finally {
      leave();
    }
  }

  /** NtSetTimer: see SyncServices.NtSetTimer. */
  public int NtSetTimer(long TimerHandle, long DueTime, TimerApcProc TimerApcRoutine,
      long TimerContext, boolean ResumeTimer, int Period, boolean[] PreviousState) {
    enter(org.ntsim.ex.sync.SyncServices.NT_SET_TIMER);
    try {
      return sync.NtSetTimer(Kernel.USER_MODE, TimerHandle, DueTime,
          TimerApcRoutine == null ? null : TimerApcRoutine::run, TimerContext, ResumeTimer,
          Period, PreviousState);
    } finally {
      leave();
    }
  }

  /** NtCancelTimer: see SyncServices.NtCancelTimer. */
  public int NtCancelTimer(long TimerHandle, boolean[] CurrentState) {
    enter(org.ntsim.ex.sync.SyncServices.NT_CANCEL_TIMER);
    try {
      return sync.NtCancelTimer(Kernel.USER_MODE, TimerHandle, CurrentState);
    } finally {
      leave();
    }
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

  /** NtQueueApcThread: see PsServices.NtQueueApcThread. */
  public int NtQueueApcThread(long ThreadHandle, org.ntsim.ps.PsApcRoutine ApcRoutine,
      long ApcArgument1, long ApcArgument2, long ApcArgument3) {
    enter(PsServices.NT_QUEUE_APC_THREAD);
    try {
      return ps.NtQueueApcThread(Kernel.USER_MODE, ThreadHandle, ApcRoutine, ApcArgument1,
          ApcArgument2, ApcArgument3);
    } finally {
      leave();
    }
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

  /** NtAlertThread: see PsServices.NtAlertThread. */
  public int NtAlertThread(long ThreadHandle) {
    enter(PsServices.NT_ALERT_THREAD);
    try {
      return ps.NtAlertThread(Kernel.USER_MODE, ThreadHandle);
    } finally {
      leave();
    }
  }

  /** NtSuspendThread: see PsServices.NtSuspendThread. */
  public int NtSuspendThread(long ThreadHandle, int[] PreviousSuspendCount) {
    enter(PsServices.NT_SUSPEND_THREAD);
    try {
      return ps.NtSuspendThread(Kernel.USER_MODE, ThreadHandle, PreviousSuspendCount);
    } finally {
      leave();
    }
  }

  /** NtResumeThread: see PsServices.NtResumeThread. */
  public int NtResumeThread(long ThreadHandle, int[] PreviousSuspendCount) {
    enter(PsServices.NT_RESUME_THREAD);
    try {
      return ps.NtResumeThread(Kernel.USER_MODE, ThreadHandle, PreviousSuspendCount);
    } finally {
      leave();
    }
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

  /** NtOpenProcess: see PsServices.NtOpenProcess. */
  public int NtOpenProcess(long[] ProcessHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, ClientId ClientId) {
    enter(PsServices.NT_OPEN_PROCESS);
    try {
      return ps.NtOpenProcess(Kernel.USER_MODE, ProcessHandle, DesiredAccess, ObjectAttributes,
          ClientId);
    } finally {
      leave();
    }
  }

  /** NtOpenThread: see PsServices.NtOpenThread. */
  public int NtOpenThread(long[] ThreadHandle, int DesiredAccess,
      org.ntsim.ob.ObjectAttributes ObjectAttributes, ClientId ClientId) {
    enter(PsServices.NT_OPEN_THREAD);
    try {
      return ps.NtOpenThread(Kernel.USER_MODE, ThreadHandle, DesiredAccess, ObjectAttributes,
          ClientId);
    } finally {
      leave();
    }
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
