package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ke.NtStatus.STATUS_ACCESS_DENIED;
import static org.ntsim.ke.NtStatus.STATUS_ACCESS_VIOLATION;
import static org.ntsim.ke.NtStatus.STATUS_ALERTED;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER_1;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER_3;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER_6;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER_MIX;
import static org.ntsim.ke.NtStatus.STATUS_MUTANT_NOT_OWNED;
import static org.ntsim.ke.NtStatus.STATUS_SEMAPHORE_LIMIT_EXCEEDED;
import static org.ntsim.ke.NtStatus.STATUS_SUCCESS;
import static org.ntsim.ke.NtStatus.STATUS_TIMEOUT;
import static org.ntsim.ke.NtStatus.STATUS_USER_APC;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The native calls behind the Win32 synchronisation API, checked against Wine's conformance
 * tests (dlls/ntdll/tests/sync.c test_event, test_mutant, test_semaphore) and the WRK's services
 * (NtWaitForMultipleObjects' parameter checks).
 */
class NtdllSyncTest extends SyncTestSupport {
  private static final int ALL = Ntdll.GENERIC_ALL;

  @Test
  void ntCreateEventRefusesAnUnknownEventType() {
    int[] r = new int[1];
    run(ctx -> {
      r[0] = ctx.ntdll().NtCreateEvent(new long[1], ALL, null, 2, false);
      return 0;
    });
    assertThat(r[0]).isEqualTo(STATUS_INVALID_PARAMETER);
  }

  /**
   * \ObjectTypes belongs to the kernel (its security descriptor lets no caller create objects
   * there): a name there is refused with STATUS_ACCESS_DENIED, so that no object can take the
   * name of a type (here Event, before the first event makes its type known) and the type is
   * made as usual afterwards.
   */
  @Test
  void noObjectCanBeCreatedInObjectTypes() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      r.add(nt.NtCreateSemaphore(new long[1], ALL,
          org.ntsim.ob.ObjectAttributes.named("\\ObjectTypes\\Event"), 1, 1));
      r.add(nt.NtCreateEvent(new long[1], ALL, null, Ntdll.NotificationEvent, false));
      r.add(nt.NtCreateEvent(new long[1], ALL,
          org.ntsim.ob.ObjectAttributes.named("\\ObjectTypes\\Fuzz"), Ntdll.NotificationEvent,
          false));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_ACCESS_DENIED, STATUS_SUCCESS, STATUS_ACCESS_DENIED);
  }

  /** Wine test_event: the previous states of set, reset and pulse on a synchronization event. */
  @Test
  void eventCallsReturnThePreviousState() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.SynchronizationEvent, false);
      int[] prev = {0xdead};
      nt.NtPulseEvent(h[0], prev);
      r.add(prev[0]);
      nt.NtSetEvent(h[0], prev);
      r.add(prev[0]);
      nt.NtSetEvent(h[0], prev);
      r.add(prev[0]);
      nt.NtResetEvent(h[0], prev);
      r.add(prev[0]);
      nt.NtResetEvent(h[0], prev);
      r.add(prev[0]);
      nt.NtSetEvent(h[0], prev);
      r.add(prev[0]);
      nt.NtPulseEvent(h[0], prev);
      r.add(prev[0]);
      return 0;
    });
    assertThat(r).containsExactly(0, 0, 1, 1, 0, 0, 1);
  }

  @Test
  void setEventThroughAHandleWithoutModifyStateIsAccessDenied() {
    int[] r = new int[2];
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, Kernel32.SYNCHRONIZE, null, Ntdll.NotificationEvent, false);
      r[0] = nt.NtSetEvent(h[0], null);
      r[1] = nt.NtWaitForSingleObject(h[0], false, 0);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_ACCESS_DENIED, STATUS_TIMEOUT);
  }

  /** A bad out-pointer fails the service's probe before anything changes. */
  @Test
  void aBadPreviousStatePointerIsAnAccessViolationAndTheEventIsUntouched() {
    int[] r = new int[2];
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.NotificationEvent, false);
      r[0] = nt.NtSetEvent(h[0], new int[0]);
      r[1] = nt.NtWaitForSingleObject(h[0], false, 0);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_ACCESS_VIOLATION, STATUS_TIMEOUT);
  }

  /** Wine test_mutant: previous counts -1 then 0; then the caller no longer owns it. */
  @Test
  void ntReleaseMutantReturnsThePreviousCount() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateMutant(h, ALL, null, true);
      r.add(nt.NtWaitForSingleObject(h[0], false, Long.MIN_VALUE));
      int[] prev = {0xdead};
      r.add(nt.NtReleaseMutant(h[0], prev));
      r.add(prev[0]);
      r.add(nt.NtReleaseMutant(h[0], prev));
      r.add(prev[0]);
      prev[0] = 0xdead;
      r.add(nt.NtReleaseMutant(h[0], prev));
      r.add(prev[0]);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_SUCCESS, STATUS_SUCCESS, -1, STATUS_SUCCESS, 0,
        STATUS_MUTANT_NOT_OWNED, 0xdead);
  }

  /** Wine test_semaphore, in order. */
  @Test
  void semaphoreCountsAndLimitAsWineRecordsThem() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      r.add(nt.NtCreateSemaphore(h, ALL, null, 2, 1));
      r.add(nt.NtCreateSemaphore(h, ALL, null, 1, 2));
      r.add(nt.NtWaitForSingleObject(h[0], false, Long.MIN_VALUE));
      int[] prev = {0xdead};
      r.add(nt.NtReleaseSemaphore(h[0], 3, prev));
      r.add(prev[0]);
      r.add(nt.NtReleaseSemaphore(h[0], 1, prev));
      r.add(prev[0]);
      r.add(nt.NtReleaseSemaphore(h[0], 1, prev));
      r.add(prev[0]);
      prev[0] = 0xdead;
      r.add(nt.NtReleaseSemaphore(h[0], 1, prev));
      r.add(prev[0]);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INVALID_PARAMETER, STATUS_SUCCESS, STATUS_SUCCESS,
        STATUS_SEMAPHORE_LIMIT_EXCEEDED, 0xdead, STATUS_SUCCESS, 0, STATUS_SUCCESS, 1,
        STATUS_SEMAPHORE_LIMIT_EXCEEDED, 0xdead);
  }

  /** WRK NtWaitForMultipleObjects: the count, the wait type, then duplicates in a WaitAll. */
  @Test
  void ntWaitForMultipleObjectsChecksItsParameters() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.NotificationEvent, true);
      long[] handles = new long[65];
      java.util.Arrays.fill(handles, h[0]);
      r.add(nt.NtWaitForMultipleObjects(0, handles, Ntdll.WaitAny, false, 0));
      r.add(nt.NtWaitForMultipleObjects(65, handles, Ntdll.WaitAny, false, 0));
      r.add(nt.NtWaitForMultipleObjects(1, handles, 2, false, 0));
      r.add(nt.NtWaitForMultipleObjects(2, handles, Ntdll.WaitAll, false, 0));
      r.add(nt.NtWaitForMultipleObjects(64, handles, Ntdll.WaitAny, false, 0));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INVALID_PARAMETER_1, STATUS_INVALID_PARAMETER_1,
        STATUS_INVALID_PARAMETER_3, STATUS_INVALID_PARAMETER_MIX, STATUS_SUCCESS);
  }

  @Test
  void ntAlertThreadOnItselfMakesTheNextTestAlertReturnAlerted() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      r.add(nt.NtAlertThread(Ntdll.NtCurrentThread));
      r.add(nt.NtTestAlert());
      r.add(nt.NtTestAlert());
      return 0;
    });
    assertThat(r).containsExactly(STATUS_SUCCESS, STATUS_ALERTED, STATUS_SUCCESS);
  }

  @Test
  void ntAlertThreadEndsAnAlertableWaitWithAlerted() {
    int[] r = {-1};
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      Kernel32 k = ctx.kernel32();
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.NotificationEvent, false);
      long t = k.CreateThread(null, 0, p -> {
        r[0] = nt.NtWaitForSingleObject(h[0], true, Long.MIN_VALUE);
        return 0;
      }, 0, 0, null);
      k.Sleep(5);
      nt.NtAlertThread(t);
      k.WaitForSingleObject(t, Kernel32.INFINITE);
      return 0;
    });
    assertThat(r[0]).isEqualTo(STATUS_ALERTED);
  }

  @Test
  void aUserApcEndsAnAlertableNativeWaitWithUserApc() {
    int[] r = {-1};
    List<Long> args = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      nt.NtQueueApcThread(Ntdll.NtCurrentThread, (a1, a2, a3) -> {
        args.add(a1);
        args.add(a2);
        args.add(a3);
      }, 1, 2, 3);
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.NotificationEvent, false);
      r[0] = nt.NtWaitForSingleObject(h[0], true, Long.MIN_VALUE);
      return 0;
    });
    assertThat(r[0]).isEqualTo(STATUS_USER_APC);
    assertThat(args).containsExactly(1L, 2L, 3L);
  }

  @Test
  void ntSetTimerRefusesANegativePeriod() {
    int[] r = new int[1];
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateTimer(h, ALL, null, Ntdll.NotificationTimer);
      r[0] = nt.NtSetTimer(h[0], -1, null, 0, false, -1, null);
      return 0;
    });
    assertThat(r[0]).isEqualTo(STATUS_INVALID_PARAMETER_6);
  }

  @Test
  void ntSetTimerReportsWhetherTheTimerWasSignalled() {
    List<Boolean> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateTimer(h, ALL, null, Ntdll.NotificationTimer);
      boolean[] prev = new boolean[1];
      nt.NtSetTimer(h[0], -1, null, 0, false, 0, prev);
      r.add(prev[0]);
      nt.NtWaitForSingleObject(h[0], false, Long.MIN_VALUE);
      nt.NtSetTimer(h[0], -10_000_000L, null, 0, false, 0, prev);
      r.add(prev[0]);
      nt.NtCancelTimer(h[0], prev);
      r.add(prev[0]);
      return 0;
    });
    assertThat(r).containsExactly(false, true, false);
  }
}
