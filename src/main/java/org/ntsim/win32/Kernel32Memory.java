package org.ntsim.win32;

import org.ntsim.ke.NtStatus;
import org.ntsim.ps.PsConstants;

/**
 * kernel32's memory functions (VirtualAlloc and the rest of the Virtual* family,
 * Read/WriteProcessMemory, write watching, the working-set calls, GlobalMemoryStatusEx), each
 * built, as kernel32.dll builds it, on ntdll's system calls only. {@link Kernel32} extends it, so
 * that they are Kernel32's public methods; failures set the calling thread's last error as
 * Kernel32's other functions do.
 */
abstract class Kernel32Memory {
  private final Ntdll ntdll;

  Kernel32Memory(Ntdll ntdll) {
    this.ntdll = ntdll;
  }

  private <T> T fail(int win32Error, T result) {
    ntdll.currentThread().lastError = win32Error;
    return result;
  }

  private boolean failStatus(int status) {
    ntdll.currentThread().lastError = WinError.fromNtStatus(status);
    return false;
  }

  // ------------------------------------------------------------------ virtual memory

  public static final int MEM_COMMIT = org.ntsim.mm.VirtualMemory.MEM_COMMIT;
  public static final int MEM_RESERVE = org.ntsim.mm.VirtualMemory.MEM_RESERVE;
  public static final int MEM_DECOMMIT = org.ntsim.mm.VirtualMemory.MEM_DECOMMIT;
  public static final int MEM_RELEASE = org.ntsim.mm.VirtualMemory.MEM_RELEASE;
  public static final int MEM_FREE = org.ntsim.mm.VirtualMemory.MEM_FREE;
  public static final int MEM_PRIVATE = org.ntsim.mm.MemoryBasicInformation.MEM_PRIVATE;
  public static final int MEM_RESET = org.ntsim.mm.VirtualMemory.MEM_RESET;
  public static final int MEM_TOP_DOWN = org.ntsim.mm.VirtualMemory.MEM_TOP_DOWN;
  public static final int MEM_WRITE_WATCH = org.ntsim.mm.VirtualMemory.MEM_WRITE_WATCH;
  public static final int WRITE_WATCH_FLAG_RESET = org.ntsim.mm.VirtualMemory.WRITE_WATCH_FLAG_RESET;
  public static final int PAGE_NOACCESS = org.ntsim.mm.MmPte.PAGE_NOACCESS;
  public static final int PAGE_READONLY = org.ntsim.mm.MmPte.PAGE_READONLY;
  public static final int PAGE_READWRITE = org.ntsim.mm.MmPte.PAGE_READWRITE;
  public static final int PAGE_WRITECOPY = org.ntsim.mm.MmPte.PAGE_WRITECOPY;
  public static final int PAGE_EXECUTE = org.ntsim.mm.MmPte.PAGE_EXECUTE;
  public static final int PAGE_EXECUTE_READ = org.ntsim.mm.MmPte.PAGE_EXECUTE_READ;
  public static final int PAGE_EXECUTE_READWRITE = org.ntsim.mm.MmPte.PAGE_EXECUTE_READWRITE;
  public static final int PAGE_EXECUTE_WRITECOPY = org.ntsim.mm.MmPte.PAGE_EXECUTE_WRITECOPY;
  public static final int PAGE_GUARD = org.ntsim.mm.MmPte.PAGE_GUARD;
  public static final int PAGE_NOCACHE = org.ntsim.mm.MmPte.PAGE_NOCACHE;
  public static final int PROCESS_VM_OPERATION = PsConstants.PROCESS_VM_OPERATION;
  public static final int PROCESS_VM_READ = PsConstants.PROCESS_VM_READ;
  public static final int PROCESS_VM_WRITE = PsConstants.PROCESS_VM_WRITE;
  public static final int PROCESS_QUERY_INFORMATION = PsConstants.PROCESS_QUERY_INFORMATION;
  public static final int PROCESS_SET_QUOTA = PsConstants.PROCESS_SET_QUOTA;

  /** VirtualAlloc: the region's base, or 0 with the last error set. */
  public long VirtualAlloc(long lpAddress, long dwSize, int flAllocationType, int flProtect) {
    return VirtualAllocEx(Ntdll.NtCurrentProcess, lpAddress, dwSize, flAllocationType, flProtect);
  }

  /** VirtualAllocEx. */
  public long VirtualAllocEx(long hProcess, long lpAddress, long dwSize, int flAllocationType,
      int flProtect) {
    long[] base = {lpAddress};
    long[] size = {dwSize};
    int status = ntdll.NtAllocateVirtualMemory(hProcess, base, 0, size, flAllocationType,
        flProtect);
    if (!NtStatus.isSuccess(status)) {
      return fail(WinError.fromNtStatus(status), 0L);
    }
    return base[0];
  }

  /** VirtualFree: with MEM_RELEASE, dwSize must be 0 (ERROR_INVALID_PARAMETER otherwise). */
  public boolean VirtualFree(long lpAddress, long dwSize, int dwFreeType) {
    return VirtualFreeEx(Ntdll.NtCurrentProcess, lpAddress, dwSize, dwFreeType);
  }

  /** VirtualFreeEx. */
  public boolean VirtualFreeEx(long hProcess, long lpAddress, long dwSize, int dwFreeType) {
    if (dwFreeType == MEM_RELEASE && dwSize != 0) {
      return fail(WinError.ERROR_INVALID_PARAMETER, false);
    }
    long[] base = {lpAddress};
    long[] size = {dwSize};
    int status = ntdll.NtFreeVirtualMemory(hProcess, base, size, dwFreeType);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /**
   * VirtualProtect: lpflOldProtect receives the first page's old protection; without a place
   * to put it the call fails (ERROR_NOACCESS) and changes nothing.
   */
  public boolean VirtualProtect(long lpAddress, long dwSize, int flNewProtect,
      int[] lpflOldProtect) {
    return VirtualProtectEx(Ntdll.NtCurrentProcess, lpAddress, dwSize, flNewProtect,
        lpflOldProtect);
  }

  /** VirtualProtectEx. */
  public boolean VirtualProtectEx(long hProcess, long lpAddress, long dwSize, int flNewProtect,
      int[] lpflOldProtect) {
    long[] base = {lpAddress};
    long[] size = {dwSize};
    int status = ntdll.NtProtectVirtualMemory(hProcess, base, size, flNewProtect, lpflOldProtect);
    if (status == NtStatus.STATUS_ACCESS_VIOLATION) {
      return fail(WinError.ERROR_NOACCESS, false);
    }
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /** VirtualQuery: the bytes written to lpBuffer (28), or 0 with the last error set. */
  public long VirtualQuery(long lpAddress, org.ntsim.mm.MemoryBasicInformation lpBuffer,
      long dwLength) {
    return VirtualQueryEx(Ntdll.NtCurrentProcess, lpAddress, lpBuffer, dwLength);
  }

  /** VirtualQueryEx. */
  public long VirtualQueryEx(long hProcess, long lpAddress,
      org.ntsim.mm.MemoryBasicInformation lpBuffer, long dwLength) {
    long[] returned = new long[1];
    int status = ntdll.NtQueryVirtualMemory(hProcess, lpAddress, Ntdll.MemoryBasicInformation,
        lpBuffer, dwLength, returned);
    if (!NtStatus.isSuccess(status)) {
      return fail(WinError.fromNtStatus(status), 0L);
    }
    return returned[0];
  }

  /**
   * VirtualLock: every page must be committed and accessible; it stays in the working set. A
   * process locks at most its minimum working set less a small overhead (8 pages) in all;
   * past that ERROR_WORKING_SET_QUOTA, until SetProcessWorkingSetSize raises the minimum.
   */
  public boolean VirtualLock(long lpAddress, long dwSize) {
    long[] base = {lpAddress};
    long[] size = {dwSize};
    int status = ntdll.NtLockVirtualMemory(Ntdll.NtCurrentProcess, base, size,
        org.ntsim.mm.VirtualMemory.MAP_PROCESS);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /** VirtualUnlock: fails with ERROR_NOT_LOCKED unless every page is locked. */
  public boolean VirtualUnlock(long lpAddress, long dwSize) {
    long[] base = {lpAddress};
    long[] size = {dwSize};
    int status = ntdll.NtUnlockVirtualMemory(Ntdll.NtCurrentProcess, base, size,
        org.ntsim.mm.VirtualMemory.MAP_PROCESS);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /**
   * ReadProcessMemory: lpBuffer is an address in the caller's address space; the bytes copied
   * go to lpNumberOfBytesRead (optional). A fault in the process read: ERROR_PARTIAL_COPY; a
   * fault in lpBuffer: ERROR_NOACCESS with nothing reported read.
   */
  public boolean ReadProcessMemory(long hProcess, long lpBaseAddress, long lpBuffer, long nSize,
      long[] lpNumberOfBytesRead) {
    int status = ntdll.NtReadVirtualMemory(hProcess, lpBaseAddress, lpBuffer, nSize,
        lpNumberOfBytesRead);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /**
   * WriteProcessMemory: lpBuffer is an address in the caller's address space. As kernel32 does,
   * it first makes the target range PAGE_EXECUTE_READWRITE with NtProtectVirtualMemory (which is
   * why the handle needs PROCESS_VM_OPERATION besides PROCESS_VM_WRITE, and why a range that is
   * not committed in one region, or runs past user space, fails with that call's error, such as
   * ERROR_INVALID_PARAMETER for a size of zero or past the end). Pages that were writable get
   * their protection back before the copy; read-only and no-access pages fail with
   * ERROR_NOACCESS and nothing reported written; other pages (PAGE_EXECUTE_READ, say) are
   * written and then get their protection back. A fault in lpBuffer: ERROR_PARTIAL_COPY
   * (Vista's answer, with nothing reported written).
   */
  public boolean WriteProcessMemory(long hProcess, long lpBaseAddress, long lpBuffer, long nSize,
      long[] lpNumberOfBytesWritten) {
    long[] base = {lpBaseAddress};
    long[] size = {nSize};
    int[] oldProtect = new int[1];
    int status = ntdll.NtProtectVirtualMemory(hProcess, base, size, PAGE_EXECUTE_READWRITE,
        oldProtect);
    if (!NtStatus.isSuccess(status)) {
      return failStatus(status);
    }
    int old = oldProtect[0];
    int access = old & 0xFF;
    boolean writable = access == PAGE_READWRITE || access == PAGE_WRITECOPY
        || access == PAGE_EXECUTE_READWRITE || access == PAGE_EXECUTE_WRITECOPY;
    if (writable) {
      restoreProtection(hProcess, base, size, old);
      status = ntdll.NtWriteVirtualMemory(hProcess, lpBaseAddress, lpBuffer, nSize,
          lpNumberOfBytesWritten);
      return NtStatus.isSuccess(status) || failStatus(status);
    }
    if (access == PAGE_NOACCESS || access == PAGE_READONLY) {
      restoreProtection(hProcess, base, size, old);
      return fail(WinError.ERROR_NOACCESS, false);
    }
    status = ntdll.NtWriteVirtualMemory(hProcess, lpBaseAddress, lpBuffer, nSize,
        lpNumberOfBytesWritten);
    restoreProtection(hProcess, base, size, old);
    return NtStatus.isSuccess(status) || fail(WinError.ERROR_NOACCESS, false);
  }

  private void restoreProtection(long hProcess, long[] base, long[] size, int protect) {
    ntdll.NtProtectVirtualMemory(hProcess, new long[] {base[0]}, new long[] {size[0]}, protect,
        new int[1]);
  }

  /**
   * GetWriteWatch: 0 on success with lpdwCount[0] addresses of written pages; -1 (with the last
   * error) when the range is not in one MEM_WRITE_WATCH region.
   */
  public int GetWriteWatch(int dwFlags, long lpBaseAddress, long dwRegionSize,
      long[] lpAddresses, long[] lpdwCount, int[] lpdwGranularity) {
    int status = ntdll.NtGetWriteWatch(Ntdll.NtCurrentProcess, dwFlags, lpBaseAddress, dwRegionSize,
        lpAddresses, lpdwCount, lpdwGranularity);
    if (!NtStatus.isSuccess(status)) {
      ntdll.currentThread().lastError = WinError.fromNtStatus(status);
      return -1;
    }
    return 0;
  }

  /** ResetWriteWatch: 0 on success, else a Win32 error code. */
  public int ResetWriteWatch(long lpBaseAddress, long dwRegionSize) {
    int status = ntdll.NtResetWriteWatch(Ntdll.NtCurrentProcess, lpBaseAddress, dwRegionSize);
    if (!NtStatus.isSuccess(status)) {
      int error = WinError.fromNtStatus(status);
      ntdll.currentThread().lastError = error;
      return error;
    }
    return 0;
  }

  /** K32EmptyWorkingSet (psapi EmptyWorkingSet): as many pages as possible leave the set. */
  public boolean EmptyWorkingSet(long hProcess) {
    int status = ntdll.emptyWorkingSet(hProcess);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /**
   * SetProcessWorkingSetSize: the working set's minimum and maximum in bytes (rounded up to
   * pages); a working set above the new maximum is trimmed at once. (-1, -1) empties it.
   * ERROR_INVALID_PARAMETER unless 0 < minimum <= maximum within physical memory less 512
   * pages (the documentation's limit on the maximum).
   */
  public boolean SetProcessWorkingSetSize(long hProcess, long dwMinimumWorkingSetSize,
      long dwMaximumWorkingSetSize) {
    if (dwMinimumWorkingSetSize == -1 && dwMaximumWorkingSetSize == -1) {
      return EmptyWorkingSet(hProcess);
    }
    return SetProcessWorkingSetSizeEx(hProcess, dwMinimumWorkingSetSize,
        dwMaximumWorkingSetSize, 0);
  }

  public static final int QUOTA_LIMITS_HARDWS_MIN_ENABLE = 0x1;
  public static final int QUOTA_LIMITS_HARDWS_MIN_DISABLE = 0x2;
  public static final int QUOTA_LIMITS_HARDWS_MAX_ENABLE = 0x4;
  public static final int QUOTA_LIMITS_HARDWS_MAX_DISABLE = 0x8;

  /**
   * SetProcessWorkingSetSizeEx: as SetProcessWorkingSetSize, with QUOTA_LIMITS_HARDWS_MAX_ENABLE
   * making the maximum hard (the working set never grows past it) and ..._MAX_DISABLE soft.
   * Enabling and disabling the same limit together is ERROR_INVALID_PARAMETER. Hard minimums are
   * accepted and have no effect (nothing takes pages below the minimum except emptying).
   */
  public boolean SetProcessWorkingSetSizeEx(long hProcess, long dwMinimumWorkingSetSize,
      long dwMaximumWorkingSetSize, int Flags) {
    if ((Flags & ~0xF) != 0
        || (Flags & 0x3) == 0x3 || (Flags & 0xC) == 0xC) {
      return fail(WinError.ERROR_INVALID_PARAMETER, false);
    }
    if (dwMinimumWorkingSetSize == -1 && dwMaximumWorkingSetSize == -1) {
      return EmptyWorkingSet(hProcess);
    }
    int status = ntdll.setWorkingSetSize(hProcess, (dwMinimumWorkingSetSize + 4095) / 4096,
        (dwMaximumWorkingSetSize + 4095) / 4096, (Flags & QUOTA_LIMITS_HARDWS_MAX_ENABLE) != 0);
    return NtStatus.isSuccess(status) || failStatus(status);
  }

  /** GetProcessWorkingSetSize: the minimum and maximum in bytes. */
  public boolean GetProcessWorkingSetSize(long hProcess, long[] lpMinimumWorkingSetSize,
      long[] lpMaximumWorkingSetSize) {
    long[] limits = new long[2];
    int status = ntdll.queryWorkingSetSize(hProcess, limits);
    if (!NtStatus.isSuccess(status)) {
      return failStatus(status);
    }
    if (lpMinimumWorkingSetSize == null || lpMinimumWorkingSetSize.length < 1
        || lpMaximumWorkingSetSize == null || lpMaximumWorkingSetSize.length < 1) {
      return fail(WinError.ERROR_NOACCESS, false);
    }
    lpMinimumWorkingSetSize[0] = limits[0] * 4096;
    lpMaximumWorkingSetSize[0] = limits[1] * 4096;
    return true;
  }

  /**
   * GlobalMemoryStatusEx: physical memory and what is available (zeroed, free and standby
   * pages), the commit limit and what is left of it, and the caller's user address space and
   * what is not reserved. dwLength must be set to 64 (ERROR_INVALID_PARAMETER otherwise).
   */
  public boolean GlobalMemoryStatusEx(MemoryStatusEx lpBuffer) {
    if (lpBuffer == null) {
      return fail(WinError.ERROR_NOACCESS, false);
    }
    if (lpBuffer.dwLength != 64) {
      return fail(WinError.ERROR_INVALID_PARAMETER, false);
    }
    var info = new org.ntsim.mm.MmSystemInformation.PerformanceInformation();
    int status = ntdll.NtQuerySystemInformation(Ntdll.SystemPerformanceInformation, info,
        org.ntsim.mm.MmSystemInformation.PerformanceInformation.SIZE, null);
    if (!NtStatus.isSuccess(status)) {
      return failStatus(status);
    }
    long frames = info.NumberOfPhysicalPages;
    lpBuffer.ullTotalPhys = frames * 4096;
    lpBuffer.ullAvailPhys = info.AvailablePages * 4096;
    lpBuffer.dwMemoryLoad = (int) (100 * (frames - info.AvailablePages) / frames);
    lpBuffer.ullTotalPageFile = info.CommitLimit * 4096;
    lpBuffer.ullAvailPageFile = (info.CommitLimit - info.CommittedPages) * 4096;
    lpBuffer.ullTotalVirtual = org.ntsim.mm.MmLayout.MM_HIGHEST_USER_ADDRESS + 1
        - org.ntsim.mm.MmLayout.MM_LOWEST_USER_ADDRESS;
    lpBuffer.ullAvailVirtual = lpBuffer.ullTotalVirtual - info.VirtualSize;
    lpBuffer.ullAvailExtendedVirtual = 0;
    return true;
  }
}
