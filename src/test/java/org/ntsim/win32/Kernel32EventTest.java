package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CreateEventW, SetEvent, ResetEvent, PulseEvent, checked against Microsoft's documentation of
 * each function and Wine's conformance tests (dlls/kernel32/tests/sync.c, test_event).
 */
class Kernel32EventTest extends SyncTestSupport {

  @Test
  void createEventReturnsAHandleAndSetsTheLastErrorToZero() {
    long[] h = new long[1];
    int[] err = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.SetLastError(0xdead);
      h[0] = k.CreateEventW(null, false, false, null);
      err[0] = k.GetLastError();
      return 0;
    });
    assertThat(h[0]).isNotZero();
    assertThat(h[0] % 4).isZero();
    assertThat(err[0]).isZero();
  }

  @Test
  void autoResetEventSatisfiesOneWaitThenResets() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, false, true, null);
      r.add(k.WaitForSingleObject(e, 0));
      r.add(k.WaitForSingleObject(e, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, WAIT_TIMEOUT);
  }

  @Test
  void manualResetEventStaysSignalledUntilReset() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      r.add(k.WaitForSingleObject(e, 0));
      k.SetEvent(e);
      r.add(k.WaitForSingleObject(e, 0));
      r.add(k.WaitForSingleObject(e, 0));
      k.ResetEvent(e);
      r.add(k.WaitForSingleObject(e, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_TIMEOUT, WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_TIMEOUT);
  }

  @Test
  void setEventReleasesAThreadWaitingOnIt() {
    int[] waited = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, false, false, null);
      long t = k.CreateThread(null, 0, p -> {
        waited[0] = k.WaitForSingleObject(e, INFINITE);
        return 0;
      }, 0, 0, null);
      k.Sleep(5);
      k.SetEvent(e);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(waited[0]).isEqualTo(WAIT_OBJECT_0);
  }

  /** PulseEvent on a manual-reset event releases every thread waiting, then resets it. */
  @Test
  void pulseEventReleasesEveryWaiterOfAManualResetEvent() {
    int[] results = new int[3];
    int[] after = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long[] threads = new long[3];
      for (int i = 0; i < 3; i++) {
        int index = i;
        threads[i] = k.CreateThread(null, 0, p -> {
          results[index] = k.WaitForSingleObject(e, 200);
          return 0;
        }, 0, 0, null);
      }
      k.Sleep(10);
      k.PulseEvent(e);
      k.WaitForMultipleObjects(3, threads, true, INFINITE);
      after[0] = k.WaitForSingleObject(e, 0);
      return 0;
    });
    assertThat(results).containsOnly(WAIT_OBJECT_0);
    assertThat(after[0]).isEqualTo(WAIT_TIMEOUT);
  }

  /** PulseEvent on an auto-reset event releases one waiting thread; the others stay waiting. */
  @Test
  void pulseEventReleasesOneWaiterOfAnAutoResetEvent() {
    int[] results = new int[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, false, false, null);
      long[] threads = new long[3];
      for (int i = 0; i < 3; i++) {
        int index = i;
        threads[i] = k.CreateThread(null, 0, p -> {
          results[index] = k.WaitForSingleObject(e, 100);
          return 0;
        }, 0, 0, null);
      }
      k.Sleep(10);
      k.PulseEvent(e);
      k.WaitForMultipleObjects(3, threads, true, INFINITE);
      return 0;
    });
    assertThat(java.util.Arrays.stream(results).sorted().toArray())
        .containsExactly(WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_TIMEOUT);
  }

  /** With nobody waiting, PulseEvent leaves the event non-signalled. */
  @Test
  void pulseEventWithNoWaitersLeavesTheEventReset() {
    int[] r = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.PulseEvent(e);
      r[0] = k.WaitForSingleObject(e, 0);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_TIMEOUT);
  }

  @Test
  void setEventOnAnInvalidHandleFailsWithInvalidHandle() {
    boolean[] ok = {true};
    int[] err = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      ok[0] = k.SetEvent(0x1234);
      err[0] = k.GetLastError();
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(err[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }

  /** A handle to another type is STATUS_OBJECT_TYPE_MISMATCH, which is ERROR_INVALID_HANDLE. */
  @Test
  void setEventOnASemaphoreFailsWithInvalidHandleAndLeavesItAlone() {
    boolean[] ok = {true};
    int[] err = new int[1];
    int[] wait = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 0, 1, null);
      ok[0] = k.SetEvent(s);
      err[0] = k.GetLastError();
      wait[0] = k.WaitForSingleObject(s, 0);
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(err[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
    assertThat(wait[0]).isEqualTo(WAIT_TIMEOUT);
  }

  @Test
  void closedEventHandleIsInvalid() {
    int[] r = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, true, null);
      k.CloseHandle(e);
      r[0] = k.WaitForSingleObject(e, 0);
      r[1] = k.GetLastError();
      return 0;
    });
    assertThat(r[0]).isEqualTo(Kernel32.WAIT_FAILED);
    assertThat(r[1]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }
}
