package org.ntsim.win32;

import org.ntsim.ke.GuestException;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectManager.Reference;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.ProcessManager;
import org.ntsim.ps.PsConstants;

/**
 * The Kernel32 facade guests call, with Win32's names, parameter order and results: BOOL is
 * boolean, HANDLE is long, DWORD is int; failures set the calling thread's last error
 * (GetLastError) to the code Windows sets. Out-parameters are one-element arrays; passing an
 * array Windows would write through as a bad pointer raises STATUS_ACCESS_VIOLATION in the guest.
 *
 * <p>Left out in this version: CREATE_SUSPENDED, security attributes, stack sizes (accepted and
 * ignored, as threads have no simulated stacks yet).
 */
public final class Kernel32 {
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
  /** SetThreadIdealProcessor's "query only" value on x86. */
  public static final int MAXIMUM_PROCESSORS = 32;

  public static final int IDLE_PRIORITY_CLASS = PsConstants.IDLE_PRIORITY_CLASS;
  public static final int BELOW_NORMAL_PRIORITY_CLASS = PsConstants.BELOW_NORMAL_PRIORITY_CLASS;
  public static final int NORMAL_PRIORITY_CLASS = PsConstants.NORMAL_PRIORITY_CLASS;
  public static final int ABOVE_NORMAL_PRIORITY_CLASS = PsConstants.ABOVE_NORMAL_PRIORITY_CLASS;
  public static final int HIGH_PRIORITY_CLASS = PsConstants.HIGH_PRIORITY_CLASS;
  public static final int REALTIME_PRIORITY_CLASS = PsConstants.REALTIME_PRIORITY_CLASS;

  private final Ntos ntos;
  private final Ntdll nt;
  private final Kernel kernel;
  private final ProcessManager ps;

  Kernel32(Ntos ntos) {
    this.ntos = ntos;
    this.nt = ntos.ntdll;
    this.kernel = ntos.kernel;
    this.ps = ntos.ps;
  }

  // ------------------------------------------------------------------ helpers

  private <T> T fail(int win32Error, T result) {
    nt.currentThread().lastError = win32Error;
    return result;
  }

  private boolean failStatus(int status) {
    nt.currentThread().lastError = WinError.fromNtStatus(status);
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
    if (!kernel.inThreadContext()) {
      throw new IllegalStateException("compute outside a guest thread");
    }
    if (instructions <= 0) {
      return;
    }
    kernel.testTermination();
    kernel.spend(ntos.machine.cost.instructionsToNs(instructions));
    kernel.testTermination();
  }

  // ------------------------------------------------------------------ identity

  /** GetCurrentThreadId. */
  public int GetCurrentThreadId() {
    return (int) nt.currentThread().tid();
  }

  /** GetCurrentProcessId. */
  public int GetCurrentProcessId() {
    return (int) nt.currentProcess().pid();
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
    return ntos.machine.activeCpu().index;
  }

  /** GetLastError. */
  public int GetLastError() {
    return nt.currentThread().lastError;
  }

  /** SetLastError. */
  public void SetLastError(int dwErrCode) {
    nt.currentThread().lastError = dwErrCode;
  }

  // ------------------------------------------------------------------ threads

  /**
   * CreateThread: a thread of the calling process at the process's base priority, running
   * {@code lpStartAddress(lpParameter)}; its return value is the thread's exit code. Returns a
   * handle with THREAD_ALL_ACCESS, or 0 with the last error set.
   */
  public long CreateThread(Object lpThreadAttributes, long dwStackSize, ThreadProc lpStartAddress,
      long lpParameter, int dwCreationFlags, int[] lpThreadId) {
    nt.enter();
    try {
      if ((dwCreationFlags & ~STACK_SIZE_PARAM_IS_A_RESERVATION) != 0) {
        return fail(WinError.ERROR_INVALID_PARAMETER, 0L);
      }
      EProcess process = nt.currentProcess();
      if (process.isExiting()) {
        return fail(WinError.fromNtStatus(NtStatus.STATUS_PROCESS_IS_TERMINATING), 0L);
      }
      if (lpThreadId != null && lpThreadId.length < 1) {
        accessViolation("lpThreadId");
      }
      EThread t = ps.createThread(process, null, process.imageName() + "!ThreadProc",
          process.basePriority(), 0, false, () -> {
            if (lpStartAddress == null) {
              throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION,
                  "thread start address is NULL");
            }
            return lpStartAddress.run(lpParameter);
          }, false);
      long handle = ntos.ob.insertHandle(process.handleTable(), t.header(),
          PsConstants.THREAD_ALL_ACCESS);
      ntos.ob.dereference(t.header());
      writeOut(lpThreadId, (int) t.tid(), "lpThreadId", true);
      return handle;
    } finally {
      nt.leave();
    }
  }

  /** ExitThread: ends the calling thread with {@code dwExitCode}; does not return. */
  public void ExitThread(int dwExitCode) {
    nt.enter();
    try {
      ps.exitCurrentThread(dwExitCode);
    } finally {
      nt.leave();
    }
  }

  /** ExitProcess: ends every thread of the calling process, the caller last; does not return. */
  public void ExitProcess(int uExitCode) {
    nt.NtTerminateProcess(Ntdll.NtCurrentProcess, uExitCode);
  }

  /** TerminateThread needs THREAD_TERMINATE. */
  public boolean TerminateThread(long hThread, int dwExitCode) {
    int status = nt.NtTerminateThread(hThread, dwExitCode);
    return status == NtStatus.STATUS_SUCCESS || failStatus(status);
  }

  /** GetExitCodeThread: STILL_ACTIVE (259) while the thread runs. */
  public boolean GetExitCodeThread(long hThread, int[] lpExitCode) {
    nt.enter();
    try {
      Reference ref = queryReference(hThread, PsConstants.THREAD_QUERY_INFORMATION,
          PsConstants.THREAD_QUERY_LIMITED_INFORMATION, true);
      if (!ref.ok()) {
        return failStatus(ref.status());
      }
      EThread t = ref.body();
      ntos.ob.dereference(ref.header());
      writeOut(lpExitCode, t.exitStatus(), "lpExitCode", false);
      return true;
    } finally {
      nt.leave();
    }
  }

  /** GetExitCodeProcess: STILL_ACTIVE (259) while the process runs. */
  public boolean GetExitCodeProcess(long hProcess, int[] lpExitCode) {
    nt.enter();
    try {
      Reference ref = queryReference(hProcess, PsConstants.PROCESS_QUERY_INFORMATION,
          PsConstants.PROCESS_QUERY_LIMITED_INFORMATION, false);
      if (!ref.ok()) {
        return failStatus(ref.status());
      }
      EProcess p = ref.body();
      ntos.ob.dereference(ref.header());
      writeOut(lpExitCode, p.exitStatus(), "lpExitCode", false);
      return true;
    } finally {
      nt.leave();
    }
  }

  /** A reference to a thread or process handle granting either of two access rights. */
  private Reference queryReference(long handle, int access, int limitedAccess, boolean thread) {
    var type = thread ? ps.threadType : ps.processType;
    Reference ref = nt.reference(handle, access, type);
    if (ref.status() == NtStatus.STATUS_ACCESS_DENIED) {
      ref = nt.reference(handle, limitedAccess, type);
    }
    return ref;
  }

  /** Sleep: Sleep(0) yields to any other thread ready on this processor; INFINITE never returns. */
  public void Sleep(int dwMilliseconds) {
    SleepEx(dwMilliseconds, false);
  }

  /** SleepEx: returns 0 when the interval elapses (WAIT_IO_COMPLETION comes with APCs). */
  public int SleepEx(int dwMilliseconds, boolean bAlertable) {
    nt.enter();
    try {
      long interval = dwMilliseconds == INFINITE ? Long.MIN_VALUE
          : -(Integer.toUnsignedLong(dwMilliseconds) * 10_000L);
      int status = nt.delay(bAlertable, interval);
      return status == NtStatus.STATUS_USER_APC ? WAIT_IO_COMPLETION : 0;
    } finally {
      nt.leave();
    }
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
    nt.enter();
    try {
      Reference ref = setReference(hThread);
      if (!ref.ok()) {
        return failStatus(ref.status());
      }
      EThread t = ref.body();
      ntos.ob.dereference(ref.header());
      if (!validPriorityLevel(t.process(), nPriority)) {
        return fail(WinError.ERROR_INVALID_PARAMETER, false);
      }
      ps.setThreadPriorityLevel(t, nPriority);
      return true;
    } finally {
      nt.leave();
    }
  }

  private Reference setReference(long hThread) {
    Reference ref = nt.reference(hThread, PsConstants.THREAD_SET_INFORMATION, ps.threadType);
    if (ref.status() == NtStatus.STATUS_ACCESS_DENIED) {
      ref = nt.reference(hThread, PsConstants.THREAD_SET_LIMITED_INFORMATION, ps.threadType);
    }
    return ref;
  }

  private static boolean validPriorityLevel(EProcess p, int level) {
    if (level == THREAD_PRIORITY_IDLE || level == THREAD_PRIORITY_TIME_CRITICAL
        || (level >= -2 && level <= 2)) {
      return true;
    }
    return p.priorityClass() == REALTIME_PRIORITY_CLASS && level >= -7 && level <= 6;
  }

  /** GetThreadPriority: the thread's level, or THREAD_PRIORITY_ERROR_RETURN. */
  public int GetThreadPriority(long hThread) {
    nt.enter();
    try {
      Reference ref = queryReference(hThread, PsConstants.THREAD_QUERY_INFORMATION,
          PsConstants.THREAD_QUERY_LIMITED_INFORMATION, true);
      if (!ref.ok()) {
        failStatus(ref.status());
        return THREAD_PRIORITY_ERROR_RETURN;
      }
      EThread t = ref.body();
      ntos.ob.dereference(ref.header());
      return t.priorityLevel();
    } finally {
      nt.leave();
    }
  }

  /** SetPriorityClass: needs PROCESS_SET_INFORMATION; the class's threads move with it. */
  public boolean SetPriorityClass(long hProcess, int dwPriorityClass) {
    nt.enter();
    try {
      Reference ref = nt.reference(hProcess, PsConstants.PROCESS_SET_INFORMATION, ps.processType);
      if (!ref.ok()) {
        return failStatus(ref.status());
      }
      EProcess p = ref.body();
      ntos.ob.dereference(ref.header());
      if (PsConstants.basePriorityOfClass(dwPriorityClass) < 0) {
        return fail(WinError.ERROR_INVALID_PARAMETER, false);
      }
      ps.setPriorityClass(p, dwPriorityClass);
      return true;
    } finally {
      nt.leave();
    }
  }

  /** GetPriorityClass: the class flag, or 0 on failure. */
  public int GetPriorityClass(long hProcess) {
    nt.enter();
    try {
      Reference ref = queryReference(hProcess, PsConstants.PROCESS_QUERY_INFORMATION,
          PsConstants.PROCESS_QUERY_LIMITED_INFORMATION, false);
      if (!ref.ok()) {
        failStatus(ref.status());
        return 0;
      }
      EProcess p = ref.body();
      ntos.ob.dereference(ref.header());
      return p.priorityClass();
    } finally {
      nt.leave();
    }
  }

  /**
   * SetThreadAffinityMask: the mask must be a non-empty subset of the process's affinity (all
   * ones stands for the process's affinity). Returns the previous mask, or 0 with
   * ERROR_INVALID_PARAMETER.
   */
  public long SetThreadAffinityMask(long hThread, long dwThreadAffinityMask) {
    nt.enter();
    try {
      Reference ref = setReference(hThread);
      if (!ref.ok()) {
        failStatus(ref.status());
        return 0;
      }
      EThread t = ref.body();
      ntos.ob.dereference(ref.header());
      long processMask = t.process().affinity();
      long mask = isAllOnes(dwThreadAffinityMask) ? processMask : dwThreadAffinityMask;
      if (mask == 0 || (mask & ~processMask) != 0) {
        return fail(WinError.ERROR_INVALID_PARAMETER, 0L);
      }
      return kernel.setAffinityThread(t, mask);
    } finally {
      nt.leave();
    }
  }

  /**
   * ~(DWORD_PTR)0, which ntdll takes from Vista on as "every processor of the process" (Wine's
   * test_thread_processor records it; the documentation is silent). DWORD_PTR is 32 bits on x86.
   */
  private boolean isAllOnes(long mask) {
    return mask == -1L || (mask == 0xFFFF_FFFFL && kernel.processorCount() <= 32);
  }

  /**
   * SetThreadIdealProcessor: returns the previous ideal processor; MAXIMUM_PROCESSORS only
   * queries; a processor that does not exist fails with (DWORD)-1 and ERROR_INVALID_PARAMETER.
   */
  public int SetThreadIdealProcessor(long hThread, int dwIdealProcessor) {
    nt.enter();
    try {
      Reference ref = setReference(hThread);
      if (!ref.ok()) {
        failStatus(ref.status());
        return -1;
      }
      EThread t = ref.body();
      ntos.ob.dereference(ref.header());
      if (dwIdealProcessor == MAXIMUM_PROCESSORS) {
        return t.idealProcessor();
      }
      if (dwIdealProcessor < 0 || dwIdealProcessor >= kernel.processorCount()) {
        return fail(WinError.ERROR_INVALID_PARAMETER, -1);
      }
      return kernel.setIdealProcessor(t, dwIdealProcessor);
    } finally {
      nt.leave();
    }
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
    nt.enter();
    try {
      long timeoutNs = dwMilliseconds == INFINITE ? -1
          : Integer.toUnsignedLong(dwMilliseconds) * 1_000_000L;
      int status = nt.waitOne(hHandle, bAlertable, timeoutNs);
      if (status < 0) {
        failStatus(status);
        return WAIT_FAILED;
      }
      return status;
    } finally {
      nt.leave();
    }
  }

  /** CloseHandle: FALSE with ERROR_INVALID_HANDLE for a handle that is not open. */
  public boolean CloseHandle(long hObject) {
    int status = nt.NtClose(hObject);
    return status == NtStatus.STATUS_SUCCESS || failStatus(status);
  }

  /** The process manager's view of a priority level, for labs that print it. */
  public static int basePriorityFor(EProcess p, int level) {
    return ProcessManager.basePriorityFor(p, level);
  }
}
