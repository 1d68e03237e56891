package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;

/**
 * SuspendThread, ResumeThread, CREATE_SUSPENDED, TerminateProcess and GetExitCodeProcess,
 * checked against Microsoft's documentation and Wine's tests (dlls/kernel32/tests/thread.c
 * test_SuspendThread, test_CreateThread_suspended).
 */
class Kernel32SuspendTest extends SyncTestSupport {

  @Test
  void suspendAndResumeReturnThePreviousCount() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long t = k.CreateThread(null, 0, p -> k.WaitForSingleObject(e, INFINITE), 0, 0, null);
      r.add(k.ResumeThread(t)); // not suspended: 0, nothing changes
      r.add(k.SuspendThread(t));
      r.add(k.SuspendThread(t));
      r.add(k.ResumeThread(t));
      r.add(k.ResumeThread(t));
      r.add(k.ResumeThread(t));
      k.SetEvent(e);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(r).containsExactly(0, 0, 1, 2, 1, 0);
  }

  @Test
  void aSuspendedThreadDoesNotRunUntilResumed() {
    long[] counts = new long[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] counter = new long[1];
      boolean[] stop = new boolean[1];
      long t = k.CreateThread(null, 0, p -> {
        while (!stop[0]) {
          counter[0]++;
          k.Sleep(1);
        }
        return 0;
      }, 0, 0, null);
      k.Sleep(50);
      k.SuspendThread(t);
      k.Sleep(20);
      counts[0] = counter[0];
      k.Sleep(100);
      counts[1] = counter[0];
      k.ResumeThread(t);
      k.Sleep(100);
      counts[2] = counter[0];
      stop[0] = true;
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(counts[1]).as("no progress while suspended").isEqualTo(counts[0]);
    assertThat(counts[2]).as("progress after resume").isGreaterThan(counts[1]);
  }

  @Test
  void aThreadCreatedSuspendedRunsOnlyAfterResumeThread() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      boolean[] ran = new boolean[1];
      long t = k.CreateThread(null, 0, p -> {
        ran[0] = true;
        return 5;
      }, 0, Kernel32.CREATE_SUSPENDED, null);
      r.add(t != 0);
      r.add(k.WaitForSingleObject(t, 50));
      r.add(ran[0]);
      r.add(k.ResumeThread(t));
      r.add(k.WaitForSingleObject(t, INFINITE));
      r.add(ran[0]);
      return 0;
    });
    assertThat(r).containsExactly(true, Kernel32.WAIT_TIMEOUT, false, 1, Kernel32.WAIT_OBJECT_0,
        true);
  }

  /** Wine: suspending a thread that has ended fails (ERROR_ACCESS_DENIED). */
  @Test
  void suspendingAThreadThatHasEndedFails() {
    int[] r = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateThread(null, 0, p -> 0, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r[0] = k.SuspendThread(t);
      r[1] = k.GetLastError();
      return 0;
    });
    assertThat(r).containsExactly(-1, WinError.ERROR_ACCESS_DENIED);
  }

  @Test
  void suspendOfAnInvalidHandleFailsWithInvalidHandle() {
    int[] r = new int[4];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r[0] = k.SuspendThread(0);
      r[1] = k.GetLastError();
      r[2] = k.ResumeThread(0x4444);
      r[3] = k.GetLastError();
      return 0;
    });
    assertThat(r).containsExactly(-1, WinError.ERROR_INVALID_HANDLE, -1,
        WinError.ERROR_INVALID_HANDLE);
  }

  /** MAXIMUM_SUSPEND_COUNT is 127: the 128th suspension fails (STATUS_SUSPEND_COUNT_EXCEEDED). */
  @Test
  void suspendPastTheMaximumCountFails() {
    int[] r = new int[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateThread(null, 0, p -> 0, 0, Kernel32.CREATE_SUSPENDED, null);
      for (int i = 1; i < 127; i++) { // created suspended: count 1, now up to 127
        k.SuspendThread(t);
      }
      r[0] = k.SuspendThread(t);
      r[1] = k.GetLastError();
      r[2] = k.ResumeThread(t);
      k.TerminateThread(t, 0);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(r).containsExactly(-1, WinError.ERROR_SIGNAL_REFUSED, 127);
  }

  @Test
  void terminateProcessOfItselfEndsItWithTheCode() {
    EProcess p = run(ctx -> {
      ctx.kernel32().TerminateProcess(ctx.kernel32().GetCurrentProcess(), 7);
      return 1;
    });
    assertThat(p.exitStatus()).isEqualTo(7);
  }

  @Test
  void terminateProcessOfNullFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.TerminateProcess(0, 7));
      r.add(k.GetLastError());
      int[] code = new int[1];
      r.add(k.GetExitCodeProcess(k.GetCurrentProcess(), code));
      r.add(code[0]);
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE, true,
        Kernel32.STILL_ACTIVE);
  }
}
