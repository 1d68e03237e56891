package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ke.NtStatus.STATUS_ACCESS_DENIED;
import static org.ntsim.ke.NtStatus.STATUS_INFO_LENGTH_MISMATCH;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_HANDLE;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_INFO_CLASS;
import static org.ntsim.ke.NtStatus.STATUS_NOT_IMPLEMENTED;
import static org.ntsim.ke.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static org.ntsim.ke.NtStatus.STATUS_SUCCESS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ex.sync.SyncInformation.EventBasic;
import org.ntsim.ex.sync.SyncInformation.MutantBasic;
import org.ntsim.ex.sync.SyncInformation.SemaphoreBasic;
import org.ntsim.ex.sync.SyncInformation.TimerBasic;
import org.ntsim.ex.sync.SyncObjectTypes;
import org.ntsim.ps.EThread;

/**
 * NtQueryEvent, NtQueryMutant, NtQuerySemaphore, NtQueryTimer and NtSetEventBoostPriority,
 * against Wine's dlls/ntdll/tests/sync.c (test_event, test_mutant, test_semaphore; run on
 * Windows), the WRK's ex/event.c and ex/timer.c, and Windows Internals on the lock-ownership
 * boost.
 */
class NtdllSyncQueryTest extends SyncTestSupport {
  private static final int ALL = Ntdll.GENERIC_ALL;

  /** sync.c test_event: a new notification event is type 0, state 0; a set sync event 1, 1. */
  @Test
  void ntQueryEventReportsTheTypeAndTheState() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.NotificationEvent, false);
      EventBasic info = new EventBasic();
      r.add(nt.NtQueryEvent(h[0], Ntdll.EventBasicInformation, info, EventBasic.SIZE, null));
      r.add(info.EventType);
      r.add(info.EventState);
      nt.NtCreateEvent(h, ALL, null, Ntdll.SynchronizationEvent, false);
      nt.NtSetEvent(h[0], null);
      int[] length = {-1};
      r.add(nt.NtQueryEvent(h[0], Ntdll.EventBasicInformation, info, EventBasic.SIZE, length));
      r.add(info.EventType);
      r.add(info.EventState);
      r.add(length[0]);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_SUCCESS, 0, 0, STATUS_SUCCESS, 1, 1, 8);
  }

  /** WRK NtQueryEvent references the handle for EVENT_QUERY_STATE. */
  @Test
  void ntQueryEventNeedsEventQueryState() {
    int[] r = new int[1];
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, SyncObjectTypes.EVENT_MODIFY_STATE, null, Ntdll.NotificationEvent,
          false);
      r[0] = nt.NtQueryEvent(h[0], Ntdll.EventBasicInformation, new EventBasic(),
          EventBasic.SIZE, null);
      return 0;
    });
    assertThat(r[0]).isEqualTo(STATUS_ACCESS_DENIED);
  }

  /**
   * sync.c test_mutant "bogus": length 0 is STATUS_INFO_LENGTH_MISMATCH, class 0x42
   * STATUS_NOT_IMPLEMENTED on 32-bit Vista/2008 (the broken() case; later Windows says
   * STATUS_INVALID_INFO_CLASS), a bad handle STATUS_INVALID_HANDLE.
   */
  @Test
  void ntQueryMutantRefusesBadArgumentsAsVistaX86Does() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateMutant(h, ALL, null, true);
      MutantBasic info = new MutantBasic();
      r.add(nt.NtQueryMutant(h[0], Ntdll.MutantBasicInformation, info, 0, null));
      r.add(nt.NtQueryMutant(h[0], 0x42, info, MutantBasic.SIZE, null));
      r.add(nt.NtQueryMutant(0xdeadbeefL, Ntdll.MutantBasicInformation, info, MutantBasic.SIZE,
          null));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INFO_LENGTH_MISMATCH, STATUS_NOT_IMPLEMENTED,
        STATUS_INVALID_HANDLE);
  }

  /**
   * sync.c test_mutant: owned once by the caller 0 and TRUE (ReturnLength 8), twice -1, free
   * again 1 and FALSE.
   */
  @Test
  void ntQueryMutantCountsTheOwnersRecursion() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateMutant(h, ALL, null, true);
      MutantBasic info = new MutantBasic();
      int[] length = {-1};
      nt.NtQueryMutant(h[0], Ntdll.MutantBasicInformation, info, MutantBasic.SIZE, length);
      r.add(List.of(info.CurrentCount, info.OwnedByCaller, info.AbandonedState, length[0]));
      ctx.kernel32().WaitForSingleObject(h[0], 1000);
      nt.NtQueryMutant(h[0], Ntdll.MutantBasicInformation, info, MutantBasic.SIZE, null);
      r.add(List.of(info.CurrentCount, info.OwnedByCaller));
      nt.NtReleaseMutant(h[0], null);
      nt.NtReleaseMutant(h[0], null);
      nt.NtQueryMutant(h[0], Ntdll.MutantBasicInformation, info, MutantBasic.SIZE, null);
      r.add(List.of(info.CurrentCount, info.OwnedByCaller));
      return 0;
    });
    assertThat(r).containsExactly(List.of(0, true, false, 8), List.of(-1, true),
        List.of(1, false));
  }

  /**
   * sync.c test_mutant "abandoned": after its owner exits the mutant is free (1), not the
   * caller's, abandoned; the next wait (WAIT_ABANDONED) takes it and clears the abandoned state.
   */
  @Test
  void ntQueryMutantReportsAnAbandonedMutantUntilItIsTaken() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateMutant(h, ALL, null, false);
      long t = k.CreateThread(null, 0, p -> k.WaitForSingleObject(h[0], 1000), 0, 0, null);
      k.WaitForSingleObject(t, 1000);
      MutantBasic info = new MutantBasic();
      nt.NtQueryMutant(h[0], Ntdll.MutantBasicInformation, info, MutantBasic.SIZE, null);
      r.add(List.of(info.CurrentCount, info.OwnedByCaller, info.AbandonedState));
      r.add(k.WaitForSingleObject(h[0], 1000));
      nt.NtQueryMutant(h[0], Ntdll.MutantBasicInformation, info, MutantBasic.SIZE, null);
      r.add(List.of(info.CurrentCount, info.OwnedByCaller, info.AbandonedState));
      return 0;
    });
    assertThat(r).containsExactly(List.of(1, false, true), Kernel32.WAIT_ABANDONED_0,
        List.of(0, true, false));
  }

  /**
   * sync.c test_semaphore: length 0 STATUS_INFO_LENGTH_MISMATCH, class 0x42
   * STATUS_INVALID_INFO_CLASS; the count and limit (1 of 2, ReturnLength 8), then 0 after a wait.
   */
  @Test
  void ntQuerySemaphoreReportsTheCountAndTheLimit() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateSemaphore(h, ALL, null, 1, 2);
      SemaphoreBasic info = new SemaphoreBasic();
      r.add(nt.NtQuerySemaphore(h[0], Ntdll.SemaphoreBasicInformation, info, 0, null));
      r.add(nt.NtQuerySemaphore(h[0], 0x42, info, SemaphoreBasic.SIZE, null));
      int[] length = {-1};
      nt.NtQuerySemaphore(h[0], Ntdll.SemaphoreBasicInformation, info, SemaphoreBasic.SIZE,
          length);
      r.add(List.of(info.CurrentCount, info.MaximumCount, length[0]));
      ctx.kernel32().WaitForSingleObject(h[0], 1000);
      nt.NtQuerySemaphore(h[0], Ntdll.SemaphoreBasicInformation, info, SemaphoreBasic.SIZE,
          null);
      r.add(List.of(info.CurrentCount, info.MaximumCount));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_INFO_CLASS,
        List.of(1, 2, 8), List.of(0, 2));
  }

  /**
   * WRK NtQueryTimer: RemainingTime is the due time less the interrupt time (KeQueryInterruptTime,
   * the last clock tick's), so it counts down while the timer waits and is negative once the due
   * time has passed (Vista's own thread pool, RtlpGetTimeRemaining, checks for that); TimerState
   * is the signal state.
   */
  @Test
  void ntQueryTimerCountsDownToTheDueTime() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      Ntdll nt = ctx.ntdll();
      long timer = k.CreateWaitableTimerW(null, true, null);
      k.SetWaitableTimer(timer, -100 * 10_000L, 0, null, 0, false);
      TimerBasic info = new TimerBasic();
      int[] length = {-1};
      r.add(nt.NtQueryTimer(timer, Ntdll.TimerBasicInformation, info, TimerBasic.SIZE, length));
      r.add(info.TimerState);
      r.add(info.RemainingTime > 0 && info.RemainingTime <= 100 * 10_000L + 156_250);
      r.add(length[0]);
      k.WaitForSingleObject(timer, 1000);
      k.Sleep(20);
      nt.NtQueryTimer(timer, Ntdll.TimerBasicInformation, info, TimerBasic.SIZE, null);
      r.add(info.TimerState);
      r.add(info.RemainingTime < 0);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_SUCCESS, false, true, 16, true, true);
  }

  /** NtQueryTimer: another class, or a length other than 16, is refused before the handle. */
  @Test
  void ntQueryTimerRefusesAnotherClassOrLength() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      r.add(nt.NtQueryTimer(0xdeadbeefL, 1, new TimerBasic(), TimerBasic.SIZE, null));
      r.add(nt.NtQueryTimer(0xdeadbeefL, Ntdll.TimerBasicInformation, new TimerBasic(), 15,
          null));
      r.add(nt.NtQueryTimer(0xdeadbeefL, Ntdll.TimerBasicInformation, new TimerBasic(),
          TimerBasic.SIZE, null));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INVALID_INFO_CLASS, STATUS_INFO_LENGTH_MISMATCH,
        STATUS_INVALID_HANDLE);
  }

  /** WRK NtSetEventBoostPriority: only synchronization events; a notification event mismatches. */
  @Test
  void ntSetEventBoostPriorityRefusesANotificationEvent() {
    int[] r = new int[1];
    run(ctx -> {
      long[] h = new long[1];
      ctx.ntdll().NtCreateEvent(h, ALL, null, Ntdll.NotificationEvent, false);
      r[0] = ctx.ntdll().NtSetEventBoostPriority(h[0]);
      return 0;
    });
    assertThat(r[0]).isEqualTo(STATUS_OBJECT_TYPE_MISMATCH);
  }

  /** WRK KeSetEventBoostPriority: with no waiter the event is simply left signalled. */
  @Test
  void ntSetEventBoostPriorityWithoutAWaiterSignalsTheEvent() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.SynchronizationEvent, false);
      r.add(nt.NtSetEventBoostPriority(h[0]));
      EventBasic info = new EventBasic();
      nt.NtQueryEvent(h[0], Ntdll.EventBasicInformation, info, EventBasic.SIZE, null);
      r.add(info.EventState);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_SUCCESS, 1);
  }

  /**
   * Windows Internals (4th ed., "Priority Boosts after Waiting for Events and Semaphores"): the
   * waiter woken by NtSetEventBoostPriority, at 13 or below, gets the setting thread's priority
   * plus one and at least 4 quantum units; its wait ends with the event never signalled.
   */
  @Test
  void ntSetEventBoostPriorityHandsTheEventToTheWaiterAtTheSettersPriorityPlusOne() {
    List<Object> r = new ArrayList<>();
    EThread[] waiter = new EThread[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      Ntdll nt = ctx.ntdll();
      k.SetThreadPriority(k.GetCurrentThread(), Kernel32.THREAD_PRIORITY_HIGHEST);
      long[] h = new long[1];
      nt.NtCreateEvent(h, ALL, null, Ntdll.SynchronizationEvent, false);
      int[] waitStatus = {-1};
      long t = k.CreateThread(null, 0, p -> {
        waiter[0] = sys.os.ps.currentThread();
        waitStatus[0] = k.WaitForSingleObject(h[0], 1000);
        return 0;
      }, 0, 0, null);
      k.Sleep(5);
      int setter = sys.os.ps.currentThread().priority();
      r.add(nt.NtSetEventBoostPriority(h[0]));
      r.add(waiter[0].priority() == setter + 1);
      r.add(waiter[0].quantum() >= 4);
      EventBasic info = new EventBasic();
      nt.NtQueryEvent(h[0], Ntdll.EventBasicInformation, info, EventBasic.SIZE, null);
      r.add(info.EventState);
      k.WaitForSingleObject(t, 1000);
      r.add(waitStatus[0]);
      return 0;
    });
    assertThat(r).containsExactly(STATUS_SUCCESS, true, true, 0, Kernel32.WAIT_OBJECT_0);
  }
}
