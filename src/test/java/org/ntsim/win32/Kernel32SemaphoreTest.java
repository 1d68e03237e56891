package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CreateSemaphoreW and ReleaseSemaphore, checked against Microsoft's documentation and Wine's
 * tests (dlls/kernel32/tests/sync.c test_semaphore, dlls/ntdll/tests/sync.c test_semaphore).
 */
class Kernel32SemaphoreTest extends SyncTestSupport {

  @Test
  void createWithBadCountsFailsWithInvalidParameter() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      int[][] counts = {{2, 1}, {0, 0}, {-1, 1}, {0, -1}};
      for (int[] c : counts) {
        r.add(k.CreateSemaphoreW(null, c[0], c[1], null));
        r.add(k.GetLastError());
      }
      return 0;
    });
    int invalid = WinError.ERROR_INVALID_PARAMETER;
    assertThat(r).containsExactly(0L, invalid, 0L, invalid, 0L, invalid, 0L, invalid);
  }

  @Test
  void eachWaitTakesOneFromTheCount() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 2, 5, null);
      r.add(k.WaitForSingleObject(s, 0));
      r.add(k.WaitForSingleObject(s, 0));
      r.add(k.WaitForSingleObject(s, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_TIMEOUT);
  }

  @Test
  void releaseReturnsThePreviousCount() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 1, 10, null);
      int[] prev = {-7};
      r.add(k.ReleaseSemaphore(s, 3, prev));
      r.add(prev[0]);
      r.add(k.ReleaseSemaphore(s, 1, prev));
      r.add(prev[0]);
      r.add(k.ReleaseSemaphore(s, 1, null)); // lpPreviousCount is optional
      return 0;
    });
    assertThat(r).containsExactly(true, 1, true, 4, true);
  }

  /** Past the maximum: FALSE, ERROR_TOO_MANY_POSTS, and neither the count nor the out-value changes. */
  @Test
  void releasePastTheMaximumFailsAndChangesNothing() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 1, 2, null);
      int[] prev = {0xdead};
      r.add(k.ReleaseSemaphore(s, 2, prev));
      r.add(k.GetLastError());
      r.add(prev[0]);
      r.add(k.WaitForSingleObject(s, 0));
      r.add(k.WaitForSingleObject(s, 0));
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_TOO_MANY_POSTS, 0xdead, WAIT_OBJECT_0,
        WAIT_TIMEOUT);
  }

  @Test
  void releaseOfZeroFailsWithInvalidParameter() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 0, 2, null);
      r.add(k.ReleaseSemaphore(s, 0, null));
      r.add(k.GetLastError());
      r.add(k.ReleaseSemaphore(s, -1, null));
      r.add(k.GetLastError());
      return 0;
    });
    int invalid = WinError.ERROR_INVALID_PARAMETER;
    assertThat(r).containsExactly(false, invalid, false, invalid);
  }

  /** A release of n lets n waiting threads go. */
  @Test
  void releaseOfTwoReleasesTwoWaiters() {
    int[] results = new int[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 0, 3, null);
      long[] threads = new long[3];
      for (int i = 0; i < 3; i++) {
        int index = i;
        threads[i] = k.CreateThread(null, 0, p -> {
          results[index] = k.WaitForSingleObject(s, 50);
          return 0;
        }, 0, 0, null);
      }
      k.Sleep(5);
      k.ReleaseSemaphore(s, 2, null);
      k.WaitForMultipleObjects(3, threads, true, INFINITE);
      return 0;
    });
    assertThat(java.util.Arrays.stream(results).sorted().toArray())
        .containsExactly(WAIT_OBJECT_0, WAIT_OBJECT_0, WAIT_TIMEOUT);
  }

  /** A zero-length out-array stands for a bad pointer: the service's probe fails (ERROR_NOACCESS). */
  @Test
  void aBadPreviousCountPointerFailsWithNoAccessAndReleasesNothing() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 0, 2, null);
      r.add(k.ReleaseSemaphore(s, 1, new int[0]));
      r.add(k.GetLastError());
      r.add(k.WaitForSingleObject(s, 0));
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_NOACCESS, WAIT_TIMEOUT);
  }
}
