package org.ntsim.mm;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ke.WaitReason;
import org.ntsim.trace.TraceKind;

/**
 * MmAccessFault: what the memory manager does with a page fault (Windows Internals ch. 9,
 * "Page Fault Handling"; seed 002 for the shape of the handler).
 *
 * <p>Models: demand-zero faults (a page from the zeroed list, else a free or standby page that
 * must be zeroed first); transition faults (a soft fault that takes the page back from the
 * standby or modified list); guard pages (STATUS_GUARD_PAGE_VIOLATION once, then the page is
 * ordinary); access violations; page tables made on demand; system PDEs copied into a process
 * that lacks them; faults already resolved by another processor (a stale TLB entry). A fault at
 * DISPATCH_LEVEL or above that is not already resolved stops the machine with
 * IRQL_NOT_LESS_OR_EQUAL (0xA), or DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1) when a driver made the
 * access; a kernel access to an invalid system address with PAGE_FAULT_IN_NONPAGED_AREA (0x50),
 * a kernel write to a read-only system page with ATTEMPTED_WRITE_TO_READONLY_MEMORY (0xBE). A
 * kernel access to a paged pool page trimmed from the system working set is a soft fault that
 * brings it back ({@link SystemPoolPages#softFault}).
 *
 * <p>Shape (seed 002): {@link #resolve} runs under the lock, dispatches in one switch on what the
 * PTE says (valid, demand zero, transition, a read in progress on the frame, guard, prototype,
 * paging file, no access) and either acts at once or returns, as a {@link FaultOutcome} value,
 * what must happen outside the lock: an in-page request (the frame whose contents must be
 * produced: zeroed today, read from disk once the I/O manager exists), a collided fault (another
 * thread's in-page work is under way on the frame: wait for its {@link InPageBlock}), or
 * STATUS_NO_MEMORY (wait for pages). The caller does that work with no lock held and runs the
 * handler again, until it succeeds or fails. Prototype and paging-file PTEs have a case of their
 * own; nothing makes them yet (no sections, no paging files), so meeting one is an internal error.
 *
 * <p>Invariants: the handler never holds the lock across a simulation point; a frame in an
 * in-page operation is in transition with read-in-progress set, holds that operation's
 * reference (so no list takes it), and its PTE names it unless the page was freed meanwhile.
 * The common paths (a demand-zero fault on a zeroed page, a soft fault) allocate nothing.
 */
public final class PageFaults {
  public static final int KIND_DEMAND_ZERO = 0;
  public static final int KIND_TRANSITION = 1;
  public static final int KIND_GUARD = 2;
  public static final int KIND_ACCESS_VIOLATION = 3;
  public static final int KIND_COLLIDED = 4;
  public static final int KIND_PAGE_TABLE = 5;
  public static final int KIND_SYSTEM_PDE = 6;
  public static final int KIND_ALREADY_RESOLVED = 7;

  /** Waits for free pages before the fault gives up with NO_PAGES_AVAILABLE. */
  private static final int NO_MEMORY_RETRIES = 1000;
  private static final long NO_MEMORY_WAIT_NS = 1_000_000;

  private final MemoryManager mm;
  private final Kernel kernel;

  long demandZeroFaults;
  long transitionFaults;
  long guardPageFaults;
  long accessViolations;
  long collidedFaults;
  long pageTableFaults;
  long systemPdeFaults;
  long alreadyResolved;

  PageFaults(MemoryManager mm) {
    this.mm = mm;
    this.kernel = mm.kernel;
  }

  public long demandZeroFaults() {
    return demandZeroFaults;
  }

  public long transitionFaults() {
    return transitionFaults;
  }

  public long guardPageFaults() {
    return guardPageFaults;
  }

  public long accessViolations() {
    return accessViolations;
  }

  public long collidedFaults() {
    return collidedFaults;
  }

  public long pageTableFaults() {
    return pageTableFaults;
  }

  public long systemPdeFaults() {
    return systemPdeFaults;
  }

  public long total() {
    return demandZeroFaults + transitionFaults + guardPageFaults + accessViolations
        + collidedFaults + systemPdeFaults + alreadyResolved;
  }

  /**
   * MmAccessFault: resolves a fault on {@code va} taken by {@code caller} (a
   * {@link MemoryAccess} kind). Returns STATUS_SUCCESS when the access can be retried,
   * STATUS_ACCESS_VIOLATION or STATUS_GUARD_PAGE_VIOLATION for the caller to raise; stops the
   * machine when the kernel broke a rule.
   */
  public int accessFault(long va, boolean write, int caller) {
    Cpu cpu = mm.machine.activeCpu();
    int irql = cpu.irql();
    if (irql >= Irql.DISPATCH_LEVEL) {
      if (alreadyValid(va, write, caller == MemoryAccess.USER)) {
        return NtStatus.STATUS_SUCCESS;
      }
      int code = caller == MemoryAccess.DRIVER ? BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL
          : BugCheck.IRQL_NOT_LESS_OR_EQUAL;
      kernel.bugCheckEx(code, va, irql, write ? 1 : 0, 0, String.format(
          "a page fault on %08x at %s", va, Irql.name(irql)));
    }
    boolean switchMode = caller == MemoryAccess.USER && kernel.inThreadContext();
    if (switchMode) {
      kernel.setKernelMode(true);
    }
    try {
      kernel.spend(mm.cost.pageFaultNs);
      if (!MmLayout.isUserAddress(va) && !userPageTableAddress(va)) {
        return systemFault(va, write, caller);
      }
      return userFault(va, write, caller);
    } finally {
      if (switchMode) {
        kernel.setKernelMode(false);
      }
    }
  }

  /** A PTE-range address that maps a user page table (the fault makes the page table). */
  private static boolean userPageTableAddress(long va) {
    return MmLayout.isPteAddress(va) && MmLayout.virtualAddressOfPte(va) < MmLayout.MM_SYSTEM_RANGE_START;
  }

  private boolean alreadyValid(long va, boolean write, boolean user) {
    int pde = mm.readPde(va);
    if (!MmPte.isValid(pde)) {
      return false;
    }
    int pte = mm.readPte(MmLayout.pteAddress(va));
    int rights = pde & pte;
    return MmPte.isValid(pte) && (!write || (rights & X86Pte.WRITE) != 0)
        && (!user || (rights & X86Pte.OWNER) != 0);
  }

  // ------------------------------------------------------------------ user space

  private int userFault(long va, boolean write, int caller) {
    boolean user = caller == MemoryAccess.USER;
    long pageVa = userPageTableAddress(va) ? MmLayout.virtualAddressOfPte(va) : va;
    AddressSpace as = mm.currentAddressSpace();
    if (userPageTableAddress(va) && user) {
      return accessViolation(va, as);
    }
    as.pageFaults++;
    int retries = 0;
    // Each pass resolves the fault, produces its page, waits for a collided in-page read, or
    // waits a millisecond for free pages (at most NO_MEMORY_RETRIES times).
    while (true) {
      int old = mm.lock();
      long outcome;
      try {
        outcome = userPageTableAddress(va) ? FaultOutcome.of(resolvePageTable(as, pageVa))
            : resolve(as, va, write, user);
      } finally {
        mm.unlock(old);
      }
      int status = FaultOutcome.status(outcome);
      if (status == NtStatus.STATUS_MORE_PROCESSING_REQUIRED) {
        produce(FaultOutcome.frame(outcome));
      } else if (status == FaultOutcome.FAULT_WAIT) {
        waitForCollided(va, as, FaultOutcome.frame(outcome));
      } else if (status == NtStatus.STATUS_NO_MEMORY) {
        if (++retries > NO_MEMORY_RETRIES) {
          kernel.bugCheckEx(BugCheck.NO_PAGES_AVAILABLE, mm.pfn.availablePages(),
              mm.commitTotal(), 0, 0, "a fault found no page to use for " + NO_MEMORY_RETRIES
                  + " ms");
        }
        kernel.delayExecution(Kernel.KERNEL_MODE, false, NO_MEMORY_WAIT_NS);
      } else {
        return status;
      }
    }
  }

  /**
   * The blocking half of an in-page request: produce the frame's contents with no lock held
   * (zeroing today; a read from a paging or mapped file once there is one), then end the in-page
   * operation and wake the collided faults.
   */
  private void produce(int frame) {
    kernel.spend(mm.cost.zeroPageNs);
    mm.memory.zeroFrame(frame);
    int old = mm.lock();
    try {
      mm.pagesZeroedInline++;
      InPageBlock block = inPageBlockOf(frame);
      mm.inPageBlocks.remove(block);
      mm.lists.endInPage(frame);
      kernel.setEvent(block.event, 0);
    } finally {
      mm.unlock(old);
    }
  }

  /** MiWaitForCollidedFaultComplete: waits for the in-page operation on {@code frame}. */
  private void waitForCollided(long va, AddressSpace as, int frame) {
    InPageBlock block = findInPageBlock(frame);
    if (block == null) {
      return; // finished since the handler looked: run the handler again
    }
    block.waiters++;
    collidedFaults++;
    trace(va, KIND_COLLIDED, as);
    kernel.waitForSingleObject(block.event, WaitReason.WR_PAGE_IN, Kernel.KERNEL_MODE, false, -1);
  }

  /** What a fault on a user page is: the cases of {@link #resolve}'s dispatch. */
  private static final int FAULT_VALID = 0;
  private static final int FAULT_DEMAND_ZERO = 1;
  private static final int FAULT_TRANSITION = 2;
  private static final int FAULT_COLLIDED = 3;
  private static final int FAULT_GUARD = 4;
  private static final int FAULT_PROTOTYPE = 5;
  private static final int FAULT_PAGE_FILE = 6;
  private static final int FAULT_NO_ACCESS = 7;

  /**
   * The locked half for a user address (MiDispatchFault's role): makes the page table if it is
   * missing, then dispatches on what the PTE says, and returns a {@link FaultOutcome}.
   */
  private long resolve(AddressSpace as, long va, boolean write, boolean user) {
    long vpn = va >>> 12;
    long pteVa = MmLayout.pteAddress(va);
    int pde = mm.readPde(va);
    if (!MmPte.isValid(pde)) {
      Vad vad = as.vads.find(vpn);
      if (vad == null || !vad.memCommit || accessCheck(vad.protection, write) == NtStatus.STATUS_ACCESS_VIOLATION) {
        return FaultOutcome.of(accessViolation(va, as));
      }
      if (!mm.makePageTable(as, va)) {
        return FaultOutcome.of(NtStatus.STATUS_NO_MEMORY);
      }
    }
    int pte = mm.readPte(pteVa);
    Vad vad = as.vads.find(vpn);
    int protection = pte == 0 && vad != null ? vad.protection : MmPte.protection(pte);
    switch (faultKind(vad, pte, protection, write)) {
      case FAULT_VALID:
        return FaultOutcome.of(validPteFault(as, vad, va, pteVa, pte, write, user));
      case FAULT_DEMAND_ZERO:
        return demandZero(as, vad, va, pteVa, protection, write);
      case FAULT_TRANSITION:
        return FaultOutcome.of(transition(as, vad, va, pteVa, pte, write));
      case FAULT_COLLIDED:
        return FaultOutcome.collided(MmPte.transitionFrame(pte));
      case FAULT_GUARD:
        return FaultOutcome.of(guard(as, va, pteVa, pte, protection));
      case FAULT_PROTOTYPE:
      case FAULT_PAGE_FILE:
        throw new IllegalStateException(String.format("PTE %08x of %08x is a paging-file or"
            + " prototype PTE: nothing makes those yet", pte, va));
      default:
        return FaultOutcome.of(accessViolation(va, as));
    }
  }

  /**
   * Classifies a fault on a user page whose PTE is {@code pte}: by the PTE's format (a zero PTE
   * by its VAD), then, for a page that may be made valid, by whether {@code protection} allows
   * the access. A read in progress is a collided fault before any protection is looked at.
   */
  private int faultKind(Vad vad, int pte, int protection, boolean write) {
    boolean transition = false;
    switch (MmPte.kind(pte)) {
      case MmPte.KIND_VALID:
        return FAULT_VALID;
      case MmPte.KIND_PROTOTYPE:
        return FAULT_PROTOTYPE;
      case MmPte.KIND_PAGE_FILE:
        return FAULT_PAGE_FILE;
      case MmPte.KIND_UNKNOWN:
        if (vad == null || !vad.memCommit) {
          return FAULT_NO_ACCESS;
        }
        break;
      case MmPte.KIND_TRANSITION:
        if ((mm.pfn.flags(MmPte.transitionFrame(pte)) & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0) {
          return FAULT_COLLIDED;
        }
        transition = true;
        break;
      default: // demand zero
        break;
    }
    int access = accessCheck(protection, write);
    if (access == NtStatus.STATUS_GUARD_PAGE_VIOLATION) {
      return FAULT_GUARD;
    }
    if (access != NtStatus.STATUS_SUCCESS) {
      return FAULT_NO_ACCESS;
    }
    return transition ? FAULT_TRANSITION : FAULT_DEMAND_ZERO;
  }

  /** A kernel access to the PTE of a user page whose page table is absent. */
  private int resolvePageTable(AddressSpace as, long pageVa) {
    Vad vad = as.vads.find(pageVa >>> 12);
    if (vad == null) {
      kernel.bugCheckEx(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA, MmLayout.pteAddress(pageVa), 0, 0,
          0, "a kernel access to the page table of unreserved address " + hex(pageVa));
    }
    return mm.makePageTable(as, pageVa) ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_NO_MEMORY;
  }

  /** A valid PTE faulted: a write to a write-watched page, a stale TLB entry, or a violation. */
  private int validPteFault(AddressSpace as, Vad vad, long va, long pteVa, int pte,
      boolean write, boolean user) {
    int frame = X86Pte.frame(pte);
    int protection = MmPte.protection(mm.pfn.originalPte(frame));
    if (user && (pte & X86Pte.OWNER) == 0) {
      return accessViolation(va, as);
    }
    if (write && (pte & X86Pte.WRITE) == 0) {
      if (vad == null || !vad.writeWatch || !MmPte.isWritable(protection)) {
        return accessViolation(va, as);
      }
      vad.markWritten(va >>> 12);
      mm.writePte(pteVa, pte | X86Pte.WRITE | X86Pte.DIRTY);
      mm.lists.setModified(frame);
      mm.tb.flushTb(va);
    } else {
      mm.machine.activeCpu().mmu.invalidatePage(va);
    }
    alreadyResolved++;
    trace(va, KIND_ALREADY_RESOLVED, as);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Whether an access of this kind is allowed by {@code protection}, or raises a guard fault. */
  static int accessCheck(int protection, boolean write) {
    if (MmPte.isNoAccess(protection)) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if (MmPte.isGuard(protection)) {
      return NtStatus.STATUS_GUARD_PAGE_VIOLATION;
    }
    if (write && !MmPte.isWritable(protection)) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * A guard page's first touch: the guard goes (the PTE keeps its frame if it has one) and the
   * access raises STATUS_GUARD_PAGE_VIOLATION.
   */
  private int guard(AddressSpace as, long va, long pteVa, int pte, int protection) {
    int unguarded = protection & ~MmPte.MM_GUARD_PAGE;
    if (MmPte.isTransition(pte)) {
      int frame = MmPte.transitionFrame(pte);
      mm.writePte(pteVa, MmPte.transition(frame, unguarded));
      mm.lists.setOriginalPte(frame, MmPte.demandZero(unguarded));
    } else {
      mm.writePte(pteVa, MmPte.demandZero(unguarded));
    }
    return guardViolation(va, as);
  }

  /**
   * MiResolveDemandZeroFault: a zeroed frame made valid at once, or, with none on the zeroed
   * list, a frame whose zeroing is an in-page request for the caller.
   */
  private long demandZero(AddressSpace as, Vad vad, long va, long pteVa, int protection,
      boolean write) {
    PfnLists lists = mm.lists;
    mm.workingSetManager().makeRoom(as);
    boolean haveZeroed = mm.pfn.count(PfnDatabase.ZEROED) > 0;
    int frame = lists.removeAnyPage(haveZeroed ? PfnDatabase.ACTIVE : PfnDatabase.TRANSITION);
    if (frame == PfnDatabase.NONE) {
      return FaultOutcome.of(NtStatus.STATUS_NO_MEMORY);
    }
    int pageTable = X86Pte.frame(mm.readPde(va));
    if (!haveZeroed) {
      lists.initializeReadInProgressPfn(frame, pteVa, pageTable, MmPte.demandZero(protection));
      lists.incrementShareCount(pageTable);
      mm.writePte(pteVa, MmPte.transition(frame, protection));
      mm.inPageBlocks.add(new InPageBlock(frame, new KEvent(true, false, 0)));
      return FaultOutcome.inPage(frame);
    }
    lists.initializePfn(frame, pteVa, pageTable, MmPte.demandZero(protection), true);
    lists.incrementShareCount(pageTable);
    mm.writePte(pteVa, validPte(frame, protection, write, vad, va));
    mm.wsInsert(as, frame, va);
    demandZeroFaults++;
    trace(va, KIND_DEMAND_ZERO, as);
    return FaultOutcome.of(NtStatus.STATUS_SUCCESS);
  }

  /** MiResolveTransitionFault: a soft fault, or the end of this thread's own in-page work. */
  private int transition(AddressSpace as, Vad vad, long va, long pteVa, int pte, boolean write) {
    int frame = MmPte.transitionFrame(pte);
    int protection = MmPte.protection(pte);
    int state = mm.pfn.state(frame);
    boolean inPageDone = state == PfnDatabase.TRANSITION;
    // An active frame is resident behind a no-access PTE and already in the working set.
    if (state != PfnDatabase.ACTIVE) {
      mm.workingSetManager().makeRoom(as);
      mm.lists.resolveTransition(frame);
      mm.wsInsert(as, frame, va);
    }
    if (write) {
      mm.lists.setModified(frame);
    }
    mm.writePte(pteVa, validPte(frame, protection, write, vad, va));
    if (inPageDone) {
      demandZeroFaults++;
      trace(va, KIND_DEMAND_ZERO, as);
    } else {
      transitionFaults++;
      trace(va, KIND_TRANSITION, as);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** The valid PTE for a private user page; write-watched pages stay read-only until written. */
  private static int validPte(int frame, int protection, boolean write, Vad vad, long va) {
    int bits = MmPte.hardwareBits(protection, true) | X86Pte.ACCESSED;
    if (vad != null && vad.writeWatch) {
      if (write) {
        vad.markWritten(va >>> 12);
      } else if (!vad.written(va >>> 12)) {
        bits &= ~X86Pte.WRITE;
      }
    }
    if (write) {
      bits |= X86Pte.DIRTY;
    }
    return X86Pte.make(frame, bits);
  }

  private InPageBlock inPageBlockOf(int frame) {
    InPageBlock b = findInPageBlock(frame);
    if (b == null) {
      throw new IllegalStateException("frame " + Integer.toHexString(frame)
          + " is read in progress with no in-page block");
    }
    return b;
  }

  private InPageBlock findInPageBlock(int frame) {
    for (int i = 0; i < mm.inPageBlocks.size(); i++) {
      InPageBlock b = mm.inPageBlocks.get(i);
      if (b.pfn == frame) {
        return b;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ system space

  private int systemFault(long va, boolean write, int caller) {
    AddressSpace as = mm.currentAddressSpace();
    if (caller == MemoryAccess.USER) {
      return accessViolation(va, as);
    }
    int old = mm.lock();
    try {
      long pdeVa = MmLayout.pdeAddress(va);
      int pde = mm.readPte(pdeVa);
      int index = (int) ((va & 0xFFFFFFFFL) >>> 22);
      int master = mm.memory.readInt(((long) mm.systemDirectoryFrame() << 12) + index * 4L);
      if (!MmPte.isValid(pde) && MmPte.isValid(master) && index != MmLayout.SELF_MAP_INDEX
          && index != MmLayout.HYPER_SPACE_INDEX) {
        mm.writePte(pdeVa, master);
        systemPdeFaults++;
        trace(va, KIND_SYSTEM_PDE, as);
        return NtStatus.STATUS_SUCCESS;
      }
      if (MmPte.isValid(pde)) {
        int pte = mm.readPte(MmLayout.pteAddress(va));
        switch (MmPte.kind(pte)) {
          case MmPte.KIND_VALID:
            if (!write || (pte & pde & X86Pte.WRITE) != 0) {
              mm.machine.activeCpu().mmu.invalidatePage(va);
              alreadyResolved++;
              return NtStatus.STATUS_SUCCESS;
            }
            kernel.bugCheckEx(BugCheck.ATTEMPTED_WRITE_TO_READONLY_MEMORY, va, pte, 0, 0,
                "a kernel write to read-only system address " + hex(va));
            break;
          case MmPte.KIND_TRANSITION:
            if (mm.systemPoolPages().softFault(va & ~0xFFFL, pte)) {
              transitionFaults++;
              return NtStatus.STATUS_SUCCESS;
            }
            break;
          default: // nothing else is pageable in system space yet
            break;
        }
      }
    } finally {
      mm.unlock(old);
    }
    kernel.bugCheckEx(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA, va, write ? 1 : 0, 0, 0,
        "a kernel " + (write ? "write to" : "read of") + " invalid system address " + hex(va)
            + " (" + MmLayout.regionName(va) + ")");
    return NtStatus.STATUS_ACCESS_VIOLATION;
  }

  // ------------------------------------------------------------------ outcomes

  private int accessViolation(long va, AddressSpace as) {
    accessViolations++;
    trace(va, KIND_ACCESS_VIOLATION, as);
    return NtStatus.STATUS_ACCESS_VIOLATION;
  }

  private int guardViolation(long va, AddressSpace as) {
    guardPageFaults++;
    trace(va, KIND_GUARD, as);
    return NtStatus.STATUS_GUARD_PAGE_VIOLATION;
  }

  private void trace(long va, int kind, AddressSpace as) {
    Cpu cpu = mm.machine.activeCpu();
    mm.machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.PAGE_FAULT, va, kind,
        as.process.uniqueProcess);
  }

  private static String hex(long va) {
    return String.format("%08x", va);
  }
}
