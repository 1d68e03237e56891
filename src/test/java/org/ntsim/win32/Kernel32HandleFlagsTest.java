package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ke.NtStatus.STATUS_INFO_LENGTH_MISMATCH;
import static org.ntsim.ke.NtStatus.STATUS_INVALID_INFO_CLASS;
import static org.ntsim.ke.NtStatus.STATUS_SUCCESS;
import static org.ntsim.win32.Kernel32Sync.HANDLE_FLAG_INHERIT;
import static org.ntsim.win32.Kernel32Sync.HANDLE_FLAG_PROTECT_FROM_CLOSE;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ob.ObStatus;
import org.ntsim.ob.ObjectHandleFlagInformation;

/**
 * GetHandleInformation and SetHandleInformation (Microsoft's pages: HANDLE_FLAG_INHERIT, and
 * HANDLE_FLAG_PROTECT_FROM_CLOSE "If this flag is set, calling the CloseHandle function will not
 * close the object handle"), over NtQueryObject and NtSetInformationObject with
 * ObjectHandleFlagInformation (the WRK's obquery.c: a 2-byte OBJECT_HANDLE_FLAG_INFORMATION;
 * ObpCloseHandleTableEntry refuses a protected handle with STATUS_HANDLE_NOT_CLOSABLE, which
 * RtlNtStatusToDosError makes ERROR_INVALID_HANDLE).
 */
class Kernel32HandleFlagsTest extends SyncTestSupport {
  private static final int DUPLICATE_CLOSE_SOURCE = 1;
  private static final int DUPLICATE_SAME_ACCESS = 2;

  /** A handle made without inheritance has no flags; DuplicateHandle(bInheritHandle) inherits. */
  @Test
  void getHandleInformationReportsTheInheritFlag() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      long[] dup = new long[1];
      k.DuplicateHandle(k.GetCurrentProcess(), e, k.GetCurrentProcess(), dup, 0, true,
          DUPLICATE_SAME_ACCESS);
      int[] flags = {-1};
      k.GetHandleInformation(e, flags);
      r.add(flags[0]);
      k.GetHandleInformation(dup[0], flags);
      r.add(flags[0]);
      return 0;
    });
    assertThat(r).containsExactly(0, HANDLE_FLAG_INHERIT);
  }

  /** SetHandleInformation changes only the flags in its mask. */
  @Test
  void setHandleInformationChangesOnlyTheMaskedFlags() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      int[] flags = {-1};
      k.SetHandleInformation(e, HANDLE_FLAG_INHERIT,
          HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE);
      k.GetHandleInformation(e, flags);
      r.add(flags[0]);
      k.SetHandleInformation(e, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
      k.GetHandleInformation(e, flags);
      r.add(flags[0]);
      k.SetHandleInformation(e, HANDLE_FLAG_INHERIT, 0);
      k.GetHandleInformation(e, flags);
      r.add(flags[0]);
      return 0;
    });
    assertThat(r).containsExactly(HANDLE_FLAG_INHERIT,
        HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
  }

  /**
   * A protected handle: NtClose returns STATUS_HANDLE_NOT_CLOSABLE and CloseHandle FALSE with
   * ERROR_INVALID_HANDLE (no debugger is attached, so no exception is raised); the handle stays
   * usable.
   */
  @Test
  void aProtectedHandleCannotBeClosed() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.SetHandleInformation(e, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
      r.add(ctx.ntdll().NtClose(e));
      r.add(k.CloseHandle(e));
      r.add(k.GetLastError());
      r.add(k.SetEvent(e));
      return 0;
    });
    assertThat(r).containsExactly(ObStatus.STATUS_HANDLE_NOT_CLOSABLE, false,
        WinError.ERROR_INVALID_HANDLE, true);
  }

  /** Once the flag is cleared the handle closes as any other. */
  @Test
  void aHandleClosesOnceItsProtectionIsCleared() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.SetHandleInformation(e, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
      k.SetHandleInformation(e, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0);
      r.add(k.CloseHandle(e));
      r.add(k.SetEvent(e));
      return 0;
    });
    assertThat(r).containsExactly(true, false);
  }

  /**
   * WRK ObDuplicateObject closes the source for DUPLICATE_CLOSE_SOURCE with NtClose and ignores
   * its result: a protected source is duplicated and stays open.
   */
  @Test
  void duplicateCloseSourceLeavesAProtectedSourceOpen() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.SetHandleInformation(e, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE);
      long[] dup = new long[1];
      r.add(k.DuplicateHandle(k.GetCurrentProcess(), e, k.GetCurrentProcess(), dup, 0, false,
          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
      r.add(dup[0] != 0 && dup[0] != e);
      r.add(k.SetEvent(e));
      r.add(k.SetEvent(dup[0]));
      return 0;
    });
    assertThat(r).containsExactly(true, true, true, true);
  }

  /** Get/SetHandleInformation of a handle that is not open: FALSE, ERROR_INVALID_HANDLE. */
  @Test
  void handleInformationOfAClosedHandleIsInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long e = k.CreateEventW(null, true, false, null);
      k.CloseHandle(e);
      r.add(k.GetHandleInformation(e, new int[1]));
      r.add(k.GetLastError());
      r.add(k.SetHandleInformation(e, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
      r.add(k.GetLastError());
      return 0;
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_HANDLE, false,
        WinError.ERROR_INVALID_HANDLE);
  }

  /**
   * WRK NtQueryObject/NtSetInformationObject: the flag structure is 2 bytes (a query needs at
   * least that, a set exactly that); a class past the last is STATUS_INVALID_INFO_CLASS.
   */
  @Test
  void theHandleFlagClassChecksItsLength() {
    List<Integer> r = new ArrayList<>();
    run(ctx -> {
      Ntdll nt = ctx.ntdll();
      long e = ctx.kernel32().CreateEventW(null, true, false, null);
      ObjectHandleFlagInformation info = new ObjectHandleFlagInformation();
      int[] length = {-1};
      r.add(nt.NtQueryObject(e, Ntdll.ObjectHandleFlagInformation, info, 1, null));
      r.add(nt.NtQueryObject(e, Ntdll.ObjectHandleFlagInformation, info, 4, length));
      r.add(length[0]);
      r.add(nt.NtSetInformationObject(e, Ntdll.ObjectHandleFlagInformation, info, 4));
      r.add(nt.NtQueryObject(e, 9, info, 2, null));
      return 0;
    });
    assertThat(r).containsExactly(STATUS_INFO_LENGTH_MISMATCH, STATUS_SUCCESS, 2,
        STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_INFO_CLASS);
  }

  /**
   * WRK NtQueryObject references the handle as every class does, so a pseudo handle has flags
   * (none); NtSetInformationObject changes the table entry (ExChangeHandle), which a pseudo handle
   * or a closed one has not: STATUS_ACCESS_DENIED, and SetHandleInformation ERROR_ACCESS_DENIED.
   */
  @Test
  void aPseudoHandleHasNoFlagsToSet() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      int[] flags = {-1};
      r.add(k.GetHandleInformation(k.GetCurrentProcess(), flags));
      r.add(flags[0]);
      r.add(k.SetHandleInformation(k.GetCurrentProcess(), HANDLE_FLAG_INHERIT,
          HANDLE_FLAG_INHERIT));
      r.add(k.GetLastError());
      long e = k.CreateEventW(null, true, false, null);
      k.CloseHandle(e);
      r.add(ctx.ntdll().NtSetInformationObject(e, Ntdll.ObjectHandleFlagInformation,
          new ObjectHandleFlagInformation(), ObjectHandleFlagInformation.SIZE));
      return 0;
    });
    assertThat(r).containsExactly(true, 0, false, WinError.ERROR_ACCESS_DENIED,
        org.ntsim.ke.NtStatus.STATUS_ACCESS_DENIED);
  }

  /** ObKillProcess closes every handle at exit, protected ones too: the event goes with them. */
  @Test
  void theProcessExitClosesAProtectedHandle() {
    long[] eventHandle = new long[1];
    org.ntsim.ob.ObjectHeader[] header = new org.ntsim.ob.ObjectHeader[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      eventHandle[0] = k.CreateEventW(null, true, false, null);
      header[0] = sys.os.ob.handleEntry(sys.os.obServices.currentHandleTable(), eventHandle[0],
          org.ntsim.ke.Kernel.USER_MODE);
      k.SetHandleInformation(eventHandle[0], HANDLE_FLAG_PROTECT_FROM_CLOSE,
          HANDLE_FLAG_PROTECT_FROM_CLOSE);
      return 0;
    });
    assertThat(header[0].handleCount()).isZero();
  }
}
