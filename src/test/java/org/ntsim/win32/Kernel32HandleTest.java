package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.EVENT_ALL_ACCESS;
import static org.ntsim.win32.Kernel32.EVENT_MODIFY_STATE;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.SYNCHRONIZE;
import static org.ntsim.win32.Kernel32.WAIT_FAILED;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ob.AccessMask;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;

/**
 * Handles as a guest sees them: their values, CloseHandle, DuplicateHandle within and across
 * processes, access checked at each use, and each process's table its own. Checked against
 * Microsoft's documentation of CloseHandle and DuplicateHandle and Wine's tests
 * (dlls/kernel32/tests/process.c, dlls/ntdll/tests/om.c).
 */
class Kernel32HandleTest extends SyncTestSupport {
  private static final int DUPLICATE_CLOSE_SOURCE = ObjectManager.DUPLICATE_CLOSE_SOURCE;
  private static final int DUPLICATE_SAME_ACCESS = ObjectManager.DUPLICATE_SAME_ACCESS;

  /**
   * NT's handle tables hand out multiples of four (the low two bits are free for the caller) and
   * reuse the slot freed last first; Windows documents neither, so this records NT's behaviour.
   */
  @Test
  void handleValuesAreMultiplesOfFourAndAFreedValueIsReusedFirst() {
    List<Long> h = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.CreateEventW(null, true, false, null);
      long b = k.CreateEventW(null, true, false, null);
      long c = k.CreateEventW(null, true, false, null);
      h.add(a);
      h.add(b);
      h.add(c);
      k.CloseHandle(b);
      h.add(k.CreateEventW(null, true, false, null));
      return 0;
    });
    assertThat(h.subList(0, 3)).allMatch(v -> v > 0 && v % 4 == 0).doesNotHaveDuplicates();
    assertThat(h.get(1) + 4).isEqualTo(h.get(2));
    assertThat(h.get(3)).as("the freed value comes back").isEqualTo(h.get(1));
  }

  @Test
  void closeHandleOfAClosedHandleFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      r.add(k.CloseHandle(e));
      r.add(k.CloseHandle(e));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(true, false, WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void aHandleOfTheWrongTypeIsAnInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 0, 1, null);
      r.add(k.SetEvent(s));
      r.add(k.GetLastError());
      int[] previous = {-1};
      r.add(k.ReleaseSemaphore(s, 1, previous));
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE, true);
  }

  @Test
  void aDuplicateWithSameAccessRefersToTheSameObject() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long[] dup = new long[1];
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, k.GetCurrentProcess(), dup, 0, false,
          DUPLICATE_SAME_ACCESS));
      r.add(dup[0] != e);
      k.SetEvent(dup[0]);
      r.add(k.WaitForSingleObject(e, 0));
      return 0;
    });
    assertThat(r).containsExactly(true, true, WAIT_OBJECT_0);
  }

  @Test
  void aDuplicateWithLessAccessIsRefusedWhatItLacks() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long[] dup = new long[1];
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, k.GetCurrentProcess(), dup, SYNCHRONIZE,
          false, 0));
      r.add(k.SetEvent(dup[0]));
      r.add(k.GetLastError());
      r.add(k.WaitForSingleObject(dup[0], 0));
      return 0;
    });
    assertThat(r).containsExactly(true, false, WinError.ERROR_ACCESS_DENIED, WAIT_TIMEOUT);
  }

  /**
   * The source is closed before the duplicate is made (as NT's ObDuplicateObject does), so in
   * the same process the duplicate takes the freed value; one handle is left on the object.
   */
  @Test
  void closeSourceClosesTheSourceHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      ObjectHeader header = ctx.ntdll().currentThread().process().handleTable().entry(e);
      long[] dup = new long[1];
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, k.GetCurrentProcess(), dup, 0, false,
          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
      r.add(header.handleCount());
      r.add(dup[0] == e);
      r.add(k.SetEvent(dup[0]));
      return 0;
    });
    assertThat(r).containsExactly(true, 1L, true, true);
  }

  @Test
  void duplicatingABadHandleFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] dup = {-1};
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), 0x1234, k.GetCurrentProcess(), dup, 0,
          false, DUPLICATE_SAME_ACCESS));
      r.add(k.GetLastError());
      r.add(dup[0]);
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE, 0L);
  }

  /** The pseudo handle of the current thread becomes a real handle that others can wait on. */
  @Test
  void duplicatingThePseudoThreadHandleGivesARealHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long[] real = new long[1];
      long t = k.CreateThread(null, 0, p -> {
        k.DuplicateHandle(k.GetCurrentProcess(), k.GetCurrentThread(), k.GetCurrentProcess(),
            real, 0, false, DUPLICATE_SAME_ACCESS);
        k.Sleep(5);
        return 7;
      }, 0, 0, null);
      k.Sleep(1);
      r.add(real[0] > 0 && real[0] != t);
      r.add(k.WaitForSingleObject(real[0], INFINITE));
      int[] code = new int[1];
      k.GetExitCodeThread(real[0], code);
      r.add(code[0]);
      return 0;
    });
    assertThat(r).containsExactly(true, WAIT_OBJECT_0, 7);
  }

  /** A process's handles mean nothing in another process: each has its own table. */
  @Test
  void anotherProcessCannotUseThisProcesssHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long done = k.CreateEventW(null, true, false, "done");
      k.CreateEventW(null, true, false, null);
      long mine = k.CreateEventW(null, true, false, null); // a value the other process never has
      sys.os.launch("other.exe", c2 -> {
        Kernel32 k2 = c2.kernel32();
        long d = k2.OpenEventW(EVENT_MODIFY_STATE, false, "done");
        r.add(k2.SetEvent(mine));
        r.add(k2.GetLastError());
        k2.SetEvent(d);
        return 0;
      });
      k.WaitForSingleObject(done, INFINITE);
      r.add(k.WaitForSingleObject(mine, 0));
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE, WAIT_TIMEOUT);
  }

  /** DuplicateHandle into another process: the value is valid there and only there. */
  @Test
  void aHandleDuplicatedIntoAnotherProcessWorksThere() {
    List<Object> r = new ArrayList<>();
    long[] given = new long[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long go = k.CreateEventW(null, true, false, "go");
      org.ntsim.ps.EProcess other = sys.os.launch("other.exe", c2 -> {
        Kernel32 k2 = c2.kernel32();
        long g = k2.OpenEventW(SYNCHRONIZE, false, "go");
        k2.WaitForSingleObject(g, INFINITE);
        r.add(k2.SetEvent(given[0]));
        return 0;
      });
      long hOther = k.OpenProcess(AccessMask.PROCESS_DUP_HANDLE, false, (int) other.pid());
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, hOther, given, EVENT_MODIFY_STATE, false,
          0));
      k.SetEvent(go);
      r.add(k.WaitForSingleObject(e, 1000));
      return 0;
    });
    assertThat(r).containsExactly(true, true, WAIT_OBJECT_0);
  }

  @Test
  void duplicatingIntoAProcessOpenedWithoutDupHandleIsDenied() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long self = k.OpenProcess(SYNCHRONIZE, false, k.GetCurrentProcessId());
      long[] dup = new long[1];
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, self, dup, 0, false,
          DUPLICATE_SAME_ACCESS));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_ACCESS_DENIED);
  }

  /** Without a target process, only DUPLICATE_CLOSE_SOURCE makes sense. */
  @Test
  void noTargetProcessWithoutCloseSourceIsAnInvalidParameter() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, 0, null, 0, false,
          DUPLICATE_SAME_ACCESS));
      r.add(k.GetLastError());
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, 0, null, 0, false,
          DUPLICATE_CLOSE_SOURCE));
      r.add(k.CloseHandle(e));
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, true, false);
  }

  /** Reference and handle counts return to zero and the object is deleted when all close. */
  @Test
  void theLastCloseDeletesTheObject() {
    ObjectHeader[] header = new ObjectHeader[1];
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, "counted");
      long o = k.OpenEventW(SYNCHRONIZE, false, "counted");
      header[0] = ctx.ntdll().currentThread().process().handleTable().entry(e);
      r.add(header[0].handleCount());
      r.add(header[0].pointerCount());
      k.CloseHandle(e);
      k.CloseHandle(o);
      return 0;
    });
    assertThat(r).containsExactly(2L, 2L);
    assertThat(header[0].handleCount()).isZero();
    assertThat(header[0].pointerCount()).isZero();
    assertThat(header[0].isDeleted()).isTrue();
  }

  @Test
  void waitingOnAHandleWithoutSynchronizeFails() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, true, null);
      long[] dup = new long[1];
      k.DuplicateHandle(k.GetCurrentProcess(), e, k.GetCurrentProcess(), dup, EVENT_MODIFY_STATE,
          false, 0);
      r.add(k.WaitForSingleObject(dup[0], 0));
      r.add(k.GetLastError());
      r.add(k.WaitForSingleObject(e, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_FAILED, WinError.ERROR_ACCESS_DENIED, WAIT_OBJECT_0);
  }

  @Test
  void createWithAllAccessGrantsEveryEventRight() {
    int[] granted = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      granted[0] = ctx.ntdll().currentThread().process().handleTable().access(e);
      return 0;
    });
    assertThat(granted[0]).isEqualTo(EVENT_ALL_ACCESS);
  }
}
