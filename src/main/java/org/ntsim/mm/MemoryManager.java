package org.ntsim.mm;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ex.Pool;
import org.ntsim.hal.CostModel;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.Mmu;
import org.ntsim.hal.PhysicalMemory;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.Kernel;
import org.ntsim.trace.TraceKind;

/**
 * The memory manager (Mm): address spaces and their page tables, working set entries, commit
 * accounting, hyperspace, and the entry points the executive and the system services call. The
 * PFN database ({@link PfnDatabase}) is edited only by {@link PfnLists}; page faults are resolved
 * by {@link PageFaults}, the virtual memory services live in {@link VirtualMemory}, TLB
 * shootdowns in {@link TbFlush}, the zero page thread in {@link ZeroPageThread}, guest and kernel
 * memory accesses in {@link MemoryAccess}.
 *
 * <p>Models (Windows Internals ch. 9; seed 004 slides 25-36): every frame starts on the zeroed
 * list; a process gets a page directory whose entry 0x300 maps the directory itself and whose
 * system half is copied from the System process's directory (system PDEs made later reach other
 * processes when they fault on them, as on x86 NT); the memory manager reads and writes PTEs
 * through the self-map at C0000000 with the current processor's MMU, so only the current address
 * space is edited that way (another process's PTEs are reached by attaching to it). When a valid
 * PTE changes, the processor's TLB entry is invalidated and the other processors running the
 * same address space (every processor for a system address) get a shootdown IPI. The zero page
 * thread (priority 0) zeroes free pages once at least {@link #ZEROING_THRESHOLD} are free,
 * through a hyperspace mapping (C0400000, a page table per process) as is a new process's page
 * directory filled in. The
 * working set manager ({@link WorkingSetManager}) ages and trims working sets once a second on
 * the balance set manager's thread. The commit limit is physical memory less a reserve for the
 * system (RAM / 32, at least 32 pages) until paging files come; LowMemoryCondition and
 * HighMemoryCondition follow the documented defaults (about 32 MB of available memory per
 * 4 GB, at most 64 MB, and three times that).
 *
 * <p>Locking: work on PTEs and page lists runs at DISPATCH_LEVEL with no simulation point inside
 * (the role of the PFN lock and the working set lock), so it is atomic with respect to the other
 * processors; time spent there is added to the clock and the pending interrupts are taken at the
 * next simulation point.
 *
 * <p>Invariants: see {@link MmVerifier}: list counts add up to the frames; every valid or
 * transition PTE's frame names that PTE and its page table; share counts match; commit charge
 * matches the committed pages, and never passes the commit limit.
 *
 * <p>Pool pages have frames behind them ({@link SystemPoolPages}, wired to ex.Pool at boot):
 * mapped by system PTEs in page tables of the master directory, the paged pool's in the system
 * working set, which the working set manager ages and trims with the processes'.
 *
 * <p>Left out: paging files, hard faults, the modified page writer (modified pages stay on the
 * modified list until the process frees them), sections and prototype PTEs, large pages,
 * hyperspace for the other edits NT makes
 * there (another process's page table is written physically when a standby page is repurposed,
 * and a page zeroed on the fault path is zeroed physically), freeing empty page
 * tables before the process ends, system cache and pageable code in the system working set.
 */
public final class MemoryManager {
  /** MmMinimumFreePagesToZero: the zero page thread starts when this many pages are free. */
  public static final int ZEROING_THRESHOLD = 8;

  final Machine machine;
  final Kernel kernel;
  private final Pool pool;
  final PhysicalMemory memory;
  final CostModel cost;
  final PfnDatabase pfn;
  final PfnLists lists; // the one writer of pfn
  final TbFlush tb;
  private final int systemDirectoryFrame;
  private final int systemHyperspaceFrame;
  private AddressSpace systemSpace;
  private final List<AddressSpace> spaces = new ArrayList<>(); // creation order
  private final java.util.TreeMap<Integer, AddressSpace> byDirectoryFrame =
      new java.util.TreeMap<>();
  private AddressSpace lastLookedUp;
  private final long commitLimit;
  private long commitTotal;
  private long peakCommitTotal;
  private final int lowMemoryPages;
  private final int highMemoryPages;
  /** \KernelObjects\LowMemoryCondition and HighMemoryCondition. */
  public final KEvent lowMemoryEvent;
  public final KEvent highMemoryEvent;
  final List<InPageBlock> inPageBlocks = new ArrayList<>();
  final ZeroPageThread zeroPageThread;
  final PageFaults faults;
  private final VirtualMemory virtualMemory;
  private final WriteWatch writeWatch = new WriteWatch(this);
  private final ProcessMemoryCopy memoryCopy = new ProcessMemoryCopy(this);
  private final MmPebTeb pebTeb = new MmPebTeb(this);
  private final WorkingSetManager workingSetManager;
  private final MemoryAccess userAccess;
  private final MemoryAccess kernelAccess;
  private final MemoryAccess driverAccess;
  private final SystemPoolPages systemPool;

  long pagesZeroedInline;
  long pagesRepurposed;
  private long pteWrites; // with the PFN database's changes, tells the sweep whether to run

  public MemoryManager(Kernel kernel, Pool pool) {
    this.kernel = kernel;
    this.pool = pool;
    this.machine = kernel.machine();
    this.memory = machine.memory;
    this.cost = machine.cost;
    this.pfn = new PfnDatabase(machine);
    int frames = pfn.frameCount();
    this.commitLimit = frames - Math.max(32, frames / 32);
    this.lowMemoryPages = Math.min(frames / 128, (64 << 20) >>> 12);
    this.highMemoryPages = 3 * lowMemoryPages;
    this.lowMemoryEvent = new KEvent(true, false, kernel.staticAddress(0x10));
    this.highMemoryEvent = new KEvent(true, true, kernel.staticAddress(0x10));
    KEvent zeroingEvent = new KEvent(false, false, kernel.staticAddress(0x10));
    this.lists = new PfnLists(this, pfn, zeroingEvent);
    this.tb = new TbFlush(this);
    this.zeroPageThread = new ZeroPageThread(this, zeroingEvent);
    this.systemDirectoryFrame = lists.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
    long pd = (long) systemDirectoryFrame << 12;
    memory.writeInt(pd + MmLayout.SELF_MAP_INDEX * 4L, X86Pte.make(systemDirectoryFrame,
        X86Pte.WRITE | X86Pte.ACCESSED | X86Pte.DIRTY));
    lists.initializePfn(systemDirectoryFrame, MmLayout.pdeAddress(MmLayout.PDE_BASE),
        systemDirectoryFrame, 0, false);
    this.systemHyperspaceFrame = lists.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
    lists.initializePfn(systemHyperspaceFrame, MmLayout.pdeAddress(MmLayout.HYPER_SPACE),
        systemDirectoryFrame, 0, false);
    memory.writeInt(pd + MmLayout.HYPER_SPACE_INDEX * 4L, hyperspacePde(systemHyperspaceFrame));
    this.systemPool = new SystemPoolPages(this);
    this.faults = new PageFaults(this);
    this.virtualMemory = new VirtualMemory(this);
    this.workingSetManager = new WorkingSetManager(this);
    this.userAccess = new MemoryAccess(this, MemoryAccess.USER);
    this.kernelAccess = new MemoryAccess(this, MemoryAccess.KERNEL);
    this.driverAccess = new MemoryAccess(this, MemoryAccess.DRIVER);
    kernel.addInvariantCheck(this::verifyIfChanged);
    kernel.setWorkingSetManager(workingSetManager::run);
  }

  // ================================================================== accessors

  public PfnDatabase pfnDatabase() {
    return pfn;
  }

  public PhysicalMemory physicalMemory() {
    return memory;
  }

  public Machine machine() {
    return machine;
  }

  public Kernel kernel() {
    return kernel;
  }

  public VirtualMemory virtualMemory() {
    return virtualMemory;
  }

  /** NtGetWriteWatch and NtResetWriteWatch. */
  public WriteWatch writeWatch() {
    return writeWatch;
  }

  /** MmCreatePeb, MmCreateTeb and MmDeleteTeb: the PEB and TEB pages in user space. */
  public MmPebTeb pebTeb() {
    return pebTeb;
  }

  /** MmCopyVirtualMemory, behind NtReadVirtualMemory and NtWriteVirtualMemory. */
  public ProcessMemoryCopy memoryCopy() {
    return memoryCopy;
  }

  public WorkingSetManager workingSetManager() {
    return workingSetManager;
  }

  /** Accesses made by user-mode code of the current thread. */
  public MemoryAccess userAccess() {
    return userAccess;
  }

  /** Accesses made by ntsim's own kernel code (a fault it cannot take is 0xA or 0x50). */
  public MemoryAccess kernelAccess() {
    return kernelAccess;
  }

  /** Accesses made by a driver's code (a fault at DISPATCH_LEVEL or above is 0xD1). */
  public MemoryAccess driverAccess() {
    return driverAccess;
  }

  public AddressSpace systemAddressSpace() {
    return systemSpace;
  }

  /** Address spaces not yet deleted, in creation order. */
  public List<AddressSpace> addressSpaces() {
    return spaces;
  }

  public int systemDirectoryFrame() {
    return systemDirectoryFrame;
  }

  public long commitLimit() {
    return commitLimit;
  }

  /** MmTotalCommittedPages. */
  public long commitTotal() {
    return commitTotal;
  }

  public long peakCommitTotal() {
    return peakCommitTotal;
  }

  public int lowMemoryThresholdPages() {
    return lowMemoryPages;
  }

  public int highMemoryThresholdPages() {
    return highMemoryPages;
  }

  public PageFaults faults() {
    return faults;
  }

  public long pagesZeroedByThread() {
    return zeroPageThread.pagesZeroed;
  }

  public long pagesZeroedInline() {
    return pagesZeroedInline;
  }

  public long pagesRepurposed() {
    return pagesRepurposed;
  }

  public long tlbShootdowns() {
    return tb.shootdowns;
  }

  /** Pool for a new VAD (MMVAD_SHORT, tag 'Vad '): its address, for the debugger. */
  long allocateVadAddress() {
    return pool.allocateNonPaged(0x28, "Vad ");
  }

  /** Frees the pool block of a VAD that has left its tree. */
  void freeVadAddress(Vad v) {
    if (v.address != 0) {
      pool.freePoolWithTag(v.address, org.ntsim.ex.PoolTag.of("Vad "));
      v.address = 0;
    }
  }

  // ================================================================== the PFN lock

  /** Enters a section that edits PTEs or page lists: DISPATCH_LEVEL, no simulation point. */
  int lock() {
    Cpu cpu = machine.activeCpu();
    int old = cpu.irql();
    if (old < Irql.DISPATCH_LEVEL) {
      cpu.setIrql(Irql.DISPATCH_LEVEL);
    }
    return old;
  }

  void unlock(int oldIrql) {
    machine.activeCpu().setIrql(oldIrql);
  }

  // ================================================================== PTEs through the self-map

  /** Reads the PTE (or PDE) at virtual address {@code pteVa} through the self-map. */
  int readPte(long pteVa) {
    Cpu cpu = machine.activeCpu();
    long pa = cpu.mmu.translate(pteVa, false, false);
    if (pa == Mmu.FAULT) {
      throw new IllegalStateException(String.format(
          "the memory manager read PTE %08x whose page table does not exist", pteVa));
    }
    cpu.advance(cost.memoryAccessNs);
    return memory.readInt(pa);
  }

  /** Writes the PTE (or PDE) at virtual address {@code pteVa} through the self-map. */
  void writePte(long pteVa, int value) {
    Cpu cpu = machine.activeCpu();
    long pa = cpu.mmu.translate(pteVa, true, false);
    if (pa == Mmu.FAULT) {
      throw new IllegalStateException(String.format(
          "the memory manager wrote PTE %08x whose page table does not exist", pteVa));
    }
    cpu.advance(cost.memoryAccessNs);
    memory.writeInt(pa, value);
    pteWrites++;
  }

  /** The PDE of {@code va} in the current address space (always mapped by the self-map). */
  int readPde(long va) {
    return readPte(MmLayout.pdeAddress(va));
  }

  /** The PTE of {@code va} in the current address space, or 0 when its page table is absent. */
  int readPteIfMapped(long va) {
    int pde = readPde(va);
    return MmPte.isValid(pde) ? readPte(MmLayout.pteAddress(va)) : 0;
  }

  /** The directory frame of the address space loaded on this processor (CR3). */
  int currentDirectoryFrame() {
    return (int) (machine.activeCpu().mmu.directoryBase() >>> 12);
  }

  /** The address space whose directory is loaded on this processor. */
  AddressSpace currentAddressSpace() {
    int frame = currentDirectoryFrame();
    AddressSpace last = lastLookedUp;
    if (last != null && last.directoryFrame == frame && !last.deleted) {
      return last;
    }
    AddressSpace as = byDirectoryFrame.get(frame);
    if (as == null) {
      as = systemSpace;
    }
    lastLookedUp = as;
    return as;
  }

  // ================================================================== working sets

  /** Adds the page at {@code va}, now valid on {@code frame}, to the working set. */
  void wsInsert(AddressSpace as, int frame, long va) {
    wsInsert(as.ws, frame, va);
  }

  void wsInsert(WorkingSet ws, int frame, long va) {
    lists.setWsIndex(frame, ws.insert((int) ((va & 0xFFFFFFFFL) >>> 12)));
  }

  void wsRemove(AddressSpace as, int frame) {
    wsRemove(as.ws, frame);
  }

  /**
   * Takes {@code frame}'s page out of the working set (before its PTE changes); the entry that
   * fills the hole gets its frame's index updated, found through its PTE (current address space).
   */
  void wsRemove(WorkingSet ws, int frame) {
    int index = pfn.wsIndex(frame);
    int moved = ws.removeAt(index);
    if (moved >= 0) {
      long movedVa = (long) moved << 12;
      if (!MmLayout.isUserAddress(movedVa)) {
        ensureSystemPde(movedVa);
      }
      int pte = readPte(MmLayout.pteAddress(movedVa));
      int movedFrame = MmPte.isValid(pte) ? X86Pte.frame(pte) : MmPte.transitionFrame(pte);
      lists.setWsIndex(movedFrame, index);
    }
    if (ws.hand > ws.count) {
      ws.hand = 0;
    }
  }

  // ================================================================== system space

  /** The address of {@code va}'s PDE in the boot directory, the master copy of system PDEs. */
  long masterPdeAddress(long va) {
    return ((long) systemDirectoryFrame << 12) + ((va & 0xFFFFFFFFL) >>> 22) * 4;
  }

  /**
   * Copies {@code va}'s system PDE from the master into the current directory if it lacks it
   * (what the system PDE fault does), so that its PTE can be reached through the self-map.
   * Under the lock.
   */
  void ensureSystemPde(long va) {
    long pdeVa = MmLayout.pdeAddress(va);
    if (!MmPte.isValid(readPte(pdeVa))) {
      int master = memory.readInt(masterPdeAddress(va));
      if (MmPte.isValid(master)) {
        writePte(pdeVa, master);
      }
    }
  }

  /** The frames behind pool pages, and the system working set; the pool's page backing. */
  public SystemPoolPages systemPoolPages() {
    return systemPool;
  }

  /** The system working set (MmSystemCacheWs): the paged pool pages now valid. */
  public WorkingSet systemWorkingSet() {
    return systemPool.ws;
  }

  /**
   * SetSystemFileCacheSize's part in Mm: new limits of the system working set in pages;
   * STATUS_INVALID_PARAMETER unless 0 < minimum <= maximum and the maximum leaves 512 pages.
   * A working set above its new maximum is trimmed at the working set manager's next pass.
   */
  public int setSystemWorkingSetSize(long minimumPages, long maximumPages) {
    if (minimumPages <= 0 || minimumPages > maximumPages
        || maximumPages > pfn.frameCount() - 512L) {
      return org.ntsim.ke.NtStatus.STATUS_INVALID_PARAMETER;
    }
    systemPool.ws.minimumPages = (int) minimumPages;
    systemPool.ws.maximumPages = (int) maximumPages;
    return org.ntsim.ke.NtStatus.STATUS_SUCCESS;
  }

  public Pool pool() {
    return pool;
  }

  // ================================================================== pages

  /** A page the kernel cannot do without: NO_PAGES_AVAILABLE (0x4D) when there is none. */
  private int takeZeroedPageOrBugCheck() {
    int frame = lists.removeZeroPage(PfnDatabase.ACTIVE);
    if (frame == PfnDatabase.NONE) {
      kernel.bugCheckEx(BugCheck.NO_PAGES_AVAILABLE, pfn.availablePages(), commitTotal, 0, 0,
          "no page left for a page directory or page table");
    }
    return frame;
  }

  // ================================================================== commit

  /** MiChargeCommitment: false (STATUS_COMMITMENT_LIMIT) past the commit limit. */
  boolean chargeCommitment(AddressSpace as, long pages) {
    if (commitTotal + pages > commitLimit) {
      return false;
    }
    commitTotal += pages;
    peakCommitTotal = Math.max(peakCommitTotal, commitTotal);
    as.charge(pages);
    return true;
  }

  void returnCommitment(AddressSpace as, long pages) {
    commitTotal -= pages;
    as.commitCharge -= pages;
  }

  // ================================================================== address spaces

  /**
   * MmInitializeProcessAddressSpace for the System and Idle processes: they share the boot page
   * directory, the master copy of the system PDEs.
   */
  public AddressSpace initializeSystemAddressSpace(KProcess system, KProcess idle) {
    systemSpace = new AddressSpace(system, systemDirectoryFrame, true);
    systemSpace.hyperspaceFrame = systemHyperspaceFrame;
    long pd = (long) systemDirectoryFrame << 12;
    system.setDirectoryTableBase(pd);
    if (idle != null) {
      idle.setDirectoryTableBase(pd);
    }
    spaces.add(systemSpace);
    byDirectoryFrame.put(systemDirectoryFrame, systemSpace);
    return systemSpace;
  }

  /**
   * MmCreateProcessAddressSpace: a page directory and a hyperspace page table from the zeroed
   * list. The directory is filled in through the current address space's hyperspace: entry
   * 0x300 maps the directory itself, entry 0x301 the new hyperspace page table, and the system
   * PDEs are those of the System process's directory (the master copy, read physically as NT
   * reads it through its system mapping).
   */
  public AddressSpace createProcessAddressSpace(KProcess p) {
    int old = lock();
    try {
      int frame = takeZeroedPageOrBugCheck();
      int hyperspace = takeZeroedPageOrBugCheck();
      lists.initializePfn(frame, MmLayout.pdeAddress(MmLayout.PDE_BASE), frame, 0, false);
      lists.initializePfn(hyperspace, MmLayout.pdeAddress(MmLayout.HYPER_SPACE), frame, 0,
          false);
      long pd = mapInHyperspace(MmLayout.HYPER_MAP_VA, frame);
      long master = (long) systemDirectoryFrame << 12;
      memory.writeInt(pd + MmLayout.SELF_MAP_INDEX * 4L,
          X86Pte.make(frame, X86Pte.WRITE | X86Pte.ACCESSED | X86Pte.DIRTY));
      memory.writeInt(pd + MmLayout.HYPER_SPACE_INDEX * 4L, hyperspacePde(hyperspace));
      for (int i = MmLayout.FIRST_SYSTEM_PDE; i < 1024; i++) {
        if (i != MmLayout.SELF_MAP_INDEX && i != MmLayout.HYPER_SPACE_INDEX) {
          int pde = memory.readInt(master + i * 4L);
          if (MmPte.isValid(pde)) {
            memory.writeInt(pd + i * 4L, pde);
          }
        }
      }
      unmapHyperspace(MmLayout.HYPER_MAP_VA);
      machine.activeCpu().advance(cost.addressSpaceNs);
      AddressSpace as = new AddressSpace(p, frame, false);
      as.hyperspaceFrame = hyperspace;
      p.setDirectoryTableBase(pd);
      spaces.add(as);
      byDirectoryFrame.put(frame, as);
      return as;
    } finally {
      unlock(old);
    }
  }

  /**
   * MmCleanProcessAddressSpace: the last thread has gone; every region is released, private
   * pages go to the free list, page tables too, commit is returned. Runs in the process's
   * context (its directory loaded here), switching to it for the duration if it is not.
   */
  public void cleanProcessAddressSpace(AddressSpace as) {
    if (as.cleaned || as.system) {
      return;
    }
    Mmu mmu = machine.activeCpu().mmu;
    long saved = mmu.directoryBase();
    mmu.loadDirectoryBase(as.directoryTableBase());
    int old = lock();
    try {
      for (Vad v : as.vads.inOrder()) {
        virtualMemory.pageDeletion.deletePages(as, v, v.startingVpn, v.endingVpn, true);
        returnCommitment(as, v.commitCharge);
        v.commitCharge = 0;
        as.vads.remove(v);
        freeVadAddress(v);
      }
      for (int i = 0; i < MmLayout.FIRST_SYSTEM_PDE; i++) {
        long pdeVa = MmLayout.PDE_BASE + i * 4L;
        int pde = readPte(pdeVa);
        if (MmPte.isValid(pde)) {
          writePte(pdeVa, 0);
          tb.flushTb(MmLayout.PTE_BASE + ((long) i << 12));
          lists.insertFreePage(X86Pte.frame(pde));
          as.pageTablePages--;
        }
      }
      as.cleaned = true;
    } finally {
      unlock(old);
      if (saved != 0 && saved != as.directoryTableBase()) {
        mmu.loadDirectoryBase(saved);
      }
    }
  }

  /** MmDeleteProcessAddressSpace: the process object is gone; its page directory is freed. */
  public void deleteProcessAddressSpace(AddressSpace as) {
    if (as.deleted || as.system) {
      return;
    }
    cleanProcessAddressSpace(as);
    int old = lock();
    try {
      for (int i = 0; i < machine.cpuCount(); i++) {
        Mmu mmu = machine.cpu(i).mmu;
        if (mmu.directoryBase() == as.directoryTableBase()) {
          mmu.loadDirectoryBase(systemSpace.directoryTableBase());
        }
      }
      lists.insertFreePage(as.hyperspaceFrame);
      lists.insertFreePage(as.directoryFrame);
      as.deleted = true;
      as.process.setDirectoryTableBase(0);
      spaces.remove(as);
      byDirectoryFrame.remove(as.directoryFrame);
      if (lastLookedUp == as) {
        lastLookedUp = null;
      }
    } finally {
      unlock(old);
    }
  }

  /**
   * The page table for user address {@code va} in the current address space, made from a
   * zeroed page if there is none (a page table faulted in on demand). Returns false when no page
   * is available. Called under the lock.
   */
  boolean makePageTable(AddressSpace as, long va) {
    long pdeVa = MmLayout.pdeAddress(va);
    if (MmPte.isValid(readPte(pdeVa))) {
      return true;
    }
    int frame = lists.removeZeroPage(PfnDatabase.ACTIVE);
    if (frame == PfnDatabase.NONE) {
      return false;
    }
    lists.initializePfn(frame, pdeVa, as.directoryFrame, 0, false);
    writePte(pdeVa, X86Pte.make(frame,
        X86Pte.WRITE | X86Pte.OWNER | X86Pte.ACCESSED | X86Pte.DIRTY));
    as.pageTablePages++;
    faults.pageTableFaults++;
    Cpu cpu = machine.activeCpu();
    machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PAGE_FAULT, va,
        PageFaults.KIND_PAGE_TABLE, as.process.uniqueProcess);
    return true;
  }

  // ================================================================== hyperspace

  private static int hyperspacePde(int table) {
    return X86Pte.make(table, X86Pte.WRITE | X86Pte.ACCESSED | X86Pte.DIRTY);
  }

  /**
   * MiMapPageInHyperSpace: maps {@code frame} at hyperspace slot {@code va} of the current
   * address space and returns the physical address the MMU translates the slot to. Called under
   * the lock, which makes mapping, use and {@link #unmapHyperspace} one step on this processor:
   * no other processor can have the slot in its TLB, so no shootdown is needed.
   */
  long mapInHyperspace(long va, int frame) {
    writePte(MmLayout.pteAddress(va), X86Pte.make(frame, X86Pte.WRITE | X86Pte.ACCESSED
        | X86Pte.DIRTY));
    long pa = machine.activeCpu().mmu.translate(va, true, false);
    if (pa == Mmu.FAULT) {
      throw new IllegalStateException(String.format("hyperspace slot %08x does not map", va));
    }
    return pa;
  }

  /** MiUnmapPageInHyperSpace: clears the slot and invalidates this processor's TLB entry. */
  void unmapHyperspace(long va) {
    writePte(MmLayout.pteAddress(va), 0);
    machine.activeCpu().mmu.invalidatePage(va);
  }

  // ================================================================== the zero page thread

  /** MmZeroPageThread: the body of the System process's zero page thread; never returns. */
  public void zeroPageThread() {
    zeroPageThread.run();
  }

  // ================================================================== checks

  private long verifiedAtChange = -1;

  /** The full invariant sweep (see {@link MmVerifier}); throws on the first broken invariant. */
  public void verify() {
    new MmVerifier(this).verify();
    verifiedAtChange = pfn.changes() + pteWrites;
  }

  /** A PTE or PDE was written physically (the master directory): the sweep must run again. */
  void notePteWritten() {
    pteWrites++;
  }

  /** The sweep run after every slice when invariants are on, skipped if no page or PTE changed. */
  private void verifyIfChanged() {
    if (pfn.changes() + pteWrites != verifiedAtChange) {
      verify();
    }
  }
}
