package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.EVENT_ALL_ACCESS;
import static org.ntsim.win32.Kernel32.EVENT_MODIFY_STATE;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.Kernel32.SYNCHRONIZE;
import static org.ntsim.win32.Kernel32.WAIT_ABANDONED_0;
import static org.ntsim.win32.Kernel32.WAIT_FAILED;
import static org.ntsim.win32.Kernel32.WAIT_OBJECT_0;
import static org.ntsim.win32.Kernel32.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObStatus;

/**
 * Named objects in \BaseNamedObjects through the Create and Open functions, checked against
 * Microsoft's documentation of CreateEventW, OpenEventW, CreateMutexW, CreateSemaphoreW and
 * CreateWaitableTimerW ("If the function succeeds and the object existed before the call, the
 * last error is ERROR_ALREADY_EXISTS"; "name comparison is case sensitive"; "if lpName matches
 * the name of an existing event, semaphore, mutex, waitable timer, job, or file-mapping object,
 * the function fails and GetLastError returns ERROR_INVALID_HANDLE") and Wine's conformance tests
 * (dlls/kernel32/tests/sync.c, dlls/ntdll/tests/om.c), which record Windows' results where the
 * documentation is silent: OpenEventW of a missing name fails with ERROR_FILE_NOT_FOUND, and of a
 * NULL name with ERROR_INVALID_PARAMETER.
 */
class Kernel32NamedObjectTest extends SyncTestSupport {

  @Test
  void createOfANewNameLeavesLastErrorZero() {
    int[] err = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.SetLastError(1234);
      k.CreateEventW(null, true, false, "fresh");
      err[0] = k.GetLastError();
      return 0;
    });
    assertThat(err[0]).isZero();
  }

  @Test
  void createOfAnExistingNameOpensItWithAlreadyExists() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.CreateEventW(null, true, false, "shared");
      long b = k.CreateEventW(null, false, true, "shared"); // its own type and state are ignored
      r.add(k.GetLastError());
      r.add(b != 0 && b != a);
      k.SetEvent(b);
      r.add(k.WaitForSingleObject(a, 0));
      r.add(k.WaitForSingleObject(a, 0)); // still manual reset: the first event's type
      return 0;
    });
    assertThat(r).containsExactly(WinError.ERROR_ALREADY_EXISTS, true, WAIT_OBJECT_0,
        WAIT_OBJECT_0);
  }

  @Test
  void openFindsTheObjectCreatedUnderTheName() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long s = k.CreateSemaphoreW(null, 0, 5, "sem");
      long o = k.OpenSemaphoreW(Kernel32.SEMAPHORE_MODIFY_STATE | SYNCHRONIZE, false, "sem");
      int[] previous = {-1};
      r.add(k.ReleaseSemaphore(o, 2, previous));
      r.add(previous[0]);
      r.add(k.ReleaseSemaphore(s, 1, previous));
      r.add(previous[0]);
      return 0;
    });
    assertThat(r).containsExactly(true, 0, true, 2);
  }

  @Test
  void openOfAMissingNameFailsWithFileNotFound() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.OpenMutexW(SYNCHRONIZE, false, "nobody"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_FILE_NOT_FOUND);
  }

  @Test
  void openWithANullNameFailsWithInvalidParameter() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.OpenEventW(SYNCHRONIZE, false, null));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void namesCompareCaseSensitively() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.CreateMutexW(null, false, "Name");
      long b = k.CreateMutexW(null, false, "name");
      r.add(k.GetLastError());
      r.add(a != b);
      r.add(k.OpenMutexW(SYNCHRONIZE, false, "NAME"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0, true, 0L, WinError.ERROR_FILE_NOT_FOUND);
  }

  @Test
  void createUnderANameOfAnotherTypeFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.CreateEventW(null, true, false, "taken");
      r.add(k.CreateMutexW(null, false, "taken"));
      r.add(k.GetLastError());
      r.add(k.CreateSemaphoreW(null, 1, 1, "taken"));
      r.add(k.GetLastError());
      r.add(k.CreateWaitableTimerW(null, true, "taken"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_HANDLE, 0L,
        WinError.ERROR_INVALID_HANDLE, 0L, WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void openOfANameOfAnotherTypeFailsWithInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.CreateSemaphoreW(null, 1, 1, "sem");
      r.add(k.OpenEventW(SYNCHRONIZE, false, "sem"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_HANDLE);
  }

  /** A name with a backslash is a path through a directory that does not exist. */
  @Test
  void aBackslashInANameIsAPathNotFound() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      r.add(k.CreateEventW(null, true, false, "no\\such"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_PATH_NOT_FOUND);
  }

  /** The "Global\" and "Local\" prefixes lead to the same directory in session 0. */
  @Test
  void globalAndLocalPrefixesNameTheSameObject() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.CreateEventW(null, true, false, "Global\\g");
      r.add(k.OpenEventW(SYNCHRONIZE, false, "g") != 0);
      r.add(k.OpenEventW(SYNCHRONIZE, false, "Local\\g") != 0);
      return 0;
    });
    assertThat(r).containsExactly(true, true);
  }

  /** A named object is temporary: its name goes with its last handle. */
  @Test
  void theNameGoesWithTheLastHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.CreateEventW(null, true, false, "brief");
      long b = k.OpenEventW(SYNCHRONIZE, false, "brief");
      k.CloseHandle(a);
      long c = k.OpenEventW(SYNCHRONIZE, false, "brief");
      r.add(c != 0);
      k.CloseHandle(b);
      k.CloseHandle(c);
      r.add(k.OpenEventW(SYNCHRONIZE, false, "brief"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(true, 0L, WinError.ERROR_FILE_NOT_FOUND);
  }

  @Test
  void aHandleOpenedWithoutModifyStateCannotSetTheEvent() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, "ro");
      long sync = k.OpenEventW(SYNCHRONIZE, false, "ro");
      r.add(k.SetEvent(sync));
      r.add(k.GetLastError());
      r.add(k.WaitForSingleObject(e, 0)); // nothing changed
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_ACCESS_DENIED, WAIT_TIMEOUT);
  }

  @Test
  void aHandleOpenedWithoutSynchronizeCannotBeWaitedOn() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.CreateEventW(null, true, true, "nosync");
      long modify = k.OpenEventW(EVENT_MODIFY_STATE, false, "nosync");
      r.add(k.WaitForSingleObject(modify, 0));
      r.add(k.GetLastError());
      r.add(k.SetEvent(modify));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_FAILED, WinError.ERROR_ACCESS_DENIED, true);
  }

  /** Rights outside an event's valid mask are refused (Wine sync.c: 0x12345678 fails). */
  @Test
  void openAskingForRightsTheTypeDoesNotHaveIsDenied() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.CreateEventW(null, true, false, "e");
      r.add(k.OpenEventW(EVENT_ALL_ACCESS | 0x8, false, "e"));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_ACCESS_DENIED);
  }

  @Test
  void aNamedMutexIsSharedAcrossProcesses() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, true, "cross");
      sys.os.launch("other.exe", c2 -> {
        Kernel32 k2 = c2.kernel32();
        long mine = k2.CreateMutexW(null, false, "cross");
        r.add(k2.GetLastError());
        r.add(k2.WaitForSingleObject(mine, INFINITE));
        return 0;
      });
      k.Sleep(20);
      r.add("released");
      k.ReleaseMutex(m);
      k.Sleep(20);
      return 0;
    });
    assertThat(r).containsExactly(WinError.ERROR_ALREADY_EXISTS, "released", WAIT_OBJECT_0);
  }

  /** ExpDeleteMutant: a mutant whose last handle its owner closes is released abandoned. */
  @Test
  void closingTheLastHandleOfAnOwnedMutexLeavesNothingOwned() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long m = k.CreateMutexW(null, true, "owned");
      k.CloseHandle(m);
      long again = k.CreateMutexW(null, false, "owned");
      r.add(k.GetLastError()); // a new mutex: the name went with the last handle
      r.add(k.WaitForSingleObject(again, 0));
      r.add(ctx.ntdll().currentThread().ownedMutants().size());
      return 0;
    });
    assertThat(r).containsExactly(0, WAIT_OBJECT_0, 1);
  }

  /** A mutex opened by name after its owner ended is acquired with WAIT_ABANDONED. */
  @Test
  void aMutexLeftOwnedByAnEndedThreadIsAbandonedThroughItsName() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long keep = k.CreateMutexW(null, false, "left");
      long t = k.CreateThread(null, 0, p -> {
        k.WaitForSingleObject(k.OpenMutexW(SYNCHRONIZE, false, "left"), INFINITE);
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(t, INFINITE);
      r.add(k.WaitForSingleObject(keep, 0));
      return 0;
    });
    assertThat(r).containsExactly(WAIT_ABANDONED_0);
  }

  /** At the native level, a create without OBJ_OPENIF of a taken name is a collision. */
  @Test
  void nativeCreateWithoutOpenIfOfATakenNameIsACollision() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      ObjectAttributes name = ObjectAttributes.named("\\BaseNamedObjects\\n");
      r.add(nt.NtCreateEvent(h, EVENT_ALL_ACCESS, name, Ntdll.NotificationEvent, false));
      h[0] = -7; // Vista leaves the out-parameter alone on failure
      r.add(nt.NtCreateEvent(h, EVENT_ALL_ACCESS, name, Ntdll.NotificationEvent, false));
      r.add(h[0]);
      r.add(nt.NtCreateEvent(h, EVENT_ALL_ACCESS,
          ObjectAttributes.named("\\BaseNamedObjects\\n", ObjectAttributes.OBJ_OPENIF),
          Ntdll.NotificationEvent, false));
      return 0;
    });
    assertThat(r).containsExactly(0, ObStatus.STATUS_OBJECT_NAME_COLLISION, -7L,
        ObStatus.STATUS_OBJECT_NAME_EXISTS);
  }

  /**
   * OBJ_CASE_INSENSITIVE makes every component of the path compare without case; without it an
   * event's name must match exactly.
   */
  @Test
  void nativeOpenHonoursObjCaseInsensitive() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long[] h = new long[1];
      nt.NtCreateEvent(h, EVENT_ALL_ACCESS, ObjectAttributes.named("\\BaseNamedObjects\\Ev"),
          Ntdll.NotificationEvent, false);
      r.add(nt.NtOpenEvent(h, SYNCHRONIZE, ObjectAttributes.named("\\BaseNamedObjects\\EV")));
      r.add(nt.NtOpenEvent(h, SYNCHRONIZE, ObjectAttributes.named("\\BASENAMEDOBJECTS\\EV",
          ObjectAttributes.OBJ_CASE_INSENSITIVE)));
      return 0;
    });
    assertThat(r).containsExactly(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND, 0);
  }
}
