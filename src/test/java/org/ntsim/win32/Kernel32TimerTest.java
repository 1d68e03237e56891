package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_IO_COMPLETION;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CreateWaitableTimerW, SetWaitableTimer, CancelWaitableTimer, checked against Microsoft's
 * documentation ("Waitable Timer Objects", SetWaitableTimer: due time in 100 ns units, negative
 * relative; period in milliseconds; the completion routine queued as an APC to the thread that
 * set the timer, run only in its alertable waits).
 */
class Kernel32TimerTest extends SyncTestSupport {
  private static final long MS_100NS = -10_000L; // one millisecond, relative

  @Test
  void aRelativeTimerIsSignalledWhenItsDueTimeHasPassedAndNotBefore() {
    List<Object> r = new ArrayList<>();
    long[] elapsed = new long[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, true, null);
      r.add(k.WaitForSingleObject(t, 0)); // created non-signalled
      long start = ctx.nowNs();
      r.add(k.SetWaitableTimer(t, 50 * MS_100NS, 0, null, 0, false));
      r.add(k.WaitForSingleObject(t, 10));
      r.add(k.WaitForSingleObject(t, INFINITE));
      elapsed[0] = ctx.nowNs() - start;
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT, true, WAIT_TIMEOUT, WAIT_OBJECT_0);
    assertThat(elapsed[0]).isGreaterThanOrEqualTo(50 * MS);
  }

  @Test
  void aManualResetTimerStaysSignalledASynchronizationTimerResets() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long manual = k.CreateWaitableTimerW(null, true, null);
      long sync = k.CreateWaitableTimerW(null, false, null);
      k.SetWaitableTimer(manual, 5 * MS_100NS, 0, null, 0, false);
      k.SetWaitableTimer(sync, 5 * MS_100NS, 0, null, 0, false);
      k.Sleep(40);
      r.add(k.WaitForSingleObject(manual, 0));
      r.add(k.WaitForSingleObject(manual, 0));
      r.add(k.WaitForSingleObject(sync, 0));
      r.add(k.WaitForSingleObject(sync, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_TIMEOUT);
  }

  @Test
  void aPeriodicTimerIsSignalledAgainEachPeriod() {
    int[] signals = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, false, null);
      k.SetWaitableTimer(t, 20 * MS_100NS, 20, null, 0, false);
      for (int i = 0; i < 4; i++) {
        if (k.WaitForSingleObject(t, 200) == WAIT_OBJECT_0) {
          signals[0]++;
        }
      }
      k.CancelWaitableTimer(t);
      return 0;
    });
    assertThat(signals[0]).isEqualTo(4);
  }

  /** "CancelWaitableTimer does not change the signaled state of the timer." */
  @Test
  void cancelStopsTheTimerAndLeavesItsStateAlone() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long pending = k.CreateWaitableTimerW(null, true, null);
      long fired = k.CreateWaitableTimerW(null, true, null);
      k.SetWaitableTimer(pending, 100 * MS_100NS, 0, null, 0, false);
      k.SetWaitableTimer(fired, -1, 0, null, 0, false);
      k.Sleep(20);
      r.add(k.CancelWaitableTimer(pending));
      r.add(k.CancelWaitableTimer(fired));
      k.Sleep(150);
      r.add(k.WaitForSingleObject(pending, 0));
      r.add(k.WaitForSingleObject(fired, 0));
      return 0;
    });
    assertThat(r).containsExactly(true, true, WAIT_TIMEOUT, WAIT_OBJECT_0);
  }

  /** Setting a signalled timer again makes it non-signalled until the new due time. */
  @Test
  void settingATimerAgainResetsIt() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, true, null);
      k.SetWaitableTimer(t, -1, 0, null, 0, false);
      k.Sleep(20);
      r.add(k.WaitForSingleObject(t, 0));
      k.SetWaitableTimer(t, 100 * MS_100NS, 0, null, 0, false);
      r.add(k.WaitForSingleObject(t, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, WAIT_TIMEOUT);
  }

  @Test
  void theCompletionRoutineRunsAsAnApcInTheSettingThreadsAlertableWait() {
    List<Long> args = new ArrayList<>();
    List<Integer> r = new ArrayList<>();
    int[] lowHigh = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, false, null);
      k.SetWaitableTimer(t, 10 * MS_100NS, 0, (arg, low, high) -> {
        args.add(arg);
        lowHigh[0] = low;
        lowHigh[1] = high;
      }, 99, false);
      r.add(k.WaitForSingleObject(t, INFINITE)); // not alertable: the APC waits
      r.add(args.size());
      r.add(k.SleepEx(INFINITE, true));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, 0, WAIT_IO_COMPLETION);
    assertThat(args).containsExactly(99L);
    long when100ns = ((long) lowHigh[1] << 32) | Integer.toUnsignedLong(lowHigh[0]);
    // TimerAPCProc's dwTimerLowValue/HighValue: "the UTC-based time at which the timer was
    // signaled", a FILETIME (Microsoft's TimerAPCProc page)
    long boot = org.ntsim.hal.MachineConfig.VISTA_ERA_BOOT_TIME;
    assertThat(when100ns).as("the expiry's system time, a UTC FILETIME")
        .isBetween(boot + 10 * 10_000L, boot + 1_000 * 10_000L);
  }

  @Test
  void cancelWithdrawsACompletionRoutineNotYetRun() {
    List<Long> args = new ArrayList<>();
    int[] r = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, true, null);
      k.SetWaitableTimer(t, -1, 0, (arg, low, high) -> args.add(arg), 1, false);
      k.Sleep(20);
      k.CancelWaitableTimer(t);
      r[0] = k.SleepEx(30, true);
      return 0;
    });
    assertThat(r[0]).isZero();
    assertThat(args).isEmpty();
  }

  @Test
  void aNegativePeriodFailsWithInvalidParameter() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, true, null);
      r.add(k.SetWaitableTimer(t, -1, -5, null, 0, false));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void setWaitableTimerOnAnEventFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      r.add(k.SetWaitableTimer(e, -1, 0, null, 0, false));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE);
  }

  /** "If fResume is TRUE and the system does not support a resume, the function returns TRUE
   * and GetLastError returns ERROR_NOT_SUPPORTED." */
  @Test
  void resumeIsNotSupportedButTheTimerIsSet() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long t = k.CreateWaitableTimerW(null, true, null);
      r.add(k.SetWaitableTimer(t, -1, 0, null, 0, true));
      r.add(k.GetLastError());
      r.add(k.WaitForSingleObject(t, 100));
      return 0;
    });
    assertThat(r).containsExactly(true, WinError.ERROR_NOT_SUPPORTED, WAIT_OBJECT_0);
  }

  /**
   * SetWaitableTimer: "If the thread that set the timer terminates and there is an associated
   * completion routine, the timer is canceled."
   */
  @Test
  void aTimerWithARoutineIsCancelledWhenTheThreadThatSetItEnds() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long timer = k.CreateWaitableTimerW(null, false, null);
      long t = k.CreateThread(null, 0, p -> {
        k.SetWaitableTimer(timer, -100_000L, 10, (arg, lo, hi) -> { }, 0, false);
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r.add(k.WaitForSingleObject(timer, 60));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT);
  }

  /** Without a completion routine the timer outlives the thread that set it. */
  @Test
  void aTimerWithoutARoutineOutlivesTheThreadThatSetIt() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long timer = k.CreateWaitableTimerW(null, false, null);
      long t = k.CreateThread(null, 0, p -> {
        k.SetWaitableTimer(timer, -100_000L, 10, null, 0, false);
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r.add(k.WaitForSingleObject(timer, 60));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0);
  }
}
