package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_FAILED;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WaitForMultipleObjects(Ex), WaitForSingleObject timeouts and SignalObjectAndWait, checked
 * against Microsoft's documentation and Wine's tests (dlls/kernel32/tests/sync.c
 * test_WaitForMultipleObjects, test_signalandwait) and the WRK's NtWaitForMultipleObjects.
 */
class Kernel32WaitTest extends SyncTestSupport {

  /** "the return value minus WAIT_OBJECT_0 indicates the lowest index of the objects". */
  @Test
  void waitAnyReportsTheLowestSignalledIndexAndConsumesOnlyThatObject() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] events = new long[4];
      for (int i = 0; i < 4; i++) {
        events[i] = k.CreateEventW(null, false, i >= 1, null);
      }
      for (int i = 0; i < 4; i++) {
        r.add(k.WaitForMultipleObjects(4, events, false, 0));
      }
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0 + 1, WAIT_OBJECT_0 + 2, WAIT_OBJECT_0 + 3,
        WAIT_TIMEOUT);
  }

  /** Wine: a manual-reset event remains signalled, so the same index is reported again. */
  @Test
  void waitAnyOnAManualResetEventKeepsReportingIt() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] h = {k.CreateEventW(null, true, true, null), k.CreateEventW(null, false, true, null)};
      r.add(k.WaitForMultipleObjects(2, h, false, 0));
      r.add(k.WaitForMultipleObjects(2, h, false, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, WAIT_OBJECT_0);
  }

  /** WaitAll is satisfied atomically or not at all: auto-reset events stay set while one is not. */
  @Test
  void waitAllConsumesNothingUntilEveryObjectIsSignalled() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.CreateEventW(null, false, true, null);
      long b = k.CreateEventW(null, false, false, null);
      long s = k.CreateSemaphoreW(null, 1, 1, null);
      long[] h = {a, b, s};
      r.add(k.WaitForMultipleObjects(3, h, true, 0));
      r.add(k.WaitForSingleObject(a, 0)); // still signalled
      k.SetEvent(a);
      k.SetEvent(b);
      r.add(k.WaitForMultipleObjects(3, h, true, 0));
      r.add(k.WaitForSingleObject(a, 0));
      r.add(k.WaitForSingleObject(s, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT, WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_TIMEOUT,
        WAIT_TIMEOUT);
  }

  @Test
  void waitAllWakesWhenTheLastObjectIsSignalled() {
    int[] r = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.CreateEventW(null, true, true, null);
      long b = k.CreateEventW(null, true, false, null);
      long t = k.CreateThread(null, 0, p -> {
        r[0] = k.WaitForMultipleObjects(2, new long[] {a, b}, true, INFINITE);
        return 0;
      }, 0, 0, null);
      k.Sleep(5);
      k.SetEvent(b);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_OBJECT_0);
  }

  @Test
  void zeroOrMoreThanMaximumWaitObjectsFailsWithInvalidParameter() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] h = new long[65];
      for (int i = 0; i < 65; i++) {
        h[i] = k.CreateEventW(null, true, true, null);
      }
      r.add(k.WaitForMultipleObjects(0, h, false, 0));
      r.add(k.GetLastError());
      r.add(k.WaitForMultipleObjects(65, h, false, 0));
      r.add(k.GetLastError());
      r.add(k.WaitForMultipleObjects(64, h, true, 0)); // exactly MAXIMUM_WAIT_OBJECTS is fine
      return 0;
    });
    int invalid = WinError.ERROR_INVALID_PARAMETER;
    assertThat(r).containsExactly(WAIT_FAILED, invalid, WAIT_FAILED, invalid, WAIT_OBJECT_0);
  }

  /** NtWaitForMultipleObjects refuses an object named twice in a WaitAll (WRK obwait.c). */
  @Test
  void theSameHandleTwiceFailsForWaitAllButNotForWaitAny() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, true, null);
      r.add(k.WaitForMultipleObjects(2, new long[] {e, e}, true, 0));
      r.add(k.GetLastError());
      r.add(k.WaitForMultipleObjects(2, new long[] {e, e}, false, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_FAILED, WinError.ERROR_INVALID_PARAMETER, WAIT_OBJECT_0);
  }

  @Test
  void anInvalidHandleAmongThemFailsWithInvalidHandleAndConsumesNothing() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, false, true, null);
      r.add(k.WaitForMultipleObjects(2, new long[] {e, 0x4444}, false, 0));
      r.add(k.GetLastError());
      r.add(k.WaitForSingleObject(e, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_FAILED, WinError.ERROR_INVALID_HANDLE, WAIT_OBJECT_0);
  }

  @Test
  void aZeroTimeoutTestsWithoutWaiting() {
    long[] elapsed = new long[1];
    int[] r = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long start = ctx.nowNs();
      r[0] = k.WaitForMultipleObjects(1, new long[] {e}, false, 0);
      elapsed[0] = ctx.nowNs() - start;
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_TIMEOUT);
    assertThat(elapsed[0]).isLessThan(TestOs.MS);
  }

  @Test
  void aTimeoutEndsTheWaitNoSoonerThanAsked() {
    long[] elapsed = new long[1];
    int[] r = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long start = ctx.nowNs();
      r[0] = k.WaitForMultipleObjects(1, new long[] {e}, false, 40);
      elapsed[0] = ctx.nowNs() - start;
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_TIMEOUT);
    assertThat(elapsed[0]).isGreaterThanOrEqualTo(40 * TestOs.MS).isLessThan(80 * TestOs.MS);
  }

  @Test
  void aThreadHandleIsSignalledWhenTheThreadEnds() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long t = k.CreateThread(null, 0, p -> 0, 0, 0, null);
      r.add(k.WaitForMultipleObjects(2, new long[] {e, t}, false, INFINITE));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0 + 1);
  }

  /** Wine's test_signalandwait, in order. */
  @Test
  void signalObjectAndWaitSignalsOneObjectAndWaitsOnTheOther() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.SignalObjectAndWait(0, 0, 0, false));
      long e0 = k.CreateEventW(null, false, false, null);
      long e1 = k.CreateEventW(null, true, true, null);
      r.add(k.SignalObjectAndWait(e0, 0, 0, false));
      r.add(k.SignalObjectAndWait(0, e0, 0, false));
      r.add(k.SignalObjectAndWait(e0, e1, 0, false));
      r.add(k.SignalObjectAndWait(e0, e0, 0, false)); // e0 was signalled: the wait consumes it
      r.add(k.WaitForSingleObject(e0, 0));
      k.ResetEvent(e1);
      r.add(k.SignalObjectAndWait(e0, e1, 0, false));
      long s0 = k.CreateSemaphoreW(null, 0, 1, null);
      long s1 = k.CreateSemaphoreW(null, 1, 1, null);
      r.add(k.SignalObjectAndWait(s0, s1, 0, false));
      r.add(k.SignalObjectAndWait(s0, s1, 0, false));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(WAIT_FAILED, WAIT_FAILED, WAIT_FAILED, WAIT_OBJECT_0,
        WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_TIMEOUT, WAIT_OBJECT_0, WAIT_FAILED,
        WinError.ERROR_TOO_MANY_POSTS);
  }

  @Test
  void signalObjectAndWaitOnAThreadToSignalFailsWithInvalidHandle() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, true, null);
      r.add(k.SignalObjectAndWait(k.GetCurrentThread(), e, 0, false));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(WAIT_FAILED, WinError.ERROR_INVALID_HANDLE);
  }
}
