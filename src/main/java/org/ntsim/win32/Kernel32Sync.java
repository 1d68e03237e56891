package org.ntsim.win32;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectHandleFlagInformation;

/**
 * kernel32's handle-flag and time-of-day functions: GetHandleInformation and
 * SetHandleInformation over ntdll's NtQueryObject and NtSetInformationObject
 * (ObjectHandleFlagInformation); GetSystemTimeAsFileTime and GetSystemTime, which read the
 * system time from the shared user data page without a system call, as Vista's kernel32 does;
 * SetSystemTime over NtSetSystemTime. Failures set the last error through RtlNtStatusToDosError
 * ({@link WinError#fromNtStatus}). {@link Kernel32} extends it, so that they are Kernel32's
 * public methods.
 *
 * <p>Left out: console handles in Get/SetHandleInformation (the console server's), and the
 * RtlAdjustPrivilege call SetSystemTime makes first (it fails as NtSetSystemTime does, with
 * ERROR_PRIVILEGE_NOT_HELD, since no guest holds SeSystemtimePrivilege).
 */
abstract class Kernel32Sync extends Kernel32Console {
  public static final int HANDLE_FLAG_INHERIT = 0x00000001;
  public static final int HANDLE_FLAG_PROTECT_FROM_CLOSE = 0x00000002;

  /** Seconds from 1 January 1601 (FILETIME's origin) to 1 January 1970. */
  private static final long FILETIME_TO_UNIX_SECONDS = 11_644_473_600L;
  private static final long TICKS_PER_SECOND = 10_000_000L;

  private final Ntdll ntdll;

  Kernel32Sync(Ntdll ntdll) {
    super(ntdll);
    this.ntdll = ntdll;
  }

  private boolean failStatus(int status) {
    ntdll.RtlSetLastWin32Error(WinError.fromNtStatus(status));
    return false;
  }

  private static void accessViolation(String what) {
    throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, "access violation " + what);
  }

  // ------------------------------------------------------------------ handle flags

  /**
   * GetHandleInformation: HANDLE_FLAG_INHERIT and HANDLE_FLAG_PROTECT_FROM_CLOSE of the handle
   * (none for a pseudo handle), or FALSE with ERROR_INVALID_HANDLE for a handle not open.
   */
  public boolean GetHandleInformation(long hObject, int[] lpdwFlags) {
    ObjectHandleFlagInformation info = new ObjectHandleFlagInformation();
    int status = ntdll.NtQueryObject(hObject, Ntdll.ObjectHandleFlagInformation, info,
        ObjectHandleFlagInformation.SIZE, null);
    if (!NtStatus.isSuccess(status)) {
      return failStatus(status);
    }
    if (lpdwFlags == null || lpdwFlags.length < 1) {
      accessViolation("writing lpdwFlags");
    }
    lpdwFlags[0] = (info.Inherit ? HANDLE_FLAG_INHERIT : 0)
        | (info.ProtectFromClose ? HANDLE_FLAG_PROTECT_FROM_CLOSE : 0);
    return true;
  }

  /**
   * SetHandleInformation: the flags in {@code dwMask} take their values from {@code dwFlags}, the
   * others stay (the flags are read, changed and written back; a pseudo handle's cannot be
   * written: ERROR_ACCESS_DENIED). A protected handle makes
   * CloseHandle fail with ERROR_INVALID_HANDLE (NtClose's STATUS_HANDLE_NOT_CLOSABLE) and stays
   * open; DuplicateHandle with DUPLICATE_CLOSE_SOURCE duplicates it and leaves it open.
   */
  public boolean SetHandleInformation(long hObject, int dwMask, int dwFlags) {
    ObjectHandleFlagInformation info = new ObjectHandleFlagInformation();
    int status = ntdll.NtQueryObject(hObject, Ntdll.ObjectHandleFlagInformation, info,
        ObjectHandleFlagInformation.SIZE, null);
    if (NtStatus.isSuccess(status)) {
      if ((dwMask & HANDLE_FLAG_INHERIT) != 0) {
        info.Inherit = (dwFlags & HANDLE_FLAG_INHERIT) != 0;
      }
      if ((dwMask & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0) {
        info.ProtectFromClose = (dwFlags & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0;
      }
      status = ntdll.NtSetInformationObject(hObject, Ntdll.ObjectHandleFlagInformation, info,
          ObjectHandleFlagInformation.SIZE);
    }
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  // ------------------------------------------------------------------ time of day

  /**
   * GetSystemTimeAsFileTime: the UTC time of day as a FILETIME (100 ns units since 1601), as of
   * the last clock tick; no system call.
   */
  public void GetSystemTimeAsFileTime(long[] lpSystemTimeAsFileTime) {
    if (lpSystemTimeAsFileTime == null || lpSystemTimeAsFileTime.length < 1) {
      accessViolation("writing lpSystemTimeAsFileTime");
    }
    lpSystemTimeAsFileTime[0] = ntdll.SharedUserDataSystemTime();
  }

  /** GetSystemTime: the UTC time of day in fields (RtlTimeToTimeFields); no system call. */
  public void GetSystemTime(SystemTimeFields lpSystemTime) {
    if (lpSystemTime == null) {
      accessViolation("writing lpSystemTime");
    }
    long time = ntdll.SharedUserDataSystemTime();
    LocalDateTime t = LocalDateTime.ofEpochSecond(
        Math.floorDiv(time, TICKS_PER_SECOND) - FILETIME_TO_UNIX_SECONDS,
        (int) Math.floorMod(time, TICKS_PER_SECOND) * 100, ZoneOffset.UTC);
    lpSystemTime.wYear = t.getYear();
    lpSystemTime.wMonth = t.getMonthValue();
    lpSystemTime.wDayOfWeek = t.getDayOfWeek().getValue() % 7;
    lpSystemTime.wDay = t.getDayOfMonth();
    lpSystemTime.wHour = t.getHour();
    lpSystemTime.wMinute = t.getMinute();
    lpSystemTime.wSecond = t.getSecond();
    lpSystemTime.wMilliseconds = t.getNano() / 1_000_000;
  }

  /**
   * SetSystemTime: the fields become a FILETIME (RtlTimeFieldsToTime: FALSE with
   * ERROR_INVALID_PARAMETER for a field out of range or a year outside 1601-30827), then
   * NtSetSystemTime; a guest holds no SeSystemtimePrivilege, so the result is FALSE with
   * ERROR_PRIVILEGE_NOT_HELD (1314).
   */
  public boolean SetSystemTime(SystemTimeFields lpSystemTime) {
    if (lpSystemTime == null) {
      accessViolation("reading lpSystemTime");
    }
    long[] time = {timeFieldsToTime(lpSystemTime)};
    if (time[0] < 0) {
      ntdll.RtlSetLastWin32Error(WinError.ERROR_INVALID_PARAMETER);
      return false;
    }
    int status = ntdll.NtSetSystemTime(time, null);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /** RtlTimeFieldsToTime: the FILETIME of {@code f}, or -1 if a field is out of range. */
  private static long timeFieldsToTime(SystemTimeFields f) {
    if (f.wYear < 1601 || f.wYear > 30827 || f.wMilliseconds < 0 || f.wMilliseconds > 999) {
      return -1;
    }
    try {
      LocalDateTime t = LocalDateTime.of(f.wYear, f.wMonth, f.wDay, f.wHour, f.wMinute,
          f.wSecond);
      long seconds = t.toEpochSecond(ZoneOffset.UTC) + FILETIME_TO_UNIX_SECONDS;
      return seconds * TICKS_PER_SECOND + f.wMilliseconds * 10_000L;
    } catch (DateTimeException e) {
      return -1;
    }
  }
}
