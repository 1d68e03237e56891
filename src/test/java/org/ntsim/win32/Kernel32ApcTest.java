package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_IO_COMPLETION;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QueueUserAPC and alertable waits (SleepEx, WaitForSingleObjectEx, WaitForMultipleObjectsEx),
 * checked against Microsoft's documentation ("Asynchronous Procedure Calls", QueueUserAPC) and
 * Wine's tests (dlls/kernel32/tests/sync.c and thread.c).
 */
class Kernel32ApcTest extends SyncTestSupport {

  @Test
  void aQueuedApcRunsInTheNextAlertableWaitWhichReturnsWaitIoCompletion() {
    List<Long> ran = new ArrayList<>();
    int[] r = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r[0] = k.QueueUserAPC(ran::add, k.GetCurrentThread(), 42);
      r[1] = k.SleepEx(1000, true);
      return 0;
    });
    assertThat(r[0]).isNotZero();
    assertThat(r[1]).isEqualTo(WAIT_IO_COMPLETION);
    assertThat(ran).containsExactly(42L);
  }

  /** "APCs are executed in FIFO order": each queued APC runs, in the order queued. */
  @Test
  void queuedApcsRunFirstInFirstOutAllInOneWait() {
    List<Long> ran = new ArrayList<>();
    int[] r = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      for (long i = 1; i <= 3; i++) {
        k.QueueUserAPC(ran::add, k.GetCurrentThread(), i);
      }
      r[0] = k.SleepEx(1000, true);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_IO_COMPLETION);
    assertThat(ran).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aNonAlertableWaitDoesNotRunApcs() {
    List<Long> ran = new ArrayList<>();
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.QueueUserAPC(ran::add, k.GetCurrentThread(), 1);
      r.add(k.WaitForSingleObject(e, 20));
      r.add(ran.size());
      r.add(k.WaitForSingleObjectEx(e, 20, true));
      r.add(ran.size());
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT, 0, WAIT_IO_COMPLETION, 1);
  }

  @Test
  void anApcFromAnotherThreadEndsAnAlertableWait() {
    int[] r = {-1};
    List<Long> ran = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long t = k.CreateThread(null, 0, p -> {
        r[0] = k.WaitForMultipleObjectsEx(1, new long[] {e}, false, INFINITE, true);
        return 0;
      }, 0, 0, null);
      k.Sleep(5);
      k.QueueUserAPC(ran::add, t, 7);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_IO_COMPLETION);
    assertThat(ran).containsExactly(7L);
  }

  @Test
  void queueUserApcOnAnInvalidHandleFailsWithInvalidHandle() {
    int[] r = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r[0] = k.QueueUserAPC(p -> { }, 0x4444, 0);
      r[1] = k.GetLastError();
      return 0;
    });
    assertThat(r).containsExactly(0, WinError.ERROR_INVALID_HANDLE);
  }

  /**
   * The documentation is silent about a thread that has ended; NT's NtQueueApcThread fails with
   * STATUS_UNSUCCESSFUL when KeInsertQueueApc refuses (ERROR_GEN_FAILURE).
   */
  @Test
  void queueUserApcToAThreadThatHasEndedFails() {
    int[] r = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateThread(null, 0, p -> 0, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r[0] = k.QueueUserAPC(p -> { }, t, 0);
      r[1] = k.GetLastError();
      return 0;
    });
    assertThat(r).containsExactly(0, WinError.ERROR_GEN_FAILURE);
  }

  /** NtTestAlert runs queued user APCs without waiting. */
  @Test
  void ntTestAlertRunsQueuedApcs() {
    List<Long> ran = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.QueueUserAPC(ran::add, k.GetCurrentThread(), 5);
      ctx.ntdll().NtTestAlert();
      return 0;
    });
    assertThat(ran).containsExactly(5L);
  }

  /**
   * QueueUserAPC's documentation: "If an application queues an APC before the thread begins
   * running, the thread begins by calling the APC function. After the thread calls an APC
   * function, it calls the APC functions for all APCs in its APC queue." (In NT a new thread
   * enters user mode through LdrInitializeThunk, which ends with NtTestAlert.)
   */
  @Test
  void apcsQueuedToASuspendedThreadRunBeforeItsStartRoutine() {
    List<String> order = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateThread(null, 0, p -> {
        order.add("start");
        order.add("SleepEx " + k.SleepEx(0, true)); // nothing left queued: 0
        return 0;
      }, 0, Kernel32.CREATE_SUSPENDED, null);
      for (long i = 1; i <= 2; i++) {
        k.QueueUserAPC(v -> order.add("apc " + v), t, i);
      }
      k.ResumeThread(t);
      k.WaitForSingleObject(t, INFINITE);
      k.CloseHandle(t);
      return 0;
    });
    assertThat(order).containsExactly("apc 1", "apc 2", "start", "SleepEx 0");
  }
}
