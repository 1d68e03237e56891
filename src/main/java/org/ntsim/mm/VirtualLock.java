package org.ntsim.mm;

import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;

/**
 * NtLockVirtualMemory and NtUnlockVirtualMemory for MAP_PROCESS (Windows Internals ch. 9,
 * "Locking Memory"): pages locked into a process's working set, which no trim takes out.
 *
 * <p>Models: a per-page locked bit in the VAD and a count per process; locking faults each page
 * in; the pages a process may lock are its minimum working set less {@link #LOCK_OVERHEAD_PAGES}.
 *
 * <p>Invariants: a locked page is committed and in its VAD; the process's count is the number of
 * locked bits.
 *
 * <p>Left out: MAP_SYSTEM locking (it needs SeLockMemoryPrivilege, which no guest holds), a floor
 * under a working set minimum that already has pages locked against it, locking by raising the
 * frame's reference count as NT does (the trims skip locked pages instead).
 */
final class VirtualLock {
  private static final long PAGE = MmLayout.PAGE_SIZE;

  private final MemoryManager mm;
  private final VirtualMemory vm;

  VirtualLock(MemoryManager mm, VirtualMemory vm) {
    this.mm = mm;
    this.vm = vm;
  }

  /**
   * Pages of the minimum working set a process may not lock (MM_FLUID_WORKING_SET): Microsoft's
   * VirtualLock page limits locking to "the minimum working set minus a small overhead"; the
   * Win32 documentation of NT 3.1 to 2000 put the default limit at 30 pages and KB Q94996 at
   * "approximately 28 to 32". With NT's default minimum of 50 pages this leaves 42.
   */
  static final int LOCK_OVERHEAD_PAGES = 8;

  /**
   * NtLockVirtualMemory (VirtualMemory.MAP_PROCESS): faults every page of the range in and keeps it in the
   * working set until unlocked. STATUS_WAS_LOCKED when every page was locked already;
   * STATUS_WORKING_SET_QUOTA, before anything is locked, when the pages newly locked would take
   * the process past its minimum working set less {@link #LOCK_OVERHEAD_PAGES}.
   */
  int lock(AddressSpace as, long[] baseAddress, long[] regionSize, int mapType) {
    if (mapType != VirtualMemory.MAP_PROCESS && mapType != VirtualMemory.MAP_SYSTEM) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    if (mapType == VirtualMemory.MAP_SYSTEM) {
      return NtStatus.STATUS_PRIVILEGE_NOT_HELD;
    }
    long base = baseAddress[0];
    long size = regionSize[0];
    if (!UserRange.isUserAddress(base) || size == 0 || UserRange.passesUserSpace(base, size)) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long start = base & ~(PAGE - 1);
    long end = VirtualMemory.roundUp(base + size, PAGE);
    Attachment a = Attachment.attach(mm, as);
    try {
      Vad vad;
      int old = mm.lock();
      try {
        vad = as.vads.find(start >>> 12);
        if (vad == null || end > vad.endAddress()) {
          return NtStatus.STATUS_CONFLICTING_ADDRESSES;
        }
        long newlyLocked = 0;
        for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
          int pte = vm.pteOf(vpn);
          if (!VirtualMemory.committed(vad, pte)) {
            return NtStatus.STATUS_NOT_COMMITTED;
          }
          if (MmPte.isNoAccess(vm.protectionOf(vad, pte))) {
            return NtStatus.STATUS_ACCESS_VIOLATION;
          }
          if (!vad.locked(vpn)) {
            newlyLocked++;
          }
        }
        if (as.lockedPages + newlyLocked > lockLimitPages(as)) {
          return NtStatus.STATUS_WORKING_SET_QUOTA;
        }
      } finally {
        mm.unlock(old);
      }
      boolean allLocked = true;
      for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
        try {
          mm.kernelAccess().readByte(vpn << 12);
        } catch (GuestException e) {
          return e.status();
        }
        allLocked &= vad.locked(vpn);
        if (!vad.locked(vpn)) {
          vad.setLocked(vpn, true);
          as.lockedPages++;
        }
      }
      baseAddress[0] = start;
      regionSize[0] = end - start;
      return allLocked ? NtStatus.STATUS_WAS_LOCKED : NtStatus.STATUS_SUCCESS;
    } finally {
      a.detach(mm);
    }
  }

  /** The most pages {@code as} may have locked: its minimum working set less the overhead. */
  static long lockLimitPages(AddressSpace as) {
    return Math.max(0, as.ws.minimumPages - LOCK_OVERHEAD_PAGES);
  }

  /** NtUnlockVirtualMemory: STATUS_NOT_LOCKED unless every page of the range is locked. */
  int unlock(AddressSpace as, long[] baseAddress, long[] regionSize, int mapType) {
    if (mapType != VirtualMemory.MAP_PROCESS && mapType != VirtualMemory.MAP_SYSTEM) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long base = baseAddress[0];
    long size = regionSize[0];
    if (!UserRange.isUserAddress(base) || size == 0 || UserRange.passesUserSpace(base, size)) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long start = base & ~(PAGE - 1);
    long end = VirtualMemory.roundUp(base + size, PAGE);
    Vad vad = as.vads.find(start >>> 12);
    if (vad == null || end > vad.endAddress()) {
      return NtStatus.STATUS_CONFLICTING_ADDRESSES;
    }
    for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
      if (!vad.locked(vpn)) {
        return NtStatus.STATUS_NOT_LOCKED;
      }
    }
    for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
      vad.setLocked(vpn, false);
      as.lockedPages--;
    }
    baseAddress[0] = start;
    regionSize[0] = end - start;
    return NtStatus.STATUS_SUCCESS;
  }
}
