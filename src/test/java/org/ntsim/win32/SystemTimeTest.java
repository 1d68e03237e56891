package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER;
import static org.ntsim.ke.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static org.ntsim.ke.NtStatus.STATUS_SUCCESS;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.SystemTime;
import org.ntsim.ke.SystemTimeServices;
import org.ntsim.ps.EProcess;

/**
 * The time of day: KeBootTime from the machine's configuration, KeQuerySystemTime against
 * KeQueryInterruptTime (Microsoft's pages: both are the values of the last clock tick), the
 * services NtQuerySystemTime and NtSetSystemTime (the WRK's ex/sysinfo.c order: probe, privilege,
 * value), kernel32's GetSystemTimeAsFileTime, GetSystemTime and SetSystemTime, and absolute due
 * times as UTC FILETIMEs that follow a change of the time (KeSetSystemTime).
 */
class SystemTimeTest {
  /** 100 ns units in a millisecond. */
  private static final long TICKS_PER_MS = 10_000;

  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EProcess run(GuestProgram program) {
    if (sys == null) {
      sys = TestOs.boot(2);
    }
    EProcess p = sys.runProgram("t.exe", program, 5000 * MS);
    assertThat(p.exitTimeNs()).as("the program ended").isNotNegative();
    assertThat(p.unhandledException()).isNull();
    return p;
  }

  private SystemTimeServices time() {
    return SystemTimeServices.of(sys.os.kernel);
  }

  /** The system time is the configured boot time plus the interrupt time, tick by tick. */
  @Test
  void theSystemTimeIsTheBootTimePlusTheInterruptTime() {
    sys = TestOs.boot(2);
    sys.runFor(40 * MS);
    SystemTime t = SystemTime.of(sys.os.kernel);
    long tickNs = sys.tickNs;
    assertThat(t.bootTime()).isEqualTo(MachineConfig.VISTA_ERA_BOOT_TIME);
    assertThat(t.queryInterruptTime()).isEqualTo(sys.nowNs() / tickNs * tickNs / 100);
    assertThat(t.querySystemTime()).isEqualTo(t.bootTime() + t.queryInterruptTime());
  }

  /**
   * GetSystemTimeAsFileTime reads what NtQuerySystemTime returns; two reads within one clock
   * tick are equal (the shared page changes at each tick), and the next tick moves it by the
   * clock interval.
   */
  @Test
  void getSystemTimeAsFileTimeMovesByClockTicks() {
    List<Long> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] a = new long[1];
      long[] b = new long[1];
      long[] c = new long[1];
      k.Sleep(1);
      k.GetSystemTimeAsFileTime(a);
      ctx.ntdll().NtQuerySystemTime(b);
      k.Sleep(16);
      k.GetSystemTimeAsFileTime(c);
      r.add(b[0] - a[0]);
      r.add((c[0] - a[0]) % (sys.tickNs / 100));
      r.add(c[0] > a[0] ? 1L : 0L);
      return 0;
    });
    assertThat(r).containsExactly(0L, 0L, 1L);
  }

  /** A boot time set in MachineConfig is what GetSystemTime reports, in UTC fields. */
  @Test
  void getSystemTimeReportsTheConfiguredDate() {
    MachineConfig c = TestOs.config(1);
    c.bootTimeOfDay = MachineConfig.VISTA_ERA_BOOT_TIME + 36 * 3_600 * 10_000_000L; // +36 h
    sys = TestOs.boot(c);
    SystemTimeFields f = new SystemTimeFields();
    run(ctx -> {
      ctx.kernel32().GetSystemTime(f);
      return 0;
    });
    assertThat(List.of(f.wYear, f.wMonth, f.wDay, f.wHour, f.wDayOfWeek))
        .containsExactly(2008, 2, 28, 12, 4); // a Thursday
  }

  /**
   * A guest holds no SeSystemtimePrivilege (see SystemTimeServices): NtSetSystemTime is
   * STATUS_PRIVILEGE_NOT_HELD, SetSystemTime FALSE with ERROR_PRIVILEGE_NOT_HELD, and the time
   * does not change.
   */
  @Test
  void aGuestCannotSetTheSystemTime() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] before = new long[1];
      k.GetSystemTimeAsFileTime(before);
      r.add(ctx.ntdll().NtSetSystemTime(new long[] {before[0] + 1_000_000_000L}, null));
      r.add(k.SetSystemTime(new SystemTimeFields(2009, 1, 1, 0, 0, 0, 0)));
      r.add(k.GetLastError());
      long[] after = new long[1];
      k.GetSystemTimeAsFileTime(after);
      r.add(after[0] - before[0] < 10_000_000L);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_PRIVILEGE_NOT_HELD, false,
        WinError.ERROR_PRIVILEGE_NOT_HELD, true);
  }

  /** RtlTimeFieldsToTime refuses a month 13 and a 30 February: ERROR_INVALID_PARAMETER. */
  @Test
  void setSystemTimeRefusesFieldsOutOfRange() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.SetSystemTime(new SystemTimeFields(2008, 13, 1, 0, 0, 0, 0)));
      r.add(k.GetLastError());
      r.add(k.SetSystemTime(new SystemTimeFields(2008, 2, 30, 0, 0, 0, 0)));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, false,
        WinError.ERROR_INVALID_PARAMETER);
  }

  /**
   * ZwSetSystemTime from kernel mode sets the time and returns the previous one; the interrupt
   * time does not move. A time with a negative high part is STATUS_INVALID_PARAMETER.
   */
  @Test
  void aKernelModeCallerSetsTheTimeButNotTheInterruptTime() {
    sys = TestOs.boot(1);
    SystemTime t = SystemTime.of(sys.os.kernel);
    long newTime = MachineConfig.VISTA_ERA_BOOT_TIME + 365L * 24 * 3_600 * 10_000_000L;
    long[] previous = new long[1];
    int[] status = {-1, -1};
    long[] interrupt = new long[2];
    sys.systemThread("clock", 12, () -> {
      interrupt[0] = t.queryInterruptTime();
      long expected = t.querySystemTime();
      status[0] = time().ZwSetSystemTime(new long[] {newTime}, previous);
      interrupt[1] = t.queryInterruptTime();
      assertThat(previous[0]).isEqualTo(expected);
      status[1] = time().ZwSetSystemTime(new long[] {-1L}, null);
      return 0;
    });
    sys.runFor(MS);
    assertThat(status).containsExactly(STATUS_SUCCESS, STATUS_INVALID_PARAMETER);
    assertThat(interrupt[1]).isEqualTo(interrupt[0]);
    assertThat(t.querySystemTime() - t.queryInterruptTime()).isEqualTo(newTime - interrupt[0]);
  }

  /**
   * SetWaitableTimer with a positive due time: an absolute UTC FILETIME ("a positive value
   * indicates absolute time ... in the format described by the FILETIME structure"); the timer
   * fires when the system time reaches it, not before.
   */
  @Test
  void anAbsoluteDueTimeIsAUtcFiletime() {
    long[] elapsedNs = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long timer = k.CreateWaitableTimerW(null, true, null);
      long[] now = new long[1];
      k.GetSystemTimeAsFileTime(now);
      long due = now[0] + 100 * TICKS_PER_MS;
      long start = ctx.nowNs();
      k.SetWaitableTimer(timer, due, 0, null, 0, false);
      k.WaitForSingleObject(timer, Kernel32.INFINITE);
      long[] fired = new long[1];
      k.GetSystemTimeAsFileTime(fired);
      elapsedNs[0] = ctx.nowNs() - start;
      assertThat(fired[0]).isGreaterThanOrEqualTo(due);
      return 0;
    });
    assertThat(elapsedNs[0]).isBetween(100 * MS - sys.tickNs, 100 * MS + 2 * sys.tickNs);
  }

  /**
   * KeSetSystemTime re-evaluates absolute timers: setting the time an hour ahead expires at once
   * an absolute timer due in 10 s; a relative timer of 10 s keeps its interval.
   */
  @Test
  void settingTheTimeAheadExpiresAnAbsoluteTimerButNotARelativeOne() {
    sys = TestOs.boot(2);
    sys.systemThread("clock", 12, () -> {
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, 50 * MS);
      long now = SystemTime.of(sys.os.kernel).querySystemTime();
      time().ZwSetSystemTime(new long[] {now + 3_600L * 10_000_000L}, null);
      return 0;
    });
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long absolute = k.CreateWaitableTimerW(null, true, null);
      long relative = k.CreateWaitableTimerW(null, true, null);
      long[] now = new long[1];
      k.GetSystemTimeAsFileTime(now);
      k.SetWaitableTimer(absolute, now[0] + 10_000 * TICKS_PER_MS, 0, null, 0, false);
      k.SetWaitableTimer(relative, -10_000 * TICKS_PER_MS, 0, null, 0, false);
      r.add(k.WaitForSingleObject(absolute, 1000));
      r.add(k.WaitForSingleObject(relative, 0));
      return 0;
    });
    assertThat(r).containsExactly(Kernel32.WAIT_OBJECT_0, Kernel32.WAIT_TIMEOUT);
  }

  /**
   * KeSetSystemTime: setting the time back by 200 ms makes an absolute timer due in 100 ms fire
   * about 200 ms later than it would have.
   */
  @Test
  void settingTheTimeBackDelaysAnAbsoluteTimer() {
    sys = TestOs.boot(2);
    sys.systemThread("clock", 12, () -> {
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, 20 * MS);
      long now = SystemTime.of(sys.os.kernel).querySystemTime();
      time().ZwSetSystemTime(new long[] {now - 200 * TICKS_PER_MS}, null);
      return 0;
    });
    long[] elapsedNs = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long timer = k.CreateWaitableTimerW(null, true, null);
      long[] now = new long[1];
      k.GetSystemTimeAsFileTime(now);
      long start = ctx.nowNs();
      k.SetWaitableTimer(timer, now[0] + 100 * TICKS_PER_MS, 0, null, 0, false);
      k.WaitForSingleObject(timer, Kernel32.INFINITE);
      elapsedNs[0] = ctx.nowNs() - start;
      return 0;
    });
    assertThat(elapsedNs[0]).isBetween(300 * MS - sys.tickNs, 300 * MS + 2 * sys.tickNs);
  }

  /** NtWaitForSingleObject with a positive timeout waits until that system time. */
  @Test
  void anAbsoluteWaitTimeoutIsASystemTime() {
    long[] elapsedNs = {-1};
    int[] status = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long[] now = new long[1];
      k.GetSystemTimeAsFileTime(now);
      long start = ctx.nowNs();
      status[0] = ctx.ntdll().NtWaitForSingleObject(e, false, now[0] + 50 * TICKS_PER_MS);
      elapsedNs[0] = ctx.nowNs() - start;
      return 0;
    });
    assertThat(status[0]).isEqualTo(org.ntsim.ke.NtStatus.STATUS_TIMEOUT);
    assertThat(elapsedNs[0]).isBetween(50 * MS - sys.tickNs, 50 * MS + 2 * sys.tickNs);
  }

  /**
   * An absolute timeout already passed (1 January 1601 plus 100 ns) only tests the object, as a
   * zero timeout does; so does a due time of 1601 for a timer.
   */
  @Test
  void anAbsoluteTimeLongPastEndsAtOnce() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      r.add(ctx.ntdll().NtWaitForSingleObject(e, false, 1));
      long timer = k.CreateWaitableTimerW(null, true, null);
      k.SetWaitableTimer(timer, 1, 0, null, 0, false);
      r.add(k.WaitForSingleObject(timer, 0));
      return 0;
    });
    assertThat(r).containsExactly(org.ntsim.ke.NtStatus.STATUS_TIMEOUT, Kernel32.WAIT_OBJECT_0);
  }
}
