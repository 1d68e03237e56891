package org.ntsim.mm;

import java.util.ArrayList;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.KProcess;
import org.ntsim.trace.TraceKind;

/**
 * MmWorkingSetManager (seed 004 slide 37, "Managing Working Sets"; Windows Internals ch. 9,
 * "Balance Set Manager and Swapper"): once a second, on the balance set manager's thread, it
 * ages every process's working set and trims those that must shrink.
 *
 * <p>Models: aging by the accessed bit: a page whose PTE was accessed since the last pass has
 * its bit cleared (the TLB shootdowns of a pass go out as one batch) and its age reset; any other page grows one older.
 * Trimming: when memory is tight (available pages below {@link #plentyFreePages()}) a working
 * set above its maximum loses its oldest pages down to the maximum, and every working set above
 * its minimum loses the pages that went unused for a whole pass; a hard maximum is enforced
 * whether memory is tight or not. A trimmed page's PTE
 * becomes a transition PTE and its frame joins the modified list (written, or private with no
 * copy elsewhere) or the standby list (MEM_RESET). On a fault in a working set already at its
 * maximum while memory is tight (or at a hard maximum), the handler replaces an old page
 * instead of adding one.
 *
 * <p>Invariants: locked pages are never trimmed; a process is only edited while the manager is
 * attached to it; nothing is trimmed below the minimum on memory pressure alone.
 *
 * <p>Left out: the estimate of unused pages kept across passes and the per-process trim
 * priorities NT uses to pick victims, forced trims of the system working set, outswapping whole
 * processes.
 */
public final class WorkingSetManager {
  private static final int OLD = 1; // passes unused before a page may go on memory pressure

  private final MemoryManager mm;
  private final VirtualMemory vm;
  private long passes;

  WorkingSetManager(MemoryManager mm, VirtualMemory vm) {
    this.mm = mm;
    this.vm = vm;
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
    boolean tight = memoryTight();
    for (AddressSpace as : new ArrayList<>(mm.addressSpaces())) {
      if (as.system || as.cleaned || as.deleted || as.ws.count == 0) {
        continue;
      }
      KProcess previous = mm.kernel.stackAttachProcess(as.process);
      int old = mm.lock();
      mm.startFlushBatch();
      try {
        age(as);
        int removed = 0;
        if (as.ws.count > as.ws.maximumPages && (tight || as.ws.hardMaximum)) {
          removed += trimOldest(as, as.ws.count - as.ws.maximumPages);
        }
        if (tight && as.ws.count > as.ws.minimumPages) {
          removed += trimAged(as, OLD, as.ws.count - as.ws.minimumPages);
        }
        if (removed > 0) {
          trace(as, removed);
        }
      } finally {
        mm.endFlushBatch();
        mm.unlock(old);
        mm.kernel.unstackDetachProcess(previous);
      }
    }
  }

  /** Clears each entry's accessed bit, or ages the entry if it was not set. Under the lock. */
  private void age(AddressSpace as) {
    WorkingSet ws = as.ws;
    for (int i = 0; i < ws.count; i++) {
      long va = (long) ws.vpn[i] << 12;
      long pteVa = MmLayout.pteAddress(va);
      int pte = mm.readPte(pteVa);
      if (MmPte.isValid(pte) && (pte & X86Pte.ACCESSED) != 0) {
        mm.writePte(pteVa, pte & ~X86Pte.ACCESSED);
        mm.flushTb(va);
        ws.age[i] = 0;
      } else if (ws.age[i] < WorkingSet.MAX_AGE) {
        ws.age[i]++;
      }
    }
  }

  /** Trims up to {@code pages} entries, oldest first. Under the lock, attached. */
  private int trimOldest(AddressSpace as, int pages) {
    int removed = 0;
    for (int age = WorkingSet.MAX_AGE; age >= 0 && removed < pages; age--) {
      removed += trimAged(as, age, pages - removed, age);
    }
    return removed;
  }

  private int trimAged(AddressSpace as, int minimumAge, int pages) {
    return trimAged(as, minimumAge, pages, Integer.MAX_VALUE);
  }

  /** Trims up to {@code pages} entries whose age is in {@code minimumAge..maximumAge}. */
  private int trimAged(AddressSpace as, int minimumAge, int pages, int maximumAge) {
    WorkingSet ws = as.ws;
    int removed = 0;
    int i = 0;
    while (i < ws.count && removed < pages) {
      int a = ws.age[i];
      long va = (long) ws.vpn[i] << 12;
      if (a >= minimumAge && a <= maximumAge && !locked(as, va) && vm.trimPage(as, va)) {
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
        if (!locked(as, va) && vm.trimPage(as, va)) {
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

  private void trace(AddressSpace as, int removed) {
    Cpu cpu = mm.machine.activeCpu();
    mm.machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.WS_TRIM, as.process.uniqueProcess,
        removed, as.ws.count);
  }
}
