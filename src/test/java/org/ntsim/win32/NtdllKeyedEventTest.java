package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ke.NtStatus.STATUS_ACCESS_DENIED;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_HANDLE;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER_1;
import static org.ntsim.ke.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static org.ntsim.ke.NtStatus.STATUS_SUCCESS;
import static org.ntsim.ke.NtStatus.STATUS_TIMEOUT;
import static org.ntsim.ke.NtStatus.STATUS_USER_APC;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ob.ObjectAttributes;

/**
 * Keyed events against Wine's dlls/ntdll/tests/sync.c test_keyed_events (run on Windows): keys,
 * access rights, the object type, the NULL handle of Vista and later, and the rendezvous of a
 * waiter and a releaser.
 */
class NtdllKeyedEventTest extends SyncTestSupport {
  private static final String NAME = "\\BaseNamedObjects\\WineTestEvent";
  private static final long TEN_MS = -100_000L;
  private static final int SYNCHRONIZE = 0x00100000;
  private static final int GENERIC_READ = 0x80000000;
  private static final int GENERIC_WRITE = 0x40000000;

  private static long create(Ntdll nt, int access) {
    long[] h = new long[1];
    assertThat(nt.NtCreateKeyedEvent(h, access, ObjectAttributes.named(NAME), 0))
        .isEqualTo(STATUS_SUCCESS);
    return h[0];
  }

  /** An odd key is STATUS_INVALID_PARAMETER_1, checked before the handle (0xdeadbeef). */
  @Test
  void anOddKeyIsRefusedBeforeTheHandleIsLookedAt() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);
      r.add(nt.NtWaitForKeyedEvent(h, 255, false, TEN_MS));
      r.add(nt.NtReleaseKeyedEvent(h, 255, false, TEN_MS));
      r.add(nt.NtWaitForKeyedEvent(0xdeadbeefL, 9, false, TEN_MS));
      r.add(nt.NtWaitForKeyedEvent(0xdeadbeefL, 8, false, TEN_MS));
      r.add(nt.NtReleaseKeyedEvent(0xdeadbeefL, 8, false, TEN_MS));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INVALID_PARAMETER_1, STATUS_INVALID_PARAMETER_1,
        STATUS_INVALID_PARAMETER_1, STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE);
  }

  /** With nobody on the other side, a wait and a release each time out (keys 254 and NULL). */
  @Test
  void aWaitAndAReleaseAloneTimeOut() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);
      r.add(nt.NtWaitForKeyedEvent(h, 254, false, TEN_MS));
      r.add(nt.NtReleaseKeyedEvent(h, 254, false, TEN_MS));
      r.add(nt.NtWaitForKeyedEvent(h, 0, false, TEN_MS));
      r.add(nt.NtReleaseKeyedEvent(h, 0, false, TEN_MS));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_TIMEOUT, STATUS_TIMEOUT, STATUS_TIMEOUT,
        STATUS_TIMEOUT);
  }

  /** A NULL handle is the system's keyed event on Vista and later (XP said invalid handle). */
  @Test
  void aNullHandleNamesTheSystemsKeyedEvent() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      r.add(ctx.ntdll().NtWaitForKeyedEvent(0, 8, false, TEN_MS));
      r.add(ctx.ntdll().NtReleaseKeyedEvent(0, 8, false, TEN_MS));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_TIMEOUT, STATUS_TIMEOUT);
  }

  /**
   * KEYEDEVENT_WAIT lets a handle wait and KEYEDEVENT_WAKE release, each alone; GENERIC_READ maps
   * to wait and GENERIC_WRITE to wake.
   */
  @Test
  void waitingNeedsWaitAccessAndReleasingWakeAccess() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      for (int access : new int[] {Ntdll.KEYEDEVENT_WAIT, Ntdll.KEYEDEVENT_WAKE, GENERIC_READ,
          GENERIC_WRITE}) {
        long h = create(nt, access);
        r.add(nt.NtWaitForKeyedEvent(h, 8, false, TEN_MS));
        r.add(nt.NtReleaseKeyedEvent(h, 8, false, TEN_MS));
        nt.NtClose(h);
      }
      return 0;
    });
    assertThat(r).containsExactly(STATUS_TIMEOUT, STATUS_ACCESS_DENIED,
        STATUS_ACCESS_DENIED, STATUS_TIMEOUT,
        STATUS_TIMEOUT, STATUS_ACCESS_DENIED,
        STATUS_ACCESS_DENIED, STATUS_TIMEOUT);
  }

  /**
   * WaitForSingleObject on a keyed event handle with SYNCHRONIZE returns at once (WAIT_OBJECT_0);
   * without SYNCHRONIZE it fails with ERROR_ACCESS_DENIED.
   */
  @Test
  void aWaitOnTheHandleEndsAtOnce() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      Kernel32 k = ctx.kernel32();
      long h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);
      r.add(k.WaitForSingleObject(h, 1000));
      nt.NtClose(h);
      h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS);
      r.add(k.WaitForSingleObject(h, 1000));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(Kernel32.WAIT_OBJECT_0, Kernel32.WAIT_FAILED,
        WinError.ERROR_ACCESS_DENIED);
  }

  /**
   * "It's not an event": NtPulseEvent on a keyed event, and the keyed event calls on an event,
   * are STATUS_OBJECT_TYPE_MISMATCH.
   */
  @Test
  void aKeyedEventIsNotAnEvent() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long h = create(nt, GENERIC_WRITE);
      r.add(nt.NtPulseEvent(h, null));
      nt.NtClose(h);
      long[] e = new long[1];
      nt.NtCreateEvent(e, Ntdll.GENERIC_ALL, ObjectAttributes.named(NAME),
          Ntdll.NotificationEvent, false);
      r.add(nt.NtWaitForKeyedEvent(e[0], 8, false, TEN_MS));
      r.add(nt.NtReleaseKeyedEvent(e[0], 8, false, TEN_MS));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_OBJECT_TYPE_MISMATCH, STATUS_OBJECT_TYPE_MISMATCH,
        STATUS_OBJECT_TYPE_MISMATCH);
  }

  /**
   * keyed_event_thread: two threads alternate, one waiting where the other releases, over twenty
   * keys; every call succeeds. A release waits for its waiter, so a thread that releases first
   * is held until the other side arrives.
   */
  @Test
  void aWaiterAndAReleaserMeetOnEachKey() {
    List<Integer> main = new ArrayList<>();
    List<Integer> other = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      Kernel32 k = ctx.kernel32();
      long h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS | SYNCHRONIZE);
      long t = k.CreateThread(null, 0, p -> {
        long[] mine = new long[1];
        nt.NtOpenKeyedEvent(mine, Ntdll.KEYEDEVENT_ALL_ACCESS, ObjectAttributes.named(NAME));
        for (int i = 0; i < 20; i++) {
          other.add((i & 1) != 0 ? nt.NtWaitForKeyedEvent(mine[0], i * 2L, false, Long.MIN_VALUE)
              : nt.NtReleaseKeyedEvent(mine[0], i * 2L, false, Long.MIN_VALUE));
          k.Sleep(20 - i);
        }
        return 0;
      }, 0, 0, null);
      for (int i = 0; i < 20; i++) {
        main.add((i & 1) != 0 ? nt.NtReleaseKeyedEvent(h, i * 2L, false, Long.MIN_VALUE)
            : nt.NtWaitForKeyedEvent(h, i * 2L, false, Long.MIN_VALUE));
        k.Sleep(i);
      }
      k.WaitForSingleObject(t, 30_000);
      return 0;
    });
    assertThat(main).hasSize(20).containsOnly(STATUS_SUCCESS);
    assertThat(other).hasSize(20).containsOnly(STATUS_SUCCESS);
  }

  /** keyed_event_thread: a release ends only when a waiter for its key arrives. */
  @Test
  void aReleaseWaitsUntilAWaiterTakesIt() {
    long[] times = new long[2];
    int[] status = {-1};
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      Kernel32 k = ctx.kernel32();
      long h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS);
      long t = k.CreateThread(null, 0, p -> {
        k.Sleep(50);
        times[0] = ctx.nowNs();
        return nt.NtWaitForKeyedEvent(h, 0x1234, false, Long.MIN_VALUE);
      }, 0, 0, null);
      status[0] = nt.NtReleaseKeyedEvent(h, 0x1234, false, Long.MIN_VALUE);
      times[1] = ctx.nowNs();
      k.WaitForSingleObject(t, 1000);
      return 0;
    });
    assertThat(status[0]).isEqualTo(STATUS_SUCCESS);
    assertThat(times[1]).as("released after the waiter came").isGreaterThanOrEqualTo(times[0]);
  }

  /** An alertable keyed wait ends for a user APC with STATUS_USER_APC, and leaves the list. */
  @Test
  void anAlertableWaitEndsForAUserApc() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      Kernel32 k = ctx.kernel32();
      long h = create(nt, Ntdll.KEYEDEVENT_ALL_ACCESS);
      long self = k.OpenThread(0x1F03FF, false, k.GetCurrentThreadId());
      long t = k.CreateThread(null, 0, p -> {
        k.Sleep(10);
        k.QueueUserAPC(x -> { }, self, 0);
        return 0;
      }, 0, 0, null);
      r.add(nt.NtWaitForKeyedEvent(h, 8, true, Long.MIN_VALUE));
      r.add(nt.NtReleaseKeyedEvent(h, 8, false, TEN_MS));
      k.WaitForSingleObject(t, 1000);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_USER_APC, STATUS_TIMEOUT);
  }
}
