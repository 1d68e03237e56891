package org.ntsim.mm;

import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.NtStatus;

/**
 * The virtual memory system services on a process's private memory (seed 004 slides 19-22;
 * Windows Internals ch. 9, "Reserving and Committing Pages"): NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory, NtLockVirtualMemory and
 * NtUnlockVirtualMemory (the last two in {@link VirtualLock}, the PTEs and frames of a freed
 * range given back by {@link PageDeletion}). The copies between processes are
 * {@link ProcessMemoryCopy}'s, write watching {@link WriteWatch}'s, emptying a working set
 * {@link WorkingSetManager}'s.
 *
 * <p>Models: regions reserved on 64 KiB boundaries in whole pages, bottom up or top down, below
 * the limit zero bits set; pages committed at reservation (the VAD says so and the PTEs stay
 * zero) or later (demand-zero PTEs carrying the protection); decommitted pages inside a region
 * committed at reservation get MM_DECOMMIT PTEs; commit charged per page against the commit
 * limit; protection changes on valid pages rewrite them in place (or make them invalid, the frame
 * kept, for PAGE_NOACCESS and PAGE_GUARD), with a TLB flush; MEM_RESET clears the modified state
 * so a trimmed page goes to the standby list. A target process other than the caller's is
 * attached to (its page directory loaded) for the duration, as KeStackAttachProcess does.
 *
 * <p>Every service validates its parameters before changing anything, returning the status
 * Windows returns; nothing here throws for bad input.
 *
 * <p>Left out: large pages, physical (AWE) regions, freeing page tables that become empty
 * before the process ends.
 */
public final class VirtualMemory {
  public static final int MEM_COMMIT = 0x1000;
  public static final int MEM_RESERVE = 0x2000;
  public static final int MEM_DECOMMIT = 0x4000;
  public static final int MEM_RELEASE = 0x8000;
  public static final int MEM_FREE = 0x10000;
  public static final int MEM_RESET = 0x80000;
  public static final int MEM_TOP_DOWN = 0x100000;
  public static final int MEM_WRITE_WATCH = 0x200000;
  public static final int MEM_PHYSICAL = 0x400000;
  public static final int MEM_LARGE_PAGES = 0x20000000;
  public static final int WRITE_WATCH_FLAG_RESET = 1;
  public static final int MAP_PROCESS = 1;
  public static final int MAP_SYSTEM = 2;
  /** STATUS_FREE_VM_NOT_AT_BASE. */
  public static final int STATUS_FREE_VM_NOT_AT_BASE = 0xC000009F;

  private static final long PAGE = MmLayout.PAGE_SIZE;
  private static final long GRANULE = MmLayout.ALLOCATION_GRANULARITY;
  private static final long USER_END = MmLayout.MM_HIGHEST_USER_ADDRESS + 1; // 7FFF0000

  private final MemoryManager mm;
  final PageDeletion pageDeletion;
  private final VirtualLock virtualLock;

  VirtualMemory(MemoryManager mm) {
    this.mm = mm;
    this.pageDeletion = new PageDeletion(mm, this);
    this.virtualLock = new VirtualLock(mm, this);
  }

  private void charge(long pages) {
    mm.kernel.spend(mm.cost.vmPageNs * Math.max(1, Math.min(pages, 1 << 20)));
  }

  // ================================================================== page state

  int pteOf(long vpn) {
    return mm.readPteIfMapped(vpn << 12);
  }

  static boolean committed(Vad v, int pte) {
    if (pte == 0) {
      return v.memCommit;
    }
    if (MmPte.isValid(pte) || MmPte.isTransition(pte)) {
      return true;
    }
    return MmPte.protection(pte) != MmPte.MM_DECOMMIT;
  }

  int protectionOf(Vad v, int pte) {
    if (pte == 0) {
      return v.protection;
    }
    if (MmPte.isValid(pte)) {
      return MmPte.protection(mm.pfn.originalPte(X86Pte.frame(pte)));
    }
    return MmPte.protection(pte);
  }

  // ================================================================== NtAllocateVirtualMemory

  /**
   * NtAllocateVirtualMemory: reserves, commits, or resets ({@code MEM_RESET}) pages. On success
   * {@code baseAddress[0]} and {@code regionSize[0]} hold the rounded range.
   */
  public int allocate(AddressSpace as, long[] baseAddress, long zeroBits, long[] regionSize,
      int allocationType, int protect) {
    int check = checkAllocation(allocationType, protect);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    if (zeroBits < 0 || zeroBits > 21) {
      return NtStatus.STATUS_INVALID_PARAMETER_3;
    }
    long size = regionSize[0];
    long base = baseAddress[0];
    if (size <= 0 || size > USER_END) {
      return NtStatus.STATUS_INVALID_PARAMETER_4;
    }
    if (base < 0 || base > MmLayout.MM_HIGHEST_USER_ADDRESS) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    if (allocationType == MEM_RESET) {
      return reset(as, baseAddress, regionSize);
    }
    int protection = MmPte.fromWin32(protect);
    boolean reserve = (allocationType & MEM_RESERVE) != 0 || base == 0;
    boolean commit = (allocationType & MEM_COMMIT) != 0;
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    long pages = 1;
    int status;
    try {
      if (as.isVmDeleted()) {
        status = NtStatus.STATUS_PROCESS_IS_TERMINATING; // its last thread left meanwhile
      } else if (reserve) {
        status = reserve(as, baseAddress, zeroBits, regionSize, allocationType, protection, commit);
        pages = commit ? regionSize[0] / PAGE : 1;
      } else {
        status = commit(as, baseAddress, regionSize, protection);
        pages = regionSize[0] / PAGE;
      }
    } finally {
      mm.unlock(old);
      a.detach(mm);
    }
    charge(status == NtStatus.STATUS_SUCCESS ? pages : 1);
    return status;
  }

  /**
   * The checks NtAllocateVirtualMemory makes before it looks at its pointers: the allocation
   * type (STATUS_INVALID_PARAMETER_5), then the protection (STATUS_INVALID_PAGE_PROTECTION;
   * copy-on-write is refused for private memory; MEM_RESET ignores the protection but, as the
   * WRK's allocvm.c checks it first, still needs a valid one).
   */
  public static int checkAllocation(int allocationType, int protect) {
    int known = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_TOP_DOWN | MEM_WRITE_WATCH
        | MEM_PHYSICAL | MEM_LARGE_PAGES;
    if ((allocationType & ~known) != 0
        || (allocationType & (MEM_COMMIT | MEM_RESERVE | MEM_RESET)) == 0
        || ((allocationType & MEM_RESET) != 0 && allocationType != MEM_RESET)
        || ((allocationType & MEM_WRITE_WATCH) != 0 && (allocationType & MEM_RESERVE) == 0)
        || (allocationType & (MEM_PHYSICAL | MEM_LARGE_PAGES)) != 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_5;
    }
    int protection = MmPte.fromWin32(protect);
    if (allocationType == MEM_RESET) {
      // MiMakeProtectionMask runs before the MEM_RESET path: the protection is ignored, but it
      // must be a valid one.
      return protection < 0 ? NtStatus.STATUS_INVALID_PAGE_PROTECTION : NtStatus.STATUS_SUCCESS;
    }
    if (protection < 0 || (protection & 7) == MmPte.MM_WRITECOPY
        || (protection & 7) == MmPte.MM_EXECUTE_WRITECOPY) {
      return NtStatus.STATUS_INVALID_PAGE_PROTECTION;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private int reserve(AddressSpace as, long[] baseAddress, long zeroBits, long[] regionSize,
      int allocationType, int protection, boolean commit) {
    long base = baseAddress[0];
    long size = regionSize[0];
    long start;
    long end; // exclusive
    if (base != 0) {
      start = base & ~(GRANULE - 1);
      end = roundUp(base + size, PAGE);
      if (end > USER_END || start < MmLayout.MM_LOWEST_USER_ADDRESS) {
        return end > USER_END ? NtStatus.STATUS_INVALID_PARAMETER_4
            : NtStatus.STATUS_INVALID_PARAMETER_2;
      }
      // A conflict is reported before the zero bits are looked at (Wine's test_VirtualAlloc
      // records STATUS_CONFLICTING_ADDRESSES with 12 zero bits and a taken address).
      if (as.vads.overlaps(start >>> 12, (end >>> 12) - 1)) {
        return NtStatus.STATUS_CONFLICTING_ADDRESSES;
      }
      if (zeroBits > 0 && ((end - 1) >>> (32 - zeroBits)) != 0) {
        return NtStatus.STATUS_INVALID_PARAMETER_3;
      }
    } else {
      long length = roundUp(size, PAGE);
      long limit = zeroBits > 0 ? Math.min(USER_END, 1L << (32 - zeroBits)) : USER_END;
      start = findFree(as, length, limit, (allocationType & MEM_TOP_DOWN) != 0);
      if (start < 0) {
        return NtStatus.STATUS_NO_MEMORY;
      }
      end = start + length;
    }
    long pages = (end - start) / PAGE;
    Vad vad = new Vad(start >>> 12, (end >>> 12) - 1, protection, commit,
        (allocationType & MEM_WRITE_WATCH) != 0, (allocationType & MEM_TOP_DOWN) != 0);
    if (commit) {
      if (!mm.chargeCommitment(as, pages)) {
        return NtStatus.STATUS_COMMITMENT_LIMIT;
      }
      vad.commitCharge = pages;
    }
    vad.address = mm.allocateVadAddress();
    as.vads.insert(vad);
    baseAddress[0] = start;
    regionSize[0] = end - start;
    return NtStatus.STATUS_SUCCESS;
  }

  /** The lowest (or highest) 64 KiB-aligned hole of {@code length} bytes below {@code limit}. */
  private static long findFree(AddressSpace as, long length, long limit, boolean topDown) {
    java.util.List<Vad> vads = as.vads.inOrder();
    if (!topDown) {
      long candidate = MmLayout.MM_LOWEST_USER_ADDRESS;
      for (Vad v : vads) {
        if (candidate + length <= v.startAddress()) {
          break;
        }
        candidate = Math.max(candidate, roundUp(v.endAddress(), GRANULE));
      }
      return candidate + length <= limit ? candidate : -1;
    }
    long ceiling = limit;
    for (int i = vads.size() - 1; i >= -1; i--) {
      Vad v = i >= 0 ? vads.get(i) : null;
      if (v != null && v.startAddress() >= ceiling) {
        continue;
      }
      long floor = v != null ? roundUp(v.endAddress(), GRANULE) : MmLayout.MM_LOWEST_USER_ADDRESS;
      long candidate = (ceiling - length) & ~(GRANULE - 1);
      if (ceiling - length >= 0 && candidate >= floor) {
        return candidate;
      }
      if (v != null) {
        ceiling = v.startAddress();
      }
    }
    return -1;
  }

  private int commit(AddressSpace as, long[] baseAddress, long[] regionSize, int protection) {
    long start = baseAddress[0] & ~(PAGE - 1);
    long end = roundUp(baseAddress[0] + regionSize[0], PAGE);
    if (end > USER_END) {
      return NtStatus.STATUS_INVALID_PARAMETER_4;
    }
    Vad vad = as.vads.find(start >>> 12);
    if (vad == null || end > vad.endAddress()) {
      return NtStatus.STATUS_CONFLICTING_ADDRESSES;
    }
    long newPages = 0;
    for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
      if (!committed(vad, pteOf(vpn))) {
        newPages++;
      }
    }
    if (newPages > 0 && !mm.chargeCommitment(as, newPages)) {
      return NtStatus.STATUS_COMMITMENT_LIMIT;
    }
    vad.commitCharge += newPages;
    for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
      int pte = pteOf(vpn);
      if (committed(vad, pte)) {
        setProtection(as, vad, vpn, pte, protection);
      } else {
        writeSoftPte(as, vpn, MmPte.demandZero(protection));
      }
    }
    baseAddress[0] = start;
    regionSize[0] = end - start;
    return NtStatus.STATUS_SUCCESS;
  }

  /** Writes an invalid PTE for user page {@code vpn}, making its page table if there is none. */
  void writeSoftPte(AddressSpace as, long vpn, int pte) {
    long va = vpn << 12;
    if (!mm.makePageTable(as, va)) {
      mm.kernel.bugCheckEx(org.ntsim.ke.BugCheck.NO_PAGES_AVAILABLE, mm.pfn.availablePages(),
          mm.commitTotal(), 1, 0, "no page left for a page table");
    }
    mm.writePte(MmLayout.pteAddress(va), pte);
  }

  /**
   * MEM_RESET: the pages' contents are no longer of interest; they stop being modified. The
   * range is rounded inward, to the whole pages inside it, so that data sharing a page with it is
   * kept (allocvm.c); a range holding no whole page, or not inside one region, is
   * STATUS_CONFLICTING_ADDRESSES.
   */
  private int reset(AddressSpace as, long[] baseAddress, long[] regionSize) {
    long start = roundUp(baseAddress[0], PAGE);
    long end = (baseAddress[0] + regionSize[0]) & ~(PAGE - 1);
    if (start >= end) {
      return NtStatus.STATUS_CONFLICTING_ADDRESSES;
    }
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    try {
      Vad vad = as.vads.find(start >>> 12);
      if (vad == null || end > vad.endAddress()) {
        return NtStatus.STATUS_CONFLICTING_ADDRESSES;
      }
      for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
        int pte = pteOf(vpn);
        if (MmPte.isValid(pte)) {
          int frame = X86Pte.frame(pte);
          mm.writePte(MmLayout.pteAddress(vpn << 12), pte & ~X86Pte.DIRTY);
          mm.tb.flushTb(vpn << 12);
          mm.lists.clearModified(frame);
        } else if (MmPte.isTransition(pte)) {
          mm.lists.clearModified(MmPte.transitionFrame(pte)); // off the modified list if on it
        }
      }
      baseAddress[0] = start;
      regionSize[0] = end - start;
      return NtStatus.STATUS_SUCCESS;
    } finally {
      mm.unlock(old);
      a.detach(mm);
      charge((end - start) / PAGE);
    }
  }

  // ================================================================== NtFreeVirtualMemory

  /** NtFreeVirtualMemory: MEM_DECOMMIT or MEM_RELEASE; the freed range is written back. */
  public int free(AddressSpace as, long[] baseAddress, long[] regionSize, int freeType) {
    if (freeType != MEM_DECOMMIT && freeType != MEM_RELEASE) {
      return NtStatus.STATUS_INVALID_PARAMETER_4;
    }
    long base = baseAddress[0];
    long size = regionSize[0];
    if (!UserRange.isUserAddress(base)) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    if (UserRange.passesUserSpace(base, size)) {
      return NtStatus.STATUS_INVALID_PARAMETER_3;
    }
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    long pages = 0;
    try {
      Vad vad = as.vads.find(base >>> 12);
      if (vad == null) {
        return NtStatus.STATUS_MEMORY_NOT_ALLOCATED;
      }
      long start = base & ~(PAGE - 1);
      long end = size == 0 ? vad.endAddress() : roundUp(base + size, PAGE);
      if (end > vad.endAddress()) {
        return NtStatus.STATUS_UNABLE_TO_FREE_VM;
      }
      if (size == 0 && (base >>> 12) != vad.startingVpn) {
        return STATUS_FREE_VM_NOT_AT_BASE; // a size of 0 means the whole region, from its base
      }
      pages = (end - start) / PAGE;
      mm.tb.startBatch();
      long removed;
      try {
        removed = pageDeletion.deletePages(as, vad, start >>> 12, (end >>> 12) - 1, freeType == MEM_RELEASE);
      } finally {
        mm.tb.endBatch();
      }
      if (freeType == MEM_DECOMMIT) {
        mm.returnCommitment(as, removed);
        vad.commitCharge -= removed;
      } else {
        releaseRange(as, vad, start >>> 12, (end >>> 12) - 1);
      }
      baseAddress[0] = start;
      regionSize[0] = end - start;
      return NtStatus.STATUS_SUCCESS;
    } finally {
      mm.unlock(old);
      a.detach(mm);
      charge(pages);
    }
  }

  /**
   * Takes pages {@code fromVpn..toVpn} (already cleared) out of {@code vad}: the VAD goes, and
   * what is left of it on either side becomes a VAD of its own. Called under the lock.
   */
  private void releaseRange(AddressSpace as, Vad vad, long fromVpn, long toVpn) {
    as.vads.remove(vad);
    if (fromVpn <= vad.startingVpn && toVpn >= vad.endingVpn) {
      mm.freeVadAddress(vad); // nothing is left: the VAD's pool block goes
    }
    long kept = 0;
    if (fromVpn > vad.startingVpn) {
      kept += insertPiece(as, vad.slice(vad.startingVpn, fromVpn - 1));
    }
    if (toVpn < vad.endingVpn) {
      Vad upper = vad.slice(toVpn + 1, vad.endingVpn);
      if (fromVpn > vad.startingVpn) {
        upper.address = mm.allocateVadAddress(); // the lower piece kept the original VAD
      }
      kept += insertPiece(as, upper);
    }
    mm.returnCommitment(as, vad.commitCharge - kept);
  }

  private long insertPiece(AddressSpace as, Vad piece) {
    for (long vpn = piece.startingVpn; vpn <= piece.endingVpn; vpn++) {
      if (committed(piece, pteOf(vpn))) {
        piece.commitCharge++;
      }
    }
    as.vads.insert(piece);
    return piece.commitCharge;
  }

  // ================================================================== NtProtectVirtualMemory

  /** NtProtectVirtualMemory: every page of the range must be committed, in one region. */
  public int protect(AddressSpace as, long[] baseAddress, long[] regionSize, int newProtect,
      int[] oldProtect) {
    int protection = MmPte.fromWin32(newProtect);
    if (protection < 0 || (protection & 7) == MmPte.MM_WRITECOPY
        || (protection & 7) == MmPte.MM_EXECUTE_WRITECOPY) {
      return NtStatus.STATUS_INVALID_PAGE_PROTECTION;
    }
    long base = baseAddress[0];
    long size = regionSize[0];
    if (!UserRange.isUserAddress(base)) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    if (size == 0 || UserRange.passesUserSpace(base, size)) {
      return NtStatus.STATUS_INVALID_PARAMETER_3;
    }
    long start = base & ~(PAGE - 1);
    long end = roundUp(base + size, PAGE);
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    try {
      Vad vad = as.vads.find(start >>> 12);
      if (vad == null || end > vad.endAddress()) {
        return NtStatus.STATUS_CONFLICTING_ADDRESSES;
      }
      for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
        if (!committed(vad, pteOf(vpn))) {
          return NtStatus.STATUS_NOT_COMMITTED;
        }
      }
      oldProtect[0] = MmPte.toWin32(protectionOf(vad, pteOf(start >>> 12)));
      for (long vpn = start >>> 12; vpn < end >>> 12; vpn++) {
        setProtection(as, vad, vpn, pteOf(vpn), protection);
      }
      baseAddress[0] = start;
      regionSize[0] = end - start;
      return NtStatus.STATUS_SUCCESS;
    } finally {
      mm.unlock(old);
      a.detach(mm);
      charge((end - start) / PAGE);
    }
  }

  /** Gives committed page {@code vpn} (PTE {@code pte}) the protection {@code protection}. */
  private void setProtection(AddressSpace as, Vad vad, long vpn, int pte, int protection) {
    long va = vpn << 12;
    long pteVa = MmLayout.pteAddress(va);
    PfnDatabase pfn = mm.pfn;
    boolean blocked = MmPte.isNoAccess(protection) || MmPte.isGuard(protection);
    if (MmPte.isValid(pte)) {
      int frame = X86Pte.frame(pte);
      mm.lists.setOriginalPte(frame, MmPte.demandZero(protection));
      if (blocked) {
        if ((pte & X86Pte.DIRTY) != 0) {
          mm.lists.setModified(frame);
        }
        mm.writePte(pteVa, MmPte.transition(frame, protection));
      } else {
        int bits = MmPte.hardwareBits(protection, true)
            | (pte & (X86Pte.ACCESSED | X86Pte.DIRTY));
        if (vad.writeWatch && !vad.written(vpn)) {
          bits &= ~X86Pte.WRITE;
        }
        mm.writePte(pteVa, X86Pte.make(frame, bits));
      }
      mm.tb.flushTb(va);
    } else if (MmPte.isTransition(pte)) {
      int frame = MmPte.transitionFrame(pte);
      mm.lists.setOriginalPte(frame, MmPte.demandZero(protection));
      if (!blocked && pfn.state(frame) == PfnDatabase.ACTIVE
          && (pfn.flags(frame) & PfnDatabase.FLAG_READ_IN_PROGRESS) == 0) {
        int bits = MmPte.hardwareBits(protection, true) | X86Pte.ACCESSED;
        if (vad.writeWatch && !vad.written(vpn)) {
          bits &= ~X86Pte.WRITE;
        }
        mm.writePte(pteVa, X86Pte.make(frame, bits));
      } else {
        mm.writePte(pteVa, MmPte.transition(frame, protection));
      }
    } else if (pte == 0 && vad.memCommit && protection == vad.protection) {
      // committed with the region's protection already
    } else {
      writeSoftPte(as, vpn, MmPte.demandZero(protection));
    }
  }

  // ================================================================== NtQueryVirtualMemory

  /** NtQueryVirtualMemory (MemoryBasicInformation) for the run of pages at {@code address}. */
  public int query(AddressSpace as, long address, MemoryBasicInformation info) {
    if (address < 0 || address > MmLayout.MM_HIGHEST_USER_ADDRESS) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    long page = address & ~(PAGE - 1);
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    try {
      Vad vad = as.vads.find(page >>> 12);
      if (vad == null) {
        if (MachineConfig.PLANTED_QUERY_THROWS.equals(mm.machine.config.plantedBug)) {
          throw new IllegalStateException("planted bug: query of a free region at "
              + Long.toHexString(page));
        }
        Vad next = as.vads.firstEndingAtOrAfter(page >>> 12);
        long limit = next != null ? next.startAddress() : USER_END;
        info.BaseAddress = page;
        info.AllocationBase = 0;
        info.AllocationProtect = 0;
        info.RegionSize = limit - page;
        info.State = MemoryBasicInformation.MEM_FREE;
        info.Protect = MmPte.PAGE_NOACCESS;
        info.Type = 0;
        return NtStatus.STATUS_SUCCESS;
      }
      int first = pteOf(page >>> 12);
      boolean isCommitted = committed(vad, first);
      int protection = isCommitted ? protectionOf(vad, first) : -1;
      long vpn = (page >>> 12) + 1;
      while (vpn <= vad.endingVpn) {
        int pte = pteOf(vpn);
        boolean c = committed(vad, pte);
        if (c != isCommitted || (c && protectionOf(vad, pte) != protection)) {
          break;
        }
        vpn++;
      }
      info.BaseAddress = page;
      info.AllocationBase = vad.startAddress();
      info.AllocationProtect = MmPte.toWin32(vad.protection);
      info.RegionSize = (vpn << 12) - page;
      info.State = isCommitted ? MemoryBasicInformation.MEM_COMMIT
          : MemoryBasicInformation.MEM_RESERVE;
      info.Protect = isCommitted ? MmPte.toWin32(protection) : 0;
      info.Type = MemoryBasicInformation.MEM_PRIVATE;
      return NtStatus.STATUS_SUCCESS;
    } finally {
      mm.unlock(old);
      a.detach(mm);
    }
  }

  // ================================================================== locking

  /**
   * Pages of the minimum working set a process may not lock; see
   * {@link VirtualLock#LOCK_OVERHEAD_PAGES}.
   */
  public static final int LOCK_OVERHEAD_PAGES = VirtualLock.LOCK_OVERHEAD_PAGES;

  /** NtLockVirtualMemory; see {@link VirtualLock#lock}. */
  public int lock(AddressSpace as, long[] baseAddress, long[] regionSize, int mapType) {
    return virtualLock.lock(as, baseAddress, regionSize, mapType);
  }

  /** The most pages {@code as} may have locked: its minimum working set less the overhead. */
  public static long lockLimitPages(AddressSpace as) {
    return VirtualLock.lockLimitPages(as);
  }

  /** NtUnlockVirtualMemory; see {@link VirtualLock#unlock}. */
  public int unlock(AddressSpace as, long[] baseAddress, long[] regionSize, int mapType) {
    return virtualLock.unlock(as, baseAddress, regionSize, mapType);
  }

  static long roundUp(long value, long unit) {
    return (value + unit - 1) & ~(unit - 1);
  }
}
