package org.ntsim.mm;

import java.util.ArrayList;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.NtStatus;
import org.ntsim.trace.TraceKind;

/**
 * MmWorkingSetManager (seed 004 slide 37, "Managing Working Sets"; Windows Internals ch. 9,
 * "Balance Set Manager and Swapper"): once a second, on the balance set manager's thread, it
 * ages every process's working set, estimates the pages each is not using, and trims when memory
 * is tight.
 *
 * <p>Models: aging by sampling the accessed bit: a page whose PTE was accessed since the last
 * pass has its bit cleared (the TLB shootdowns of a pass go out as one batch) and its age reset;
 * any other page grows one older. The pages a pass aged are the working set's estimate of unused
 * pages ({@link WorkingSet#unusedEstimate()}). Trimming: when memory is tight (available pages
 * below {@link #plentyFreePages()}) the pass sets a goal of the pages missing to plenty, then
 * takes working sets in order of their estimate, largest first, until the pages trimmed meet the
 * goal: each loses its oldest pages down to its maximum, then its aged pages, oldest first, as
 * many as its estimate, never going below its minimum. (With no paging file the modified pages
 * trimmed do not raise available memory, so a pressure that lasts takes a working set or more
 * each pass.) A hard maximum is enforced whether memory is tight or
 * not. A trimmed page's PTE becomes a transition PTE and its frame joins the modified list
 * (written, or private with no copy elsewhere) or the standby list (MEM_RESET). On a fault in a
 * working set already at its maximum while memory is tight (or at a hard maximum), the handler
 * replaces an old page instead of adding one.
 *
 * <p>Trimming is in one place: every page that leaves a working set, whether for the balance set
 * manager's pass, a fault at the maximum, EmptyWorkingSet or a new maximum from
 * SetProcessWorkingSetSize, and whether the working set is a process's or the system's, goes
 * through {@link #trimPage}, which gives the frame's share back to {@link PfnLists}: a frame
 * that another PTE still maps (a shared page, once sections exist) stays active.
 *
 * <p>Invariants: locked pages are never trimmed; a process is only edited while the manager is
 * attached to it; nothing is trimmed below the minimum on memory pressure alone; a page trimmed
 * for pressure has gone unused for at least one whole pass.
 *
 * <p>The services on a working set live here too: MmEmptyWorkingSet (EmptyWorkingSet) and
 * MmAdjustWorkingSetSize (SetProcessWorkingSetSize with limits).
 *
 * <p>The system working set (paged pool pages, {@link SystemPoolPages}) is aged every pass and
 * trimmed on pressure like a process's, taking its turn by its estimate; its pages go to the
 * modified list and come back by soft faults.
 *
 * <p>Left out: NT's per-process trim priorities beyond the estimate, forced trims of the system
 * working set, outswapping whole processes.
 */
public final class WorkingSetManager {
  private static final int OLD = 1; // passes unused before a page may go on memory pressure

  private final MemoryManager mm;
  private long passes;

  WorkingSetManager(MemoryManager mm) {
    this.mm = mm;
  }

  public long passes() {
    return passes;
  }

  /** MmPlentyFreePages here: below this many available pages, memory is tight. */
  public int plentyFreePages() {
    return Math.max(mm.highMemoryThresholdPages(), mm.pfn.frameCount() / 16);
  }

  boolean memoryTight() {
    return mm.pfn.availablePages() < plentyFreePages();
  }

  /** One pass over every process; runs on the balance set manager's thread. */
  public void run() {
    passes++;
    long goal = mm.pfn.availablePages() < plentyFreePages()
        ? plentyFreePages() - mm.pfn.availablePages() : 0;
    ArrayList<AddressSpace> spaces = new ArrayList<>();
    for (AddressSpace as : mm.addressSpaces()) {
      if (!as.system && !as.cleaned && !as.deleted && as.ws.count > 0) {
        spaces.add(as);
      }
    }
    for (AddressSpace as : spaces) {
      attached(as, () -> {
        age(as.ws, false);
        if (as.ws.hardMaximum && as.ws.count > as.ws.maximumPages) {
          report(as, trimOldest(as, as.ws.count - as.ws.maximumPages));
        }
      });
    }
    WorkingSet system = mm.systemWorkingSet();
    inSystemSpace(() -> age(system, true));
    if (goal == 0) {
      return;
    }
    // Largest estimate first; the sort is stable, so ties keep the order processes were made in.
    // The system working set takes its place by its estimate, ahead of processes it ties with.
    spaces.sort((a, b) -> Integer.compare(b.ws.unusedEstimate, a.ws.unusedEstimate));
    long[] left = {goal};
    boolean systemDone = false;
    for (AddressSpace as : spaces) {
      if (!systemDone && left[0] > 0 && system.unusedEstimate >= as.ws.unusedEstimate) {
        inSystemSpace(() -> left[0] -= trimForPressure(null));
        systemDone = true;
      }
      if (left[0] <= 0) {
        break;
      }
      attached(as, () -> left[0] -= trimForPressure(as));
    }
    if (!systemDone && left[0] > 0) {
      inSystemSpace(() -> left[0] -= trimForPressure(null));
    }
  }

  /**
   * Runs {@code work} on the system working set, under the lock, with one TLB flush batch; no
   * attach is needed, as every address space maps system space (missing PDEs are copied in).
   */
  private void inSystemSpace(Runnable work) {
    if (mm.systemWorkingSet().count == 0) {
      return;
    }
    int old = mm.lock();
    mm.tb.startBatch();
    try {
      work.run();
    } finally {
      mm.tb.endBatch();
      mm.unlock(old);
    }
  }

  private WorkingSet ws(AddressSpace as) {
    return as == null ? mm.systemWorkingSet() : as.ws;
  }

  /** Trims one page: the system working set's ({@code as} null) or a process's. */
  private boolean trim(AddressSpace as, long va) {
    if (as == null) {
      return trimPage(mm.systemWorkingSet(), va, true);
    }
    return !locked(as, va) && trimPage(as.ws, va, false);
  }

  /** Runs {@code work} attached to {@code as}, under the lock, with one TLB flush batch. */
  private void attached(AddressSpace as, Runnable work) {
    KProcess previous = mm.kernel.stackAttachProcess(as.process);
    int old = mm.lock();
    mm.tb.startBatch();
    try {
      work.run();
    } finally {
      mm.tb.endBatch();
      mm.unlock(old);
      mm.kernel.unstackDetachProcess(previous);
    }
  }

  /**
   * The pressure trim of one working set: down to its maximum, oldest first, then aged pages,
   * oldest first, as many as its estimate and never below its minimum. Returns the pages
   * removed. Under the lock, attached; {@code as} null for the system working set.
   */
  private int trimForPressure(AddressSpace as) {
    WorkingSet ws = ws(as);
    int removed = 0;
    if (ws.count > ws.maximumPages) {
      removed += trimOldest(as, ws.count - ws.maximumPages);
    }
    long wanted = Math.min(ws.unusedEstimate, ws.count - ws.minimumPages);
    if (wanted > 0) {
      int aged = 0;
      for (int age = WorkingSet.MAX_AGE; age >= OLD && aged < wanted; age--) {
        aged += trimAged(as, age, (int) (wanted - aged), age);
      }
      ws.unusedEstimate = Math.max(0, ws.unusedEstimate - aged);
      removed += aged;
    }
    report(as, removed);
    return removed;
  }

  private void report(AddressSpace as, int removed) {
    if (removed > 0) {
      trace(as, removed);
    }
  }

  /**
   * Clears each entry's accessed bit, or ages the entry if it was not set; the entries aged
   * become the working set's unused-page estimate. Under the lock.
   */
  private void age(WorkingSet ws, boolean system) {
    int unused = 0;
    for (int i = 0; i < ws.count; i++) {
      long va = (long) ws.vpn[i] << 12;
      if (system) {
        mm.ensureSystemPde(va);
      }
      long pteVa = MmLayout.pteAddress(va);
      int pte = mm.readPte(pteVa);
      if (MmPte.isValid(pte) && (pte & X86Pte.ACCESSED) != 0) {
        mm.writePte(pteVa, pte & ~X86Pte.ACCESSED);
        mm.tb.flushTb(va);
        ws.age[i] = 0;
      } else {
        if (ws.age[i] < WorkingSet.MAX_AGE) {
          ws.age[i]++;
        }
        unused++;
      }
    }
    ws.unusedEstimate = unused;
  }

  /** Trims up to {@code pages} entries, oldest first. Under the lock, attached. */
  private int trimOldest(AddressSpace as, int pages) {
    int removed = 0;
    for (int age = WorkingSet.MAX_AGE; age >= 0 && removed < pages; age--) {
      removed += trimAged(as, age, pages - removed, age);
    }
    return removed;
  }

  /** Trims up to {@code pages} entries whose age is in {@code minimumAge..maximumAge}. */
  private int trimAged(AddressSpace as, int minimumAge, int pages, int maximumAge) {
    WorkingSet ws = ws(as);
    int removed = 0;
    int i = 0;
    while (i < ws.count && removed < pages) {
      int a = ws.age[i];
      long va = (long) ws.vpn[i] << 12;
      if (a >= minimumAge && a <= maximumAge && trim(as, va)) {
        removed++; // entry i now holds the page that was last: look at it again
      } else {
        i++;
      }
    }
    return removed;
  }

  private static boolean locked(AddressSpace as, long va) {
    Vad v = as.vads.find(va >>> 12);
    return v != null && v.locked(va >>> 12);
  }

  /**
   * Called by the fault handler before it adds a page: in a working set at its maximum while
   * memory is tight, one old page goes first (NT replaces rather than grows). Under the lock.
   */
  void makeRoom(AddressSpace as) {
    WorkingSet ws = as.ws;
    if (ws.count < ws.maximumPages || ws.count == 0 || !(ws.hardMaximum || memoryTight())) {
      return;
    }
    for (int tries = 0; tries < ws.count; tries++) {
      if (ws.hand >= ws.count) {
        ws.hand = 0;
      }
      long va = (long) ws.vpn[ws.hand] << 12;
      if (ws.age[ws.hand] >= OLD || tries == ws.count - 1) {
        if (!locked(as, va) && trimPage(as.ws, va, false)) {
          trace(as, 1);
          return;
        }
      }
      ws.hand++;
    }
  }

  /**
   * SetProcessWorkingSetSize's part in Mm (MmAdjustWorkingSetSize): new limits in pages; a
   * working set above its new maximum is trimmed to it at once.
   */
  void adjust(AddressSpace as, int minimumPages, int maximumPages, boolean hardMaximum) {
    as.ws.minimumPages = minimumPages;
    as.ws.maximumPages = maximumPages;
    as.ws.hardMaximum = hardMaximum;
    if (as.ws.count > maximumPages) {
      int removed = trimOldest(as, as.ws.count - maximumPages);
      if (removed > 0) {
        trace(as, removed);
      }
    }
  }

  /** A WS_TRIM event; the system working set's carries the System process's id. */
  private void trace(AddressSpace as, int removed) {
    Cpu cpu = mm.machine.activeCpu();
    AddressSpace owner = as == null ? mm.systemAddressSpace() : as;
    mm.machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.WS_TRIM,
        owner.process.uniqueProcess, removed, ws(as).count);
  }

  // ------------------------------------------------------------------ services

  /**
   * MmEmptyWorkingSet (EmptyWorkingSet, SetProcessWorkingSetSize(-1, -1)): every valid private
   * page that is not locked leaves the working set; its PTE becomes a transition PTE and its
   * frame goes to the modified list if it was written (or never had a copy elsewhere), else to
   * the standby list. Returns the pages removed.
   */
  public long emptyWorkingSet(AddressSpace as) {
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    long removed = 0;
    mm.tb.startBatch();
    try {
      for (Vad vad : as.vads.inOrder()) {
        for (long vpn = vad.startingVpn; vpn <= vad.endingVpn; vpn++) {
          long va = vpn << 12;
          if (!MmPte.isValid(mm.readPde(va))) {
            vpn |= 0x3FF;
            continue;
          }
          if (vad.lockedBits != null && vad.locked(vpn)) {
            continue;
          }
          if (trimPage(as.ws, va, false)) {
            removed++;
          }
        }
      }
      trace(as, (int) removed);
    } finally {
      mm.tb.endBatch();
      mm.unlock(old);
      a.detach(mm);
    }
    mm.kernel.spend(mm.cost.vmPageNs * Math.max(1, Math.min(removed, 1 << 20)));
    return removed;
  }

  /**
   * MiFreeWsle for one page, the one way any page leaves any working set, a process's or the
   * system's ({@code system}, whose PDEs are copied in first): a valid page gets a transition PTE
   * (its dirty bit captured in the frame's modified flag) and its TLB entry is shot down; a page
   * resident behind a no-access PTE keeps its PTE. The entry leaves the working set and the frame
   * loses the share this mapping held: a frame no other PTE maps goes to the modified or standby
   * list ({@link PfnLists#decrementShareCount}). False if the page is not resident. Under the
   * lock, attached.
   */
  boolean trimPage(WorkingSet ws, long va, boolean system) {
    if (system) {
      mm.ensureSystemPde(va);
    }
    long pteVa = MmLayout.pteAddress(va);
    int pte = mm.readPte(pteVa);
    PfnDatabase pfn = mm.pfn;
    int frame;
    if (MmPte.isValid(pte)) {
      frame = X86Pte.frame(pte);
      int protection = MmPte.protection(pfn.originalPte(frame));
      if ((pte & X86Pte.DIRTY) != 0) {
        mm.lists.setModified(frame);
      }
      mm.writePte(pteVa, MmPte.transition(frame, protection));
      mm.tb.flushTb(va);
    } else if (MmPte.isTransition(pte) && pfn.state(MmPte.transitionFrame(pte)) == PfnDatabase.ACTIVE
        && (pfn.flags(MmPte.transitionFrame(pte)) & PfnDatabase.FLAG_READ_IN_PROGRESS) == 0) {
      frame = MmPte.transitionFrame(pte);
    } else {
      return false;
    }
    mm.wsRemove(ws, frame);
    mm.lists.decrementShareCount(frame);
    ws.pagesTrimmed++;
    return true;
  }

  /**
   * SetProcessWorkingSetSize with limits (MmAdjustWorkingSetSize): minimum and maximum in
   * pages; STATUS_INVALID_PARAMETER unless 0 < minimum <= maximum and the maximum leaves 512
   * pages of physical memory to the system.
   */
  public int setWorkingSetSize(AddressSpace as, long minimumPages, long maximumPages,
      boolean hardMaximum) {
    if (minimumPages <= 0 || minimumPages > maximumPages
        || maximumPages > mm.pfn.frameCount() - 512L) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    try {
      adjust(as, (int) minimumPages, (int) maximumPages, hardMaximum);
      return NtStatus.STATUS_SUCCESS;
    } finally {
      mm.unlock(old);
      a.detach(mm);
    }
  }
}
