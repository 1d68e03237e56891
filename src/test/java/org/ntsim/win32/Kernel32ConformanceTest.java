package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_FAILED;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.AccessMask;
import org.ntsim.ob.ObjectAttributes;

/**
 * Edge cases whose Windows results Wine's conformance tests record (dlls/kernel32/tests/sync.c
 * test_WaitForSingleObject, test_WaitForMultipleObjects, test_QueueUserAPC; dlls/ntdll/tests/om.c;
 * dlls/ntdll/tests/error.c) or Microsoft documents (TerminateProcess).
 */
class Kernel32ConformanceTest extends SyncTestSupport {

  /** The two low bits of a handle value are tag bits that Windows ignores. */
  @Test
  void handleValuesWithTagBitsNameTheSameObject() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.SetLastError(0xDEADBEEF);
      for (int tag = 1; tag <= 3; tag++) {
        r.add(k.WaitForSingleObject(e | tag, 0));
      }
      k.SetEvent(e | 2);
      r.add(k.WaitForSingleObject(e | 3, 0));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT, WAIT_TIMEOUT, WAIT_TIMEOUT, WAIT_OBJECT_0,
        0xDEADBEEF);
  }

  /** A single-object wait takes a pseudo handle; WaitForMultipleObjects does not. */
  @Test
  void pseudoHandlesAreRefusedByWaitForMultipleObjects() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.WaitForSingleObject(k.GetCurrentThread(), 10));
      r.add(k.WaitForMultipleObjects(1, new long[] {k.GetCurrentProcess()}, false, 10));
      r.add(k.GetLastError());
      r.add(ctx.ntdll().NtWaitForMultipleObjects(1, new long[] {k.GetCurrentThread()},
          Ntdll.WaitAny, false, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT, WAIT_FAILED, WinError.ERROR_INVALID_HANDLE,
        NtStatus.STATUS_INVALID_HANDLE);
  }

  /**
   * TerminateProcess: "After a process has terminated, call to TerminateProcess with open handles
   * to the process fails with ERROR_ACCESS_DENIED (5) error code."
   */
  @Test
  void terminateProcessOfAnEndedProcessFailsWithAccessDenied() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      org.ntsim.ps.EProcess child = sys.os.launch("child.exe", c -> {
        c.kernel32().Sleep(INFINITE);
        return 0;
      });
      long h = k.OpenProcess(AccessMask.PROCESS_TERMINATE | AccessMask.SYNCHRONIZE
          | AccessMask.PROCESS_QUERY_INFORMATION, false, (int) child.pid());
      r.add(k.TerminateProcess(h, 42));
      r.add(k.WaitForSingleObject(h, INFINITE));
      int[] code = new int[1];
      r.add(k.GetExitCodeProcess(h, code));
      r.add(code[0]);
      r.add(k.TerminateProcess(h, 43));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(true, WAIT_OBJECT_0, true, 42, false,
        WinError.ERROR_ACCESS_DENIED);
  }

  /** kernel32's TerminateThread refuses a NULL handle rather than ending the caller. */
  @Test
  void terminateThreadOfNullFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.TerminateThread(0, 1));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE);
  }

  /**
   * NtQueueApcThread with a NULL routine succeeds, and nothing reaches user mode: the alertable
   * SleepEx that follows runs its full time and returns 0 (sync.c test_QueueUserAPC).
   */
  @Test
  void aNullApcRoutineIsQueuedButNothingRunsInUserMode() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(ctx.ntdll().NtQueueApcThread(k.GetCurrentThread(), null, 0, 0, 0));
      r.add(k.SleepEx(100, true));
      return 0;
    });
    assertThat(r).containsExactly(NtStatus.STATUS_SUCCESS, 0);
  }

  /** Vista leaves a failed create's handle out-parameter as the caller set it (om.c). */
  @Test
  void aFailedNativeCreateLeavesTheHandleOutParameterAlone() {
    long[] h = {0xDEADBEEFL};
    int[] status = new int[1];
    run(ctx -> {
      status[0] = ctx.ntdll().NtOpenEvent(h, AccessMask.SYNCHRONIZE,
          ObjectAttributes.named("\\BaseNamedObjects\\missing"));
      return 0;
    });
    assertThat(status[0]).isEqualTo(org.ntsim.ob.ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(h[0]).isEqualTo(0xDEADBEEFL);
  }

  /** RtlNtStatusToDosError values recorded by error.c. */
  @Test
  void statusToErrorMappingFollowsWindows() {
    assertThat(WinError.fromNtStatus(NtStatus.STATUS_PROCESS_IS_TERMINATING))
        .isEqualTo(WinError.ERROR_ACCESS_DENIED);
    assertThat(WinError.fromNtStatus(org.ntsim.ob.ObStatus.STATUS_OBJECT_NAME_EXISTS))
        .isEqualTo(WinError.ERROR_OBJECT_NAME_EXISTS);
    assertThat(WinError.fromNtStatus(org.ntsim.ob.ObStatus.STATUS_OBJECT_PATH_NOT_FOUND))
        .isEqualTo(WinError.ERROR_PATH_NOT_FOUND);
  }

  /**
   * A user APC still queued when its thread ends never runs, and its KAPC goes back to the pool
   * (PspExitThread flushes the queue with the rundown routines).
   */
  @Test
  void userApcsQueuedAtThreadExitAreRunDownNotRun() {
    List<Object> r = new ArrayList<>();
    long[] apcBlocks = new long[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long started = k.CreateEventW(null, true, false, null);
      long t = k.CreateThread(null, 0, p -> {
        k.SetEvent(started);
        k.Sleep(20); // not alertable: the APCs stay queued
        return 0;
      }, 0, 0, null);
      // Queued before the thread first ran, they would run at its start (LdrInitializeThunk).
      k.WaitForSingleObject(started, INFINITE);
      apcBlocks[0] = apcBlocksInUse();
      k.QueueUserAPC(p -> r.add("ran"), t, 1);
      k.QueueUserAPC(p -> r.add("ran"), t, 2);
      apcBlocks[1] = apcBlocksInUse();
      r.add(k.WaitForSingleObject(t, INFINITE));
      r.add(apcBlocksInUse() - apcBlocks[0]);
      return 0;
    });
    assertThat(apcBlocks[1] - apcBlocks[0]).isEqualTo(2);
    assertThat(r).containsExactly(WAIT_OBJECT_0, 0L);
  }

  private long apcBlocksInUse() {
    int tag = org.ntsim.ex.PoolTag.of("Apc ");
    return sys.os.pool.usage().stream().filter(u -> u.tag() == tag)
        .mapToLong(u -> u.nonPagedAllocs() - u.nonPagedFrees()).sum();
  }
}
