package org.ntsim.mm;

import org.ntsim.hal.PhysicalMemory;
import org.ntsim.hal.X86Pte;

/**
 * The memory manager's full invariant sweep, for tests (DESIGN.md section 6). It reads page
 * tables physically, so it changes nothing: no TLB fills, no time.
 *
 * <p>Checks: the page lists (links, states, counts adding up to the frames); the system page
 * tables of the boot directory and what they map (pool pages each in use by the pool,
 * valid or trimmed to the modified list, the system working set listing exactly the valid paged
 * pool pages, as many frames as the pools use pages); each process's system PDEs are the
 * master's; for every address
 * space, every user page table is active and names its PDE and the directory, and its share
 * count is one plus the PTEs that reference a frame; every valid PTE's frame is active and names
 * that PTE and page table; every transition PTE's frame names it and is on the standby or
 * modified list, resident behind a no-access PTE, or in an in-page operation; every such PTE
 * lies in a VAD; the working set count matches the valid pages; the VAD tree is balanced and
 * ordered; each VAD's commit charge is its committed pages, the process's is their sum, and the
 * system's is the sum over processes, within the commit limit; every frame in use is accounted
 * for by a directory, a page table, a PTE, the zero page thread or an orphaned in-page operation.
 */
final class MmVerifier {
  private final MemoryManager mm;
  private final PfnDatabase pfn;
  private final PhysicalMemory memory;
  private long framesReferenced;
  private long listedReferenced;

  MmVerifier(MemoryManager mm) {
    this.mm = mm;
    this.pfn = mm.pfn;
    this.memory = mm.memory;
  }

  void verify() {
    pfn.verifyLists();
    verifySystemSpace();
    long commit = 0;
    for (AddressSpace as : mm.addressSpaces()) {
      commit += verifySpace(as);
    }
    check(commit == mm.commitTotal(), "processes are charged %d pages but the total is %d",
        commit, mm.commitTotal());
    check(mm.commitTotal() <= mm.commitLimit(), "commit %d is past the limit %d",
        mm.commitTotal(), mm.commitLimit());
    if (mm.zeroPageThread.frameBeingZeroed != PfnDatabase.NONE) {
      framesReferenced++;
    }
    for (InPageBlock b : mm.inPageBlocks) {
      if (pfn.pteDeleted(b.pfn)) { // its page was freed while the work was in flight
        framesReferenced++;
      }
    }
    long inUse = 0;
    for (int frame = 0; frame < pfn.frameCount(); frame++) {
      int s = pfn.state(frame);
      if (s == PfnDatabase.ACTIVE || s == PfnDatabase.TRANSITION) {
        inUse++;
      }
    }
    check(inUse == framesReferenced, "%d frames are in use but %d are accounted for", inUse,
        framesReferenced);
    long listed = pfn.count(PfnDatabase.STANDBY) + pfn.count(PfnDatabase.MODIFIED)
        + pfn.count(PfnDatabase.MODIFIED_NO_WRITE);
    check(listed == listedReferenced, "%d frames are on the standby and modified lists but %d"
        + " transition PTEs name such frames", listed, listedReferenced);
  }

  /**
   * The system page tables of the boot directory and the pages they map: pool pages (valid, or
   * a trimmed paged pool page in transition), each in use by the pool, each frame naming its
   * PTE; the system working set against the valid paged pool PTEs.
   */
  private void verifySystemSpace() {
    long master = (long) mm.systemDirectoryFrame() << 12;
    SystemPoolPages sp = mm.systemPoolPages();
    int nonPaged = 0;
    int pagedValid = 0;
    int pagedTrimmed = 0;
    for (int i = MmLayout.FIRST_SYSTEM_PDE; i < 1024; i++) {
      int pde = memory.readInt(master + i * 4L);
      if (i == MmLayout.SELF_MAP_INDEX || i == MmLayout.HYPER_SPACE_INDEX
          || !MmPte.isValid(pde)) {
        continue;
      }
      framesReferenced++;
      int table = X86Pte.frame(pde);
      long pdeVa = MmLayout.PDE_BASE + i * 4L;
      check(pfn.state(table) == PfnDatabase.ACTIVE && pfn.pteAddress(table) == pdeVa,
          "system page table %x is not an active table naming PDE %08x", table, pdeVa);
      int references = 0;
      for (int j = 0; j < 1024; j++) {
        int pte = memory.readInt(((long) table << 12) + j * 4L);
        long va = ((long) i << 22) | ((long) j << 12);
        if (MmPte.isValid(pte)) {
          references++;
          framesReferenced++;
          int frame = X86Pte.frame(pte);
          check(pfn.state(frame) == PfnDatabase.ACTIVE, "valid system PTE of %08x maps %s"
              + " frame %x", va, PfnDatabase.stateName(pfn.state(frame)), frame);
          checkNames(frame, MmLayout.pteAddress(va), table, va);
          checkPoolPage(va);
          if (SystemPoolPages.isPagedPool(va)) {
            pagedValid++;
            int index = pfn.flink(frame);
            check(index >= 0 && index < sp.ws.count && sp.ws.vpn[index] == (int) (va >>> 12),
                "paged pool page %08x (frame %x) is not at system working set index %d", va,
                frame, index);
          } else if (SystemPoolPages.isNonPagedPool(va)) {
            nonPaged++;
          }
        } else if (MmPte.isTransition(pte)) {
          references++;
          int frame = MmPte.transitionFrame(pte);
          int s = pfn.state(frame);
          checkNames(frame, MmLayout.pteAddress(va), table, va);
          check(SystemPoolPages.isPagedPool(va) && (s == PfnDatabase.STANDBY
              || s == PfnDatabase.MODIFIED), "transition system PTE of %08x names %s frame %x",
              va, PfnDatabase.stateName(s), frame);
          checkPoolPage(va);
          listedReferenced++;
          pagedTrimmed++;
        } else {
          check(pte == 0, "system PTE of %08x holds %08x", va, pte);
        }
      }
      check(pfn.shareCount(table) == 1 + references, "system page table %x has share count %d"
          + " but %d PTEs reference frames", table, pfn.shareCount(table), references);
    }
    check(pagedValid == sp.ws.count, "%d valid paged pool pages but the system working set"
        + " lists %d", pagedValid, sp.ws.count);
    check(nonPaged == sp.nonPagedPages && pagedValid + pagedTrimmed == sp.pagedPages,
        "system PTEs map %d non-paged and %d paged pool pages; the counts say %d and %d",
        nonPaged, pagedValid + pagedTrimmed, sp.nonPagedPages, sp.pagedPages);
    org.ntsim.ex.Pool pool = mm.pool();
    if (pool != null && pool.pageBacking() == sp) {
      check(nonPaged == pool.pagesInUse(org.ntsim.ex.PoolType.NonPagedPool)
          && pagedValid + pagedTrimmed == pool.pagesInUse(org.ntsim.ex.PoolType.PagedPool),
          "the pools use %d non-paged and %d paged pages; %d and %d have frames",
          pool.pagesInUse(org.ntsim.ex.PoolType.NonPagedPool),
          pool.pagesInUse(org.ntsim.ex.PoolType.PagedPool), nonPaged,
          pagedValid + pagedTrimmed);
    }
  }

  /** A pool page with a frame behind it is in use by the pool. */
  private void checkPoolPage(long va) {
    org.ntsim.ex.Pool pool = mm.pool();
    boolean inPool = SystemPoolPages.isPagedPool(va) || SystemPoolPages.isNonPagedPool(va);
    check(!inPool || pool == null || pool.pageBacking() != mm.systemPoolPages() || pool.pageInUse(va),
        "pool page %08x has a frame but the pool does not use it", va);
  }

  /** The system PDEs a process's directory holds are the master's. */
  private void verifySystemPdes(AddressSpace as) {
    long master = (long) mm.systemDirectoryFrame() << 12;
    for (int i = MmLayout.FIRST_SYSTEM_PDE; i < 1024; i++) {
      if (i == MmLayout.SELF_MAP_INDEX || i == MmLayout.HYPER_SPACE_INDEX) {
        continue;
      }
      int pde = memory.readInt(as.directoryTableBase() + i * 4L);
      check(!MmPte.isValid(pde) || pde == memory.readInt(master + i * 4L),
          "directory %x holds system PDE %d = %08x, not the master's", as.directoryFrame, i,
          pde);
    }
  }

  /** The hyperspace page table: the address space's own, and nothing left mapped in it. */
  private void verifyHyperspace(AddressSpace as) {
    framesReferenced++;
    int pde = memory.readInt(as.directoryTableBase() + MmLayout.HYPER_SPACE_INDEX * 4L);
    check(MmPte.isValid(pde) && X86Pte.frame(pde) == as.hyperspaceFrame,
        "directory %x does not map its hyperspace page table %x", as.directoryFrame,
        as.hyperspaceFrame);
    check(pfn.state(as.hyperspaceFrame) == PfnDatabase.ACTIVE
        && pfn.pteAddress(as.hyperspaceFrame) == MmLayout.pdeAddress(MmLayout.HYPER_SPACE),
        "hyperspace page table %x is not an active table under PDE 0x301", as.hyperspaceFrame);
    for (int j = 0; j < 1024; j++) {
      int pte = memory.readInt(((long) as.hyperspaceFrame << 12) + j * 4L);
      check(pte == 0, "hyperspace PTE %d of directory %x still maps %08x", j, as.directoryFrame,
          pte);
    }
  }

  private long verifySpace(AddressSpace as) {
    as.vads.verify();
    long pd = as.directoryTableBase();
    framesReferenced++; // the directory
    check(pfn.state(as.directoryFrame) == PfnDatabase.ACTIVE, "directory %x is not active",
        as.directoryFrame);
    verifyHyperspace(as);
    verifySystemPdes(as);
    long valid = 0;
    long tables = 0;
    for (int i = 0; i < MmLayout.FIRST_SYSTEM_PDE; i++) {
      int pde = memory.readInt(pd + i * 4L);
      if (!MmPte.isValid(pde)) {
        continue;
      }
      tables++;
      framesReferenced++;
      int table = X86Pte.frame(pde);
      long pdeVa = MmLayout.PDE_BASE + i * 4L;
      check(pfn.state(table) == PfnDatabase.ACTIVE, "page table %x is %s", table,
          PfnDatabase.stateName(pfn.state(table)));
      check(pfn.pteAddress(table) == pdeVa && pfn.pteFrame(table) == as.directoryFrame,
          "page table %x does not name PDE %08x of directory %x", table, pdeVa,
          as.directoryFrame);
      int references = 0;
      for (int j = 0; j < 1024; j++) {
        int pte = memory.readInt(((long) table << 12) + j * 4L);
        long va = ((long) i << 22) | ((long) j << 12);
        long pteVa = MmLayout.pteAddress(va);
        if (MmPte.isValid(pte)) {
          references++;
          valid++;
          framesReferenced++;
          int frame = X86Pte.frame(pte);
          check(pfn.state(frame) == PfnDatabase.ACTIVE, "valid PTE of %08x maps %s frame %x",
              va, PfnDatabase.stateName(pfn.state(frame)), frame);
          checkNames(frame, pteVa, table, va);
          check(pfn.shareCount(frame) == 1, "frame %x of %08x has share count %d", frame, va,
              pfn.shareCount(frame));
          checkInVad(as, va);
        } else if (MmPte.isTransition(pte)) {
          references++;
          int frame = MmPte.transitionFrame(pte);
          int s = pfn.state(frame);
          boolean inPage = (pfn.flags(frame) & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0;
          checkNames(frame, pteVa, table, va);
          checkInVad(as, va);
          if (s == PfnDatabase.ACTIVE) {
            valid++;
            framesReferenced++;
          } else if (s == PfnDatabase.TRANSITION) {
            framesReferenced++;
          } else {
            check(!inPage && (s == PfnDatabase.STANDBY || s == PfnDatabase.MODIFIED
                || s == PfnDatabase.MODIFIED_NO_WRITE), "transition PTE of %08x names %s"
                + " frame %x", va, PfnDatabase.stateName(s), frame);
            listedReferenced++;
          }
        }
      }
      check(pfn.shareCount(table) == 1 + references, "page table %x has share count %d but %d"
          + " PTEs reference frames", table, pfn.shareCount(table), references);
    }
    check(tables == as.pageTablePages, "%d page tables but the process counts %d", tables,
        as.pageTablePages);
    check(valid == as.ws.count, "%d valid private pages but the working set lists %d", valid,
        as.ws.count);
    for (int i = 0; i < as.ws.count; i++) {
      long va = (long) as.ws.vpn[i] << 12;
      int pde = memory.readInt(pd + (va >>> 22) * 4);
      check(MmPte.isValid(pde), "working set entry %d (%08x) has no page table", i, va);
      int pte = memory.readInt(((long) X86Pte.frame(pde) << 12) + ((va >>> 12) & 0x3FF) * 4);
      int frame = MmPte.isValid(pte) ? X86Pte.frame(pte)
          : MmPte.isTransition(pte) ? MmPte.transitionFrame(pte) : -1;
      check(frame >= 0 && pfn.state(frame) == PfnDatabase.ACTIVE, "working set entry %d (%08x)"
          + " is not resident", i, va);
      check(pfn.flink(frame) == i, "frame %x of working set entry %d (%08x) says index %d",
          frame, i, va, pfn.flink(frame));
    }
    long commit = 0;
    for (Vad v : as.vads.inOrder()) {
      long committed = committedPages(pd, v);
      check(committed == v.commitCharge, "VAD %x-%x has %d committed pages but charges %d",
          v.startingVpn, v.endingVpn, committed, v.commitCharge);
      commit += v.commitCharge;
    }
    check(commit == as.commitCharge, "VADs charge %d pages but the process %d", commit,
        as.commitCharge);
    return commit;
  }

  private void checkNames(int frame, long pteVa, int table, long va) {
    boolean orphanedInPage = pfn.pteAddress(frame) == 0
        && (pfn.flags(frame) & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0;
    check(orphanedInPage || (pfn.pteAddress(frame) == pteVa && pfn.pteFrame(frame) == table),
        "frame %x mapping %08x names PTE %08x in table %x, not %08x in %x", frame, va,
        pfn.pteAddress(frame), pfn.pteFrame(frame), pteVa, table);
  }

  private static void checkInVad(AddressSpace as, long va) {
    check(as.vads.find(va >>> 12) != null, "page %08x is mapped outside every VAD", va);
  }

  private long committedPages(long pd, Vad v) {
    long count = 0;
    for (long vpn = v.startingVpn; vpn <= v.endingVpn; vpn++) {
      int pde = memory.readInt(pd + (vpn >>> 10) * 4L);
      if (!MmPte.isValid(pde)) {
        long chunkEnd = Math.min(v.endingVpn, vpn | 0x3FF);
        if (v.memCommit) {
          count += chunkEnd - vpn + 1;
        }
        vpn = chunkEnd;
        continue;
      }
      int pte = memory.readInt(((long) X86Pte.frame(pde) << 12) + (vpn & 0x3FF) * 4L);
      boolean committed = pte == 0 ? v.memCommit : MmPte.isValid(pte) || MmPte.isTransition(pte)
          || MmPte.protection(pte) != MmPte.MM_DECOMMIT;
      if (committed) {
        count++;
      }
    }
    return count;
  }

  private static void check(boolean ok, String format, Object... args) {
    PfnDatabase.check(ok, format, args);
  }
}
