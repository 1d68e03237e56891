package org.ntsim.mm;

import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolPageBacking;
import org.ntsim.ex.PoolType;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.X86Pte;
import org.ntsim.trace.TraceKind;

/**
 * The frames behind the executive's pool pages, and the system working set that holds the paged
 * pool's (seed 004 slides 19-24 on the pools, 25 on the system half of the x86 layout, 36-37 on
 * working sets; Windows Internals ch. 9, "System Working Sets").
 *
 * <p>Models:
 * <ul>
 *   <li>A pool page taken by {@link Pool} gets a frame (MiRemoveAnyPage: zeroed, free, then
 *       standby) and a valid, writable, kernel-only system PTE, written through the self-map of
 *       the current address space. The page table comes from the boot page directory, the
 *       master copy of the system PDEs: a missing one is made from a zeroed page and entered in
 *       the master (physically, as NT writes it through its own system mapping), then copied to
 *       the current directory; other processes pick it up on their next fault there or here.
 *   <li>A page given back loses its frame to the free list; its PTE is cleared and the TLB entry
 *       shot down on every processor (a system address).
 *   <li>Paged pool pages are in the system working set (MmSystemCacheWs): the working set
 *       manager ages and trims it like a process's. A trimmed page's PTE becomes a transition
 *       PTE and its frame goes to the modified list (pool data has no copy elsewhere, and with
 *       no paging file it stays there) through the working set manager's one trim
 *       ({@link WorkingSetManager#trimPage}); a kernel access through the MMU takes it back with a
 *       soft fault ({@link #softFault}). Non-paged pool pages are in no working set and are
 *       never trimmed.
 * </ul>
 *
 * <p>Invariants (checked by {@link MmVerifier}): each pool page in use has a PTE that names its
 * frame (valid, or transition for a trimmed paged pool page), each free pool page has none; the
 * frame names that PTE and its page table; the system working set lists exactly the valid paged
 * pool pages. System pool PTEs are global (as every system page shared by all processes is on
 * NT with PGE): a CR3 load keeps their TLB entries, and their removal is flushed with INVLPG or,
 * past a batch's list, with a flush of every entry ({@link TbFlush}).
 *
 * <p>Left out: pool pages kept backed while free, the paged pool's own page-table bitmap, system
 * cache and pageable code pages in the system working set, the system working set making room
 * for a soft fault at its maximum (it grows, then the next pass trims it).
 */
public final class SystemPoolPages implements PoolPageBacking {
  /**
   * The system working set's limits. NT sizes MmSystemCacheWs by memory (a few hundred pages on
   * a small x86 machine); ntsim takes 288 and 350 pages, NT's starting values for a small system,
   * until SetSystemFileCacheSize ({@link MemoryManager#setSystemWorkingSetSize}) changes them.
   */
  public static final int DEFAULT_MINIMUM = 288;
  public static final int DEFAULT_MAXIMUM = 350;

  private final MemoryManager mm;
  final WorkingSet ws = new WorkingSet();
  int nonPagedPages; // frames behind non-paged pool pages
  int pagedPages; // frames behind paged pool pages, valid or trimmed
  int pageTables; // system page tables made for the pools; never freed
  int dataPages; // frames behind system data outside the pools (residentDataPage)
  long softFaults;

  SystemPoolPages(MemoryManager mm) {
    this.mm = mm;
    ws.minimumPages = DEFAULT_MINIMUM;
    ws.maximumPages = DEFAULT_MAXIMUM;
  }

  public WorkingSet workingSet() {
    return ws;
  }

  public int nonPagedPages() {
    return nonPagedPages;
  }

  public int pagedPages() {
    return pagedPages;
  }

  /** Frames the pools hold: their pages' and the page tables made for them. */
  public int framesInUse() {
    return nonPagedPages + pagedPages + pageTables;
  }

  /** Soft faults that took a trimmed paged pool page back into the system working set. */
  public long softFaults() {
    return softFaults;
  }

  static boolean isPagedPool(long va) {
    return va >= Pool.PAGED_POOL_START && va < Pool.PAGED_POOL_END;
  }

  static boolean isNonPagedPool(long va) {
    return va >= Pool.NONPAGED_POOL_START && va < Pool.NONPAGED_POOL_END;
  }

  // ------------------------------------------------------------------ PoolPageBacking

  /** MiAllocatePoolPages' frame for one page: see the class comment. */
  @Override
  public boolean backPage(long pageAddress, PoolType type) {
    int old = mm.lock();
    try {
      if (!systemPageTable(pageAddress)) {
        return false;
      }
      int frame = mm.lists.removeAnyPage(PfnDatabase.ACTIVE);
      if (frame == PfnDatabase.NONE) {
        return false;
      }
      long pteVa = MmLayout.pteAddress(pageAddress);
      int table = X86Pte.frame(mm.readPde(pageAddress));
      mm.lists.initializePfn(frame, pteVa, table, MmPte.demandZero(MmPte.MM_READWRITE), true);
      mm.lists.incrementShareCount(table);
      mm.writePte(pteVa, validPte(frame));
      if (type == PoolType.PagedPool) {
        mm.wsInsert(ws, frame, pageAddress);
        pagedPages++;
      } else {
        nonPagedPages++;
      }
      return true;
    } finally {
      mm.unlock(old);
    }
  }

  /** MiFreePoolPages' part for one page: the frame is freed, the PTE cleared and shot down. */
  @Override
  public void releasePage(long pageAddress, PoolType type) {
    int old = mm.lock();
    try {
      mm.ensureSystemPde(pageAddress);
      int pde = mm.readPde(pageAddress);
      if (!MmPte.isValid(pde)) {
        return;
      }
      long pteVa = MmLayout.pteAddress(pageAddress);
      int pte = mm.readPte(pteVa);
      int frame;
      if (MmPte.isValid(pte)) {
        frame = X86Pte.frame(pte);
        if (type == PoolType.PagedPool) {
          mm.wsRemove(ws, frame);
        }
        mm.writePte(pteVa, 0);
        mm.tb.flushTb(pageAddress);
      } else if (MmPte.isTransition(pte)) {
        frame = MmPte.transitionFrame(pte);
        mm.lists.unlinkPage(frame, PfnDatabase.ACTIVE);
        mm.writePte(pteVa, 0);
      } else {
        return;
      }
      mm.lists.decrementShareCountOnly(X86Pte.frame(pde));
      mm.lists.insertFreePage(frame); // the pool's alone: no other PTE maps it
      if (type == PoolType.PagedPool) {
        pagedPages--;
      } else {
        nonPagedPages--;
      }
    } finally {
      mm.unlock(old);
    }
  }

  // ------------------------------------------------------------------ system data pages

  /**
   * A resident, global, kernel read/write page at {@code va} for system data that lives outside
   * the pools (the kernel image's data section, the KPCRs, the PFN database): the debugger's
   * image of kernel structures asks for these pages the first time it writes there. The frame
   * comes from the zeroed list, else the free list (zeroed here); false when neither has one. The
   * page table, if missing, is made the same way and entered in the master directory; processes
   * pick up the PDE on their next access, as they do for pool page tables. Everything is written
   * physically: no processor's clock moves and no TLB holds an entry for a page that was not
   * valid. Such pages are never trimmed or freed.
   */
  public boolean residentDataPage(long va) {
    long masterPde = mm.masterPdeAddress(va);
    if (!MmPte.isValid(mm.memory.readInt(masterPde))) {
      int table = takeZeroedFrame();
      if (table == PfnDatabase.NONE) {
        return false;
      }
      mm.lists.initializePfn(table, MmLayout.pdeAddress(va), mm.systemDirectoryFrame(), 0, false);
      mm.memory.writeInt(masterPde, X86Pte.make(table, X86Pte.WRITE | X86Pte.ACCESSED
          | X86Pte.DIRTY));
      pageTables++;
    }
    int table = X86Pte.frame(mm.memory.readInt(masterPde));
    long ptePa = ((long) table << 12) + ((va >>> 12) & 0x3FF) * 4;
    if (MmPte.isValid(mm.memory.readInt(ptePa))) {
      return true;
    }
    int frame = takeZeroedFrame();
    if (frame == PfnDatabase.NONE) {
      return false;
    }
    mm.lists.initializePfn(frame, MmLayout.pteAddress(va), table,
        MmPte.demandZero(MmPte.MM_READWRITE), true);
    mm.lists.incrementShareCount(table);
    mm.memory.writeInt(ptePa, validPte(frame));
    mm.notePteWritten();
    dataPages++;
    return true;
  }

  /** Frames behind system data pages outside the pools. */
  public int dataPages() {
    return dataPages;
  }

  private int takeZeroedFrame() {
    int frame = mm.lists.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
    if (frame == PfnDatabase.NONE) {
      frame = mm.lists.removeHead(PfnDatabase.FREE, PfnDatabase.ACTIVE);
      if (frame != PfnDatabase.NONE) {
        mm.memory.zeroFrame(frame);
      }
    }
    return frame;
  }

  // ------------------------------------------------------------------ trimming and faults

  /**
   * MiResolveTransitionFault for a trimmed paged pool page: the frame leaves its list, the PTE
   * is valid again and the page rejoins the system working set. False when {@code va} does not
   * hold such a page. Under the lock, the PDE present in the current directory.
   */
  boolean softFault(long va, int pte) {
    if (!isPagedPool(va) || !MmPte.isTransition(pte)) {
      return false;
    }
    int frame = MmPte.transitionFrame(pte);
    int state = mm.pfn.state(frame);
    if (state != PfnDatabase.MODIFIED && state != PfnDatabase.STANDBY) {
      return false;
    }
    mm.lists.resolveTransition(frame);
    mm.wsInsert(ws, frame, va);
    mm.writePte(MmLayout.pteAddress(va), validPte(frame));
    softFaults++;
    Cpu cpu = mm.machine.activeCpu();
    mm.machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PAGE_FAULT, va,
        PageFaults.KIND_TRANSITION, mm.systemAddressSpace().process.uniqueProcess);
    return true;
  }

  // ------------------------------------------------------------------ internals

  /** A kernel read/write PTE, global: every address space maps the page the same way. */
  private static int validPte(int frame) {
    return X86Pte.make(frame, MmPte.hardwareBits(MmPte.MM_READWRITE, false) | X86Pte.ACCESSED
        | X86Pte.DIRTY | X86Pte.GLOBAL);
  }

  /**
   * The page table for system address {@code va} in the master directory and in the current
   * one, made from a zeroed page if there is none; false when no page is available. Under the
   * lock.
   */
  private boolean systemPageTable(long va) {
    long masterPde = mm.masterPdeAddress(va);
    if (!MmPte.isValid(mm.memory.readInt(masterPde))) {
      int frame = mm.lists.removeZeroPage(PfnDatabase.ACTIVE);
      if (frame == PfnDatabase.NONE) {
        return false;
      }
      mm.lists.initializePfn(frame, MmLayout.pdeAddress(va), mm.systemDirectoryFrame(), 0, false);
      mm.memory.writeInt(masterPde, X86Pte.make(frame, X86Pte.WRITE | X86Pte.ACCESSED
          | X86Pte.DIRTY));
      mm.notePteWritten();
      pageTables++;
    }
    mm.ensureSystemPde(va);
    return true;
  }
}
