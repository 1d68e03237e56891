package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_ABANDONED_0;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CreateMutexW and ReleaseMutex, ownership, recursion and abandonment, checked against
 * Microsoft's documentation (CreateMutexW, ReleaseMutex, "Mutex Objects") and Wine's tests
 * (dlls/kernel32/tests/sync.c test_mutex, dlls/ntdll/tests/sync.c test_mutant).
 */
class Kernel32MutexTest extends SyncTestSupport {

  @Test
  void initialOwnerOwnsTheMutexSoAnotherThreadTimesOut() {
    int[] other = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, true, null);
      long t = k.CreateThread(null, 0, p -> {
        other[0] = k.WaitForSingleObject(m, 0);
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(other[0]).isEqualTo(WAIT_TIMEOUT);
  }

  /** The owner acquires again without blocking; it must release once per acquisition. */
  @Test
  void ownerMayAcquireRecursivelyAndReleasesOncePerAcquisition() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, false, null);
      r.add(k.WaitForSingleObject(m, 0));
      r.add(k.WaitForSingleObject(m, 0));
      r.add(k.ReleaseMutex(m));
      r.add(k.ReleaseMutex(m));
      r.add(k.ReleaseMutex(m));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, WAIT_OBJECT_0, true, true, false,
        WinError.ERROR_NOT_OWNER);
  }

  @Test
  void releaseByAThreadThatDoesNotOwnItFailsWithNotOwner() {
    boolean[] ok = {true};
    int[] err = new int[1];
    int[] stillOwned = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, true, null);
      long t = k.CreateThread(null, 0, p -> {
        ok[0] = k.ReleaseMutex(m);
        err[0] = k.GetLastError();
        stillOwned[0] = k.WaitForSingleObject(m, 0);
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(err[0]).isEqualTo(WinError.ERROR_NOT_OWNER).isEqualTo(288);
    assertThat(stillOwned[0]).isEqualTo(WAIT_TIMEOUT);
  }

  /** "If a thread terminates without releasing its ownership of a mutex object, the mutex
   * object is considered to be abandoned": the next wait returns WAIT_ABANDONED and owns it. */
  @Test
  void aMutexWhoseOwnerExitsIsAbandonedAndTheNextWaiterOwnsIt() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, false, null);
      long t = k.CreateThread(null, 0, p -> k.WaitForSingleObject(m, 0), 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r.add(k.WaitForSingleObject(m, 0));
      r.add(k.ReleaseMutex(m));
      r.add(k.WaitForSingleObject(m, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_ABANDONED_0, true, WAIT_OBJECT_0);
  }

  /** A thread blocked on the mutex when its owner exits wakes with WAIT_ABANDONED. */
  @Test
  void aWaiterIsReleasedWithWaitAbandonedWhenTheOwnerExits() {
    int[] r = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, false, null);
      long owner = k.CreateThread(null, 0, p -> {
        k.WaitForSingleObject(m, 0);
        k.Sleep(10);
        return 0;
      }, 0, 0, null);
      k.Sleep(2);
      r[0] = k.WaitForSingleObject(m, INFINITE);
      k.WaitForSingleObject(owner, INFINITE);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_ABANDONED_0);
  }

  @Test
  void waitForMultipleObjectsReportsTheAbandonedMutexIndex() {
    int[] r = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long m = k.CreateMutexW(null, false, null);
      long t = k.CreateThread(null, 0, p -> k.WaitForSingleObject(m, 0), 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r[0] = k.WaitForMultipleObjects(2, new long[] {e, m}, false, 0);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_ABANDONED_0 + 1);
  }

  @Test
  void releaseMutexOnAnEventFailsWithInvalidHandle() {
    boolean[] ok = {true};
    int[] err = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      ok[0] = k.ReleaseMutex(e);
      err[0] = k.GetLastError();
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(err[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }

  /** A released mutex passes to a waiting thread, which then owns it. */
  @Test
  void releaseHandsTheMutexToAWaiter() {
    int[] r = {-1, -1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, true, null);
      long t = k.CreateThread(null, 0, p -> {
        r[0] = k.WaitForSingleObject(m, INFINITE);
        k.Sleep(200); // past the clock's 15.6 ms granularity of the main thread's sleeps
        return 0;
      }, 0, 0, null);
      k.Sleep(2);
      k.ReleaseMutex(m);
      k.Sleep(1);
      r[1] = k.WaitForSingleObject(m, 0);
      k.WaitForSingleObject(t, INFINITE);
      return 0;
    });
    assertThat(r[0]).isEqualTo(WAIT_OBJECT_0);
    assertThat(r[1]).as("the waiter owns it now").isEqualTo(WAIT_TIMEOUT);
  }
}
