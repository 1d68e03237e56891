package org.ntsim.win32;

import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;
import org.ntsim.ps.ClientId;
import org.ntsim.ps.ProcessBasicInformation;
import org.ntsim.ps.ProcessInfoClass;
import org.ntsim.ps.ProcessPriorityClass;
import org.ntsim.ps.PsConstants;
import org.ntsim.ps.PsQueryServices;
import org.ntsim.ps.PsServices;
import org.ntsim.ps.ThreadBasicInformation;
import org.ntsim.ps.ThreadInfoClass;

/**
 * The Kernel32 facade guests call, with Win32's names, parameter order and results: BOOL is
 * boolean, HANDLE is long, DWORD is int; failures set the calling thread's last error
 * (GetLastError) to the code Windows sets. Out-parameters are one-element arrays; passing an
 * array Windows would write through as a bad pointer raises STATUS_ACCESS_VIOLATION in the guest.
 *
 * <p>Left out in this version: security attributes, stack sizes (accepted and ignored, as threads
 * have no simulated stacks yet).
 */
public final class Kernel32 extends Kernel32Sync {
  public static final int INFINITE = 0xFFFFFFFF;
  public static final int WAIT_OBJECT_0 = 0x00000000;
  public static final int WAIT_ABANDONED_0 = 0x00000080;
  public static final int WAIT_IO_COMPLETION = 0x000000C0;
  public static final int WAIT_TIMEOUT = 0x00000102;
  public static final int WAIT_FAILED = 0xFFFFFFFF;
  public static final int STILL_ACTIVE = PsConstants.STILL_ACTIVE;

  public static final int CREATE_SUSPENDED = 0x00000004;
  public static final int STACK_SIZE_PARAM_IS_A_RESERVATION = 0x00010000;

  public static final int THREAD_PRIORITY_IDLE = -15;
  public static final int THREAD_PRIORITY_LOWEST = -2;
  public static final int THREAD_PRIORITY_BELOW_NORMAL = -1;
  public static final int THREAD_PRIORITY_NORMAL = 0;
  public static final int THREAD_PRIORITY_ABOVE_NORMAL = 1;
  public static final int THREAD_PRIORITY_HIGHEST = 2;
  public static final int THREAD_PRIORITY_TIME_CRITICAL = 15;
  public static final int THREAD_PRIORITY_ERROR_RETURN = 0x7FFFFFFF;
  public static final int THREAD_MODE_BACKGROUND_BEGIN = 0x00010000;
  public static final int THREAD_MODE_BACKGROUND_END = 0x00020000;
  public static final int PROCESS_MODE_BACKGROUND_BEGIN = 0x00100000;
  public static final int PROCESS_MODE_BACKGROUND_END = 0x00200000;
  /** SetThreadIdealProcessor's "query only" value on x86. */
  public static final int MAXIMUM_PROCESSORS = PsQueryServices.MAXIMUM_PROCESSORS;

  public static final int IDLE_PRIORITY_CLASS = PsConstants.IDLE_PRIORITY_CLASS;
  public static final int BELOW_NORMAL_PRIORITY_CLASS = PsConstants.BELOW_NORMAL_PRIORITY_CLASS;
  public static final int NORMAL_PRIORITY_CLASS = PsConstants.NORMAL_PRIORITY_CLASS;
  public static final int ABOVE_NORMAL_PRIORITY_CLASS = PsConstants.ABOVE_NORMAL_PRIORITY_CLASS;
  public static final int HIGH_PRIORITY_CLASS = PsConstants.HIGH_PRIORITY_CLASS;
  public static final int REALTIME_PRIORITY_CLASS = PsConstants.REALTIME_PRIORITY_CLASS;

  private final Ntos ntos;
  private final Ntdll nt;

  Kernel32(Ntos ntos) {
    super(ntos.ntdll);
    this.ntos = ntos;
    this.nt = ntos.ntdll;
  }

  // ------------------------------------------------------------------ helpers

  private <T> T fail(int win32Error, T result) {
    nt.RtlSetLastWin32Error(win32Error);
    return result;
  }

  private boolean failStatus(int status) {
    nt.RtlSetLastWin32Error(WinError.fromNtStatus(status));
    return false;
  }

  private static void accessViolation(String what) {
    throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION,
        "access violation writing " + what);
  }

  private static void writeOut(int[] out, int value, String what, boolean optional) {
    if (out == null) {
      if (!optional) {
        accessViolation(what);
      }
      return;
    }
    if (out.length < 1) {
      accessViolation(what);
    }
    out[0] = value;
  }

  // ------------------------------------------------------------------ guest CPU time

  /** Spends {@code instructions} guest instructions of user-mode CPU time. */
  void compute(long instructions) {
    nt.compute(instructions);
  }

  // ------------------------------------------------------------------ identity

  /** GetCurrentThreadId. */
  public int GetCurrentThreadId() {
    return (int) nt.currentThreadId();
  }

  /** GetCurrentProcessId. */
  public int GetCurrentProcessId() {
    return (int) nt.currentProcessId();
  }

  /**
   * GetCommandLineW: the process's command line, as its creator passed it (the PEB's
   * ProcessParameters), image name first.
   */
  public String GetCommandLineW() {
    return nt.currentCommandLine();
  }

  /** GetCurrentThread: the pseudo handle -2. */
  public long GetCurrentThread() {
    return Ntdll.NtCurrentThread;
  }

  /** GetCurrentProcess: the pseudo handle -1. */
  public long GetCurrentProcess() {
    return Ntdll.NtCurrentProcess;
  }

  /** GetCurrentProcessorNumber. */
  public int GetCurrentProcessorNumber() {
    return nt.RtlGetCurrentProcessorNumber();
  }

  /** GetLastError. */
  public int GetLastError() {
    return nt.RtlGetLastWin32Error();
  }

  /** SetLastError. */
  public void SetLastError(int dwErrCode) {
    nt.RtlSetLastWin32Error(dwErrCode);
  }

  // ------------------------------------------------------------------ threads

  /**
   * CreateThread: a thread of the calling process at the process's base priority, running
   * {@code lpStartAddress(lpParameter)}; its return value is the thread's exit code. With
   * CREATE_SUSPENDED it starts with a suspend count of 1 and runs after ResumeThread. Returns a
   * handle with THREAD_ALL_ACCESS, or 0 with the last error set (ERROR_INVALID_PARAMETER for
   * another creation flag).
   */
  public long CreateThread(Object lpThreadAttributes, long dwStackSize, ThreadProc lpStartAddress,
      long lpParameter, int dwCreationFlags, int[] lpThreadId) {
    int flags = (dwCreationFlags & CREATE_SUSPENDED) != 0
        ? PsServices.THREAD_CREATE_FLAGS_CREATE_SUSPENDED : 0;
    if ((dwCreationFlags & ~(STACK_SIZE_PARAM_IS_A_RESERVATION | CREATE_SUSPENDED)) != 0) {
      flags = -1; // no flags NtCreateThreadEx knows: STATUS_INVALID_PARAMETER
    }
    long[] handle = new long[1];
    // The thread's CLIENT_ID goes where lpThreadId can take it: nowhere for NULL, and a buffer
    // the service's probe refuses for a pointer Windows could not write through.
    ClientId[] clientId = lpThreadId == null ? null
        : new ClientId[Math.min(lpThreadId.length, 1)];
    int status = nt.NtCreateThreadEx(handle, PsConstants.THREAD_ALL_ACCESS, null,
        Ntdll.NtCurrentProcess, lpStartAddress == null ? null : lpStartAddress::run, lpParameter,
        flags, 0, 0, 0, clientId);
    if (status == NtStatus.STATUS_ACCESS_VIOLATION) {
      accessViolation("lpThreadId");
    }
    if (!NtStatus.isSuccess(status)) {
      return fail(WinError.fromNtStatus(status), 0L);
    }
    if (lpThreadId != null) {
      lpThreadId[0] = (int) clientId[0].UniqueThread();
    }
    return handle[0];
  }

  /** ExitThread: ends the calling thread with {@code dwExitCode}; does not return. */
  public void ExitThread(int dwExitCode) {
    nt.NtTerminateThread(Ntdll.NtCurrentThread, dwExitCode);
  }

  /** ExitProcess: ends every thread of the calling process, the caller last; does not return. */
  public void ExitProcess(int uExitCode) {
    nt.NtTerminateProcess(Ntdll.NtCurrentProcess, uExitCode);
  }

  /** TerminateThread needs THREAD_TERMINATE. */
  public boolean TerminateThread(long hThread, int dwExitCode) {
    if (hThread == 0) {
      return failStatus(NtStatus.STATUS_INVALID_HANDLE); // kernel32 refuses NULL itself
    }
    int status = nt.NtTerminateThread(hThread, dwExitCode);
    return status == NtStatus.STATUS_SUCCESS || failStatus(status);
  }

  /** GetExitCodeThread: STILL_ACTIVE (259) while the thread runs. */
  public boolean GetExitCodeThread(long hThread, int[] lpExitCode) {
    ThreadBasicInformation info = new ThreadBasicInformation();
    int status = nt.NtQueryInformationThread(hThread, ThreadInfoClass.ThreadBasicInformation,
        info, ThreadBasicInformation.SIZE, null);
    if (status != NtStatus.STATUS_SUCCESS) {
      return failStatus(status);
    }
    writeOut(lpExitCode, info.ExitStatus, "lpExitCode", false);
    return true;
  }

  /** GetExitCodeProcess: STILL_ACTIVE (259) while the process runs. */
  public boolean GetExitCodeProcess(long hProcess, int[] lpExitCode) {
    ProcessBasicInformation info = new ProcessBasicInformation();
    int status = nt.NtQueryInformationProcess(hProcess, ProcessInfoClass.ProcessBasicInformation,
        info, ProcessBasicInformation.SIZE, null);
    if (status != NtStatus.STATUS_SUCCESS) {
      return failStatus(status);
    }
    writeOut(lpExitCode, info.ExitStatus, "lpExitCode", false);
    return true;
  }

  /** Sleep: Sleep(0) yields to any other thread ready on this processor; INFINITE never returns. */
  public void Sleep(int dwMilliseconds) {
    SleepEx(dwMilliseconds, false);
  }

  /** SleepEx: returns 0 when the interval elapses, WAIT_IO_COMPLETION when user APCs ran. */
  public int SleepEx(int dwMilliseconds, boolean bAlertable) {
    long interval = dwMilliseconds == INFINITE ? Long.MIN_VALUE
        : -(Integer.toUnsignedLong(dwMilliseconds) * 10_000L);
    int status;
    do {
      status = nt.NtDelayExecution(bAlertable, interval);
    } while (status == NtStatus.STATUS_ALERTED && bAlertable); // kernelbase retries alerts
    return status == NtStatus.STATUS_USER_APC ? WAIT_IO_COMPLETION : 0;
  }

  /**
   * SwitchToThread: yields to another ready thread of this processor; true if one ran, false if
   * none was ready (the OS does not move the caller to another processor).
   */
  public boolean SwitchToThread() {
    return nt.NtYieldExecution() == NtStatus.STATUS_SUCCESS;
  }

  /**
   * SetThreadPriority: {@code nPriority} is a THREAD_PRIORITY_* level (also -7..-3 and 3..6 in
   * the real-time class); needs THREAD_SET_INFORMATION or THREAD_SET_LIMITED_INFORMATION.
   */
  public boolean SetThreadPriority(long hThread, int nPriority) {
    if (nPriority == THREAD_MODE_BACKGROUND_BEGIN || nPriority == THREAD_MODE_BACKGROUND_END) {
      return backgroundMode(hThread, true, nPriority == THREAD_MODE_BACKGROUND_BEGIN);
    }
    int increment = nPriority == THREAD_PRIORITY_TIME_CRITICAL ? PsQueryServices.SATURATION
        : nPriority == THREAD_PRIORITY_IDLE ? -PsQueryServices.SATURATION : nPriority;
    int status = nt.NtSetInformationThread(hThread, ThreadInfoClass.ThreadBasePriority,
        new int[] {increment}, PsQueryServices.ULONG_SIZE);
    return status == NtStatus.STATUS_SUCCESS || failStatus(status);
  }

  /** GetThreadPriority: the thread's level, or THREAD_PRIORITY_ERROR_RETURN. */
  public int GetThreadPriority(long hThread) {
    ThreadBasicInformation info = new ThreadBasicInformation();
    int status = nt.NtQueryInformationThread(hThread, ThreadInfoClass.ThreadBasicInformation,
        info, ThreadBasicInformation.SIZE, null);
    if (status != NtStatus.STATUS_SUCCESS) {
      failStatus(status);
      return THREAD_PRIORITY_ERROR_RETURN;
    }
    int increment = info.BasePriority;
    return increment == PsQueryServices.SATURATION ? THREAD_PRIORITY_TIME_CRITICAL
        : increment == -PsQueryServices.SATURATION ? THREAD_PRIORITY_IDLE : increment;
  }

  /** SetPriorityClass: needs PROCESS_SET_INFORMATION; the class's threads move with it. */
  public boolean SetPriorityClass(long hProcess, int dwPriorityClass) {
    if (dwPriorityClass == PROCESS_MODE_BACKGROUND_BEGIN
        || dwPriorityClass == PROCESS_MODE_BACKGROUND_END) {
      return backgroundMode(hProcess, false, dwPriorityClass == PROCESS_MODE_BACKGROUND_BEGIN);
    }
    ProcessPriorityClass info = new ProcessPriorityClass();
    info.PriorityClass = ProcessPriorityClass.ofFlag(dwPriorityClass);
    int status = nt.NtSetInformationProcess(hProcess, ProcessInfoClass.ProcessPriorityClass, info,
        ProcessPriorityClass.SIZE);
    return status == NtStatus.STATUS_SUCCESS || failStatus(status);
  }

  /**
   * Background processing mode (Vista), for the calling process or thread only: very low memory
   * and I/O priorities. Entering it twice is ERROR_PROCESS_MODE_ALREADY_BACKGROUND (or the
   * THREAD_ form), leaving it when not in it ERROR_PROCESS_MODE_NOT_BACKGROUND.
   */
  private boolean backgroundMode(long handle, boolean thread, boolean begin) {
    boolean[] changed = new boolean[1];
    int status = nt.setBackgroundMode(handle, thread, begin, changed);
    if (status != NtStatus.STATUS_SUCCESS) {
      return failStatus(status);
    }
    if (!changed[0]) {
      nt.currentThread().lastError = thread
          ? begin ? WinError.ERROR_THREAD_MODE_ALREADY_BACKGROUND
              : WinError.ERROR_THREAD_MODE_NOT_BACKGROUND
          : begin ? WinError.ERROR_PROCESS_MODE_ALREADY_BACKGROUND
              : WinError.ERROR_PROCESS_MODE_NOT_BACKGROUND;
      return false;
    }
    return true;
  }

  /** GetPriorityClass: the class flag, or 0 on failure. */
  public int GetPriorityClass(long hProcess) {
    ProcessPriorityClass info = new ProcessPriorityClass();
    int status = nt.NtQueryInformationProcess(hProcess, ProcessInfoClass.ProcessPriorityClass,
        info, ProcessPriorityClass.SIZE, null);
    if (status != NtStatus.STATUS_SUCCESS) {
      failStatus(status);
      return 0;
    }
    return ProcessPriorityClass.flagOf(info.PriorityClass);
  }

  /**
   * SetThreadAffinityMask: the mask must be a non-empty subset of the process's affinity (all
   * ones stands for the process's affinity). Returns the previous mask, or 0 with
   * ERROR_INVALID_PARAMETER.
   */
  public long SetThreadAffinityMask(long hThread, long dwThreadAffinityMask) {
    long[] previous = new long[1];
    int status = nt.setThreadAffinity(hThread, dwThreadAffinityMask, previous);
    if (status != NtStatus.STATUS_SUCCESS) {
      failStatus(status);
      return 0;
    }
    return previous[0];
  }


  /**
   * SetThreadIdealProcessor: returns the previous ideal processor; MAXIMUM_PROCESSORS only
   * queries; a processor that does not exist fails with (DWORD)-1 and ERROR_INVALID_PARAMETER.
   */
  public int SetThreadIdealProcessor(long hThread, int dwIdealProcessor) {
    int status = nt.NtSetInformationThread(hThread, ThreadInfoClass.ThreadIdealProcessor,
        new int[] {dwIdealProcessor}, PsQueryServices.ULONG_SIZE);
    if (!NtStatus.isSuccess(status)) {
      failStatus(status);
      return -1;
    }
    return status; // NT's service returns the previous ideal processor as its status
  }

  // ------------------------------------------------------------------ waits and handles

  /**
   * WaitForSingleObject: WAIT_OBJECT_0 when the object is signalled, WAIT_TIMEOUT when the
   * interval passes first, WAIT_FAILED with the last error for a bad handle or one without
   * SYNCHRONIZE access.
   */
  public int WaitForSingleObject(long hHandle, int dwMilliseconds) {
    return WaitForSingleObjectEx(hHandle, dwMilliseconds, false);
  }

  /** WaitForSingleObjectEx. */
  public int WaitForSingleObjectEx(long hHandle, int dwMilliseconds, boolean bAlertable) {
    int status;
    do {
      status = nt.NtWaitForSingleObject(hHandle, bAlertable, ntTimeout(dwMilliseconds));
    } while (status == NtStatus.STATUS_ALERTED && bAlertable); // kernelbase retries alerts
    return waitResult(status);
  }

  /** CloseHandle: FALSE with ERROR_INVALID_HANDLE for a handle that is not open. */
  public boolean CloseHandle(long hObject) {
    int status = nt.NtClose(hObject);
    return status == NtStatus.STATUS_SUCCESS || failStatus(status);
  }


  // ================================================================== synchronisation (issue 3)
  // Events, mutexes, semaphores, waitable timers, multiple-object waits, APCs, suspension. Each
  // calls the native service as kernel32 does and turns its NTSTATUS into the last error; user
  // APCs run inside the service, before the last error is set, as on Windows.

  public static final int MAXIMUM_WAIT_OBJECTS = Ntdll.MAXIMUM_WAIT_OBJECTS;
  public static final int EVENT_ALL_ACCESS = org.ntsim.ex.sync.SyncObjectTypes.EVENT_ALL_ACCESS;
  public static final int EVENT_MODIFY_STATE = org.ntsim.ex.sync.SyncObjectTypes.EVENT_MODIFY_STATE;
  public static final int MUTEX_ALL_ACCESS = org.ntsim.ex.sync.SyncObjectTypes.MUTANT_ALL_ACCESS;
  public static final int SEMAPHORE_ALL_ACCESS =
      org.ntsim.ex.sync.SyncObjectTypes.SEMAPHORE_ALL_ACCESS;
  public static final int SEMAPHORE_MODIFY_STATE =
      org.ntsim.ex.sync.SyncObjectTypes.SEMAPHORE_MODIFY_STATE;
  public static final int TIMER_ALL_ACCESS = org.ntsim.ex.sync.SyncObjectTypes.TIMER_ALL_ACCESS;
  public static final int TIMER_MODIFY_STATE = org.ntsim.ex.sync.SyncObjectTypes.TIMER_MODIFY_STATE;
  public static final int TIMER_QUERY_STATE = org.ntsim.ex.sync.SyncObjectTypes.TIMER_QUERY_STATE;
  public static final int SYNCHRONIZE = org.ntsim.ob.ObjectManager.SYNCHRONIZE;

  /** BOOL result of a native call; a bad out-pointer (ERROR_NOACCESS) is raised instead. */
  private boolean ok(int status) {
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /**
   * CreateEventW: a manual-reset (notification) or auto-reset (synchronization) event with
   * EVENT_ALL_ACCESS. Returns the handle (last error 0, or ERROR_ALREADY_EXISTS for an existing
   * name) or NULL.
   */
  public long CreateEventW(Object lpEventAttributes, boolean bManualReset, boolean bInitialState,
      String lpName) {
    int type = bManualReset ? Ntdll.NotificationEvent : Ntdll.SynchronizationEvent;
    return Handles.create(nt.currentThread(), lpName, false,
        (h, oa) -> nt.NtCreateEvent(h, EVENT_ALL_ACCESS, oa, type, bInitialState));
  }

  /**
   * OpenEventW: a handle to the event named {@code lpName} in \BaseNamedObjects granting
   * {@code dwDesiredAccess}; NULL with ERROR_FILE_NOT_FOUND when there is none,
   * ERROR_INVALID_HANDLE when the name belongs to another type, ERROR_INVALID_PARAMETER for a
   * NULL name, ERROR_ACCESS_DENIED for rights an event does not have.
   */
  public long OpenEventW(int dwDesiredAccess, boolean bInheritHandle, String lpName) {
    return Handles.open(nt.currentThread(), lpName, bInheritHandle,
        (h, oa) -> nt.NtOpenEvent(h, dwDesiredAccess, oa));
  }

  /** SetEvent: needs EVENT_MODIFY_STATE. */
  public boolean SetEvent(long hEvent) {
    return ok(nt.NtSetEvent(hEvent, null));
  }

  /** ResetEvent: needs EVENT_MODIFY_STATE. */
  public boolean ResetEvent(long hEvent) {
    return ok(nt.NtResetEvent(hEvent, null));
  }

  /**
   * PulseEvent: releases the threads waiting now (all for a manual-reset event, one for an
   * auto-reset event) and leaves the event non-signalled. Microsoft calls it unreliable (a thread
   * momentarily out of its wait misses the pulse) and kept for compatibility only.
   */
  public boolean PulseEvent(long hEvent) {
    return ok(nt.NtPulseEvent(hEvent, null));
  }

  /** CreateMutexW: owned once by the caller when {@code bInitialOwner} (for a new mutex only). */
  public long CreateMutexW(Object lpMutexAttributes, boolean bInitialOwner, String lpName) {
    return Handles.create(nt.currentThread(), lpName, false,
        (h, oa) -> nt.NtCreateMutant(h, MUTEX_ALL_ACCESS, oa, bInitialOwner));
  }

  /** OpenMutexW: as OpenEventW, for a mutex. */
  public long OpenMutexW(int dwDesiredAccess, boolean bInheritHandle, String lpName) {
    return Handles.open(nt.currentThread(), lpName, bInheritHandle,
        (h, oa) -> nt.NtOpenMutant(h, dwDesiredAccess, oa));
  }

  /** ReleaseMutex: FALSE with ERROR_NOT_OWNER (288) unless the caller owns the mutex. */
  public boolean ReleaseMutex(long hMutex) {
    return ok(nt.NtReleaseMutant(hMutex, null));
  }

  /**
   * CreateSemaphoreW: NULL with ERROR_INVALID_PARAMETER unless 0 <= lInitialCount <=
   * lMaximumCount and lMaximumCount > 0.
   */
  public long CreateSemaphoreW(Object lpSemaphoreAttributes, int lInitialCount,
      int lMaximumCount, String lpName) {
    return Handles.create(nt.currentThread(), lpName, false,
        (h, oa) -> nt.NtCreateSemaphore(h, SEMAPHORE_ALL_ACCESS, oa, lInitialCount,
            lMaximumCount));
  }

  /** OpenSemaphoreW: as OpenEventW, for a semaphore. */
  public long OpenSemaphoreW(int dwDesiredAccess, boolean bInheritHandle, String lpName) {
    return Handles.open(nt.currentThread(), lpName, bInheritHandle,
        (h, oa) -> nt.NtOpenSemaphore(h, dwDesiredAccess, oa));
  }

  /**
   * ReleaseSemaphore (SEMAPHORE_MODIFY_STATE): adds {@code lReleaseCount}; {@code lpPreviousCount}
   * (optional) gets the count before. Past the maximum: FALSE, ERROR_TOO_MANY_POSTS (298), the
   * count and {@code lpPreviousCount} untouched; a count <= 0: ERROR_INVALID_PARAMETER.
   */
  public boolean ReleaseSemaphore(long hSemaphore, int lReleaseCount, int[] lpPreviousCount) {
    return ok(nt.NtReleaseSemaphore(hSemaphore, lReleaseCount, lpPreviousCount));
  }

  /** CreateWaitableTimerW: a manual-reset (notification) or synchronization timer, not set. */
  public long CreateWaitableTimerW(Object lpTimerAttributes, boolean bManualReset,
      String lpTimerName) {
    int type = bManualReset ? Ntdll.NotificationTimer : Ntdll.SynchronizationTimer;
    return Handles.create(nt.currentThread(), lpTimerName, false,
        (h, oa) -> nt.NtCreateTimer(h, TIMER_ALL_ACCESS, oa, type));
  }

  /** OpenWaitableTimerW: as OpenEventW, for a waitable timer. */
  public long OpenWaitableTimerW(int dwDesiredAccess, boolean bInheritHandle,
      String lpTimerName) {
    return Handles.open(nt.currentThread(), lpTimerName, bInheritHandle,
        (h, oa) -> nt.NtOpenTimer(h, dwDesiredAccess, oa));
  }

  /**
   * SetWaitableTimer (TIMER_MODIFY_STATE): {@code pDueTime} (the LARGE_INTEGER it points to) in
   * 100 ns units, negative relative, positive absolute; {@code lPeriod} in milliseconds (0 once,
   * negative ERROR_INVALID_PARAMETER); {@code pfnCompletionRoutine}, if not null, is queued as a
   * user APC to this thread at each expiry and runs in its alertable waits. {@code fResume}:
   * TRUE with last error ERROR_NOT_SUPPORTED (no resume support).
   */
  public boolean SetWaitableTimer(long hTimer, long pDueTime, int lPeriod,
      TimerApcProc pfnCompletionRoutine, long lpArgToCompletionRoutine, boolean fResume) {
    int status = nt.NtSetTimer(hTimer, pDueTime, pfnCompletionRoutine, lpArgToCompletionRoutine,
        fResume, lPeriod, null);
    if (status == NtStatus.STATUS_TIMER_RESUME_IGNORED) {
      return fail(WinError.ERROR_NOT_SUPPORTED, true);
    }
    return ok(status);
  }

  /** CancelWaitableTimer: stops the timer; its signal state does not change. */
  public boolean CancelWaitableTimer(long hTimer) {
    return ok(nt.NtCancelTimer(hTimer, null));
  }

  /** WaitForMultipleObjects. */
  public int WaitForMultipleObjects(int nCount, long[] lpHandles, boolean bWaitAll,
      int dwMilliseconds) {
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, false);
  }

  /**
   * WaitForMultipleObjectsEx: WAIT_OBJECT_0 + i (the lowest signalled index when waiting for
   * any; WAIT_OBJECT_0 when all), WAIT_ABANDONED_0 + i for an abandoned mutex, WAIT_TIMEOUT,
   * WAIT_IO_COMPLETION when user APCs ran in an alertable wait, or WAIT_FAILED with the last
   * error: ERROR_INVALID_PARAMETER for nCount 0 or above MAXIMUM_WAIT_OBJECTS or a handle named
   * twice in a wait for all, ERROR_INVALID_HANDLE, ERROR_ACCESS_DENIED without SYNCHRONIZE.
   */
  public int WaitForMultipleObjectsEx(int nCount, long[] lpHandles, boolean bWaitAll,
      int dwMilliseconds, boolean bAlertable) {
    if (Integer.compareUnsigned(nCount, MAXIMUM_WAIT_OBJECTS) > 0) {
      return fail(WinError.ERROR_INVALID_PARAMETER, WAIT_FAILED);
    }
    if (nCount > 0 && (lpHandles == null || lpHandles.length < nCount)) {
      throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, "access violation reading "
          + "lpHandles");
    }
    long[] handles = lpHandles == null ? new long[0] : lpHandles.clone();
    int status;
    do {
      status = nt.NtWaitForMultipleObjects(nCount, handles,
          bWaitAll ? Ntdll.WaitAll : Ntdll.WaitAny, bAlertable, ntTimeout(dwMilliseconds));
    } while (status == NtStatus.STATUS_ALERTED && bAlertable);
    return waitResult(status);
  }

  /**
   * SignalObjectAndWait: signals an event, releases a semaphore by one or a mutex, then waits on
   * the other handle (alertably if asked); results as WaitForSingleObjectEx. A failed signal
   * (ERROR_TOO_MANY_POSTS, ERROR_NOT_OWNER, ERROR_INVALID_HANDLE for another type) is
   * WAIT_FAILED without waiting.
   */
  public int SignalObjectAndWait(long hObjectToSignal, long hObjectToWaitOn, int dwMilliseconds,
      boolean bAlertable) {
    int status = nt.NtSignalAndWaitForSingleObject(hObjectToSignal, hObjectToWaitOn, bAlertable,
        ntTimeout(dwMilliseconds));
    while (status == NtStatus.STATUS_ALERTED && bAlertable) {
      status = nt.NtWaitForSingleObject(hObjectToWaitOn, true, ntTimeout(dwMilliseconds));
    }
    return waitResult(status);
  }

  /** Milliseconds as an NT relative timeout (Long.MIN_VALUE: INFINITE, a null pointer). */
  private static long ntTimeout(int dwMilliseconds) {
    return dwMilliseconds == INFINITE ? Long.MIN_VALUE
        : -(Integer.toUnsignedLong(dwMilliseconds) * 10_000L);
  }

  private int waitResult(int status) {
    if (status < 0) {
      failStatus(status);
      return WAIT_FAILED;
    }
    return status; // STATUS_USER_APC is WAIT_IO_COMPLETION, STATUS_TIMEOUT WAIT_TIMEOUT
  }

  /**
   * QueueUserAPC: queues {@code pfnAPC(dwData)} to the thread (THREAD_SET_CONTEXT); it runs when
   * the thread next waits alertably. Returns nonzero, or 0 with the last error.
   */
  public int QueueUserAPC(ApcProc pfnAPC, long hThread, long dwData) {
    int status = nt.NtQueueApcThread(hThread, (a1, a2, a3) -> {
      if (pfnAPC == null) {
        throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, "APC routine is NULL");
      }
      pfnAPC.run(a1);
    }, dwData, 0, 0);
    return ok(status) ? 1 : 0;
  }

  /**
   * SuspendThread (THREAD_SUSPEND_RESUME): the previous suspend count, or (DWORD)-1 with the last
   * error: ERROR_SIGNAL_REFUSED past MAXIMUM_SUSPEND_COUNT, ERROR_ACCESS_DENIED for a thread that
   * has ended.
   */
  public int SuspendThread(long hThread) {
    int[] previous = new int[1];
    int status = nt.NtSuspendThread(hThread, previous);
    return ok(status) ? previous[0] : -1;
  }

  /** ResumeThread: the previous suspend count (0: it was not suspended), or (DWORD)-1. */
  public int ResumeThread(long hThread) {
    int[] previous = new int[1];
    int status = nt.NtResumeThread(hThread, previous);
    return ok(status) ? previous[0] : -1;
  }

  /**
   * TerminateProcess (PROCESS_TERMINATE): every thread of the process ends with
   * {@code uExitCode}; NULL is ERROR_INVALID_HANDLE (unlike NtTerminateProcess, where it means the
   * caller's own process).
   */
  public boolean TerminateProcess(long hProcess, int uExitCode) {
    if (hProcess == 0) { // kernel32 refuses NULL itself, without a system call
      return fail(WinError.ERROR_INVALID_HANDLE, false);
    }
    return ok(nt.NtTerminateProcess(hProcess, uExitCode));
  }

  // ================================================================== end of synchronisation

  // ================================================================== object manager (issue 3)
  // DuplicateHandle, OpenProcess, OpenThread. Last errors through WinError.fromNtStatus
  // (RtlNtStatusToDosError); the options and rights are ObjectManager.DUPLICATE_* and AccessMask.

  /**
   * DuplicateHandle: NtDuplicateObject with OBJ_INHERIT for {@code bInheritHandle}. Both process
   * handles need PROCESS_DUP_HANDLE; {@code dwOptions} DUPLICATE_CLOSE_SOURCE (1) closes the
   * source even when the duplication fails, DUPLICATE_SAME_ACCESS (2) ignores
   * {@code dwDesiredAccess}. A pseudo handle (GetCurrentProcess, GetCurrentThread) as source gives
   * a real handle. {@code lpTargetHandle} may be null (the handle is made but not returned).
   * Returns FALSE with the last error on failure: ERROR_INVALID_HANDLE for a bad handle,
   * ERROR_ACCESS_DENIED for a process handle without PROCESS_DUP_HANDLE or access the object does
   * not grant, ERROR_INVALID_PARAMETER for no target process without DUPLICATE_CLOSE_SOURCE.
   */
  public boolean DuplicateHandle(long hSourceProcessHandle, long hSourceHandle,
      long hTargetProcessHandle, long[] lpTargetHandle, int dwDesiredAccess,
      boolean bInheritHandle, int dwOptions) {
    int status = nt.NtDuplicateObject(hSourceProcessHandle, hSourceHandle, hTargetProcessHandle,
        lpTargetHandle, dwDesiredAccess,
        bInheritHandle ? org.ntsim.ob.ObjectAttributes.OBJ_INHERIT : 0, dwOptions);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /**
   * OpenProcess: a handle to the process {@code dwProcessId} granting {@code dwDesiredAccess}
   * (generic rights mapped; MAXIMUM_ALLOWED is all), or NULL with ERROR_INVALID_PARAMETER for an
   * unknown process or the Idle process (0), ERROR_ACCESS_DENIED for the System process, for no
   * access asked, or for rights a process does not have.
   */
  public long OpenProcess(int dwDesiredAccess, boolean bInheritHandle, int dwProcessId) {
    long[] handle = new long[1];
    int status = nt.NtOpenProcess(handle, dwDesiredAccess,
        org.ntsim.ob.ObjectAttributes.unnamed(
            bInheritHandle ? org.ntsim.ob.ObjectAttributes.OBJ_INHERIT : 0),
        ClientId.process(Integer.toUnsignedLong(dwProcessId)));
    return NtStatus.isSuccess(status) || failStatus(status) ? handle[0] : 0;
  }

  /** OpenThread: as OpenProcess, for the thread {@code dwThreadId}. */
  public long OpenThread(int dwDesiredAccess, boolean bInheritHandle, int dwThreadId) {
    long[] handle = new long[1];
    int status = nt.NtOpenThread(handle, dwDesiredAccess,
        org.ntsim.ob.ObjectAttributes.unnamed(
            bInheritHandle ? org.ntsim.ob.ObjectAttributes.OBJ_INHERIT : 0),
        ClientId.thread(Integer.toUnsignedLong(dwThreadId)));
    return NtStatus.isSuccess(status) || failStatus(status) ? handle[0] : 0;
  }

  // ================================================================== end of object manager
}
