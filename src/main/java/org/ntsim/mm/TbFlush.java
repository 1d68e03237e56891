package org.ntsim.mm;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * TLB consistency after a valid PTE changes (KeFlushSingleTb, and MiFlushTbList for a batch;
 * Windows Internals ch. 9, "Translation Look-Aside Buffer"): the entry is invalidated on this
 * processor and shot down, by IPI, on every other processor that may cache it: those running
 * the same address space, or all of them for a system address.
 *
 * <p>Models: a batch collects up to {@link #FLUSH_LIST_MAX} pages and sends one IPI per
 * processor at its end; past that many pages each processor drops its whole non-global TLB, or,
 * for system pages (whose PTEs are global), every entry (KeFlushEntireTb with Global TRUE).
 *
 * <p>Invariants: at most one batch is open; the flush list is allocated once.
 *
 * <p>Left out: the lazy flushes NT does by address space generation.
 */
final class TbFlush {
  static final int IPI_REASON_TLB = 3;
  /** Most pages a batch shoots down one by one before it flushes whole TLBs instead. */
  static final int FLUSH_LIST_MAX = 33;

  private final MemoryManager mm;
  private final Machine machine;
  private final long[] flushList = new long[FLUSH_LIST_MAX];
  private int flushCount = -1; // pages changed in the open batch; -1 when no batch is open
  long shootdowns;

  TbFlush(MemoryManager mm) {
    this.mm = mm;
    this.machine = mm.machine;
  }

  /**
   * KeFlushSingleTb: invalidates {@code va} here and shoots it down on every other processor
   * that may cache it. Inside a batch the other processors are told once, at {@link #endBatch}.
   */
  void flushTb(long va) {
    Cpu me = machine.activeCpu();
    me.mmu.invalidatePage(va);
    if (machine.cpuCount() == 1) {
      return;
    }
    if (flushCount >= 0) {
      if (flushCount < FLUSH_LIST_MAX) {
        flushList[flushCount] = va;
      }
      flushCount++;
      return;
    }
    flushList[0] = va;
    shootDown(me, 1);
  }

  /** Opens a batch of PTE changes whose TLB shootdowns go out together (MiFlushTbList). */
  void startBatch() {
    flushCount = 0;
  }

  /**
   * Sends the batch's shootdowns: one IPI per processor that may cache the pages, which drops
   * each page, or its whole non-global TLB past {@link #FLUSH_LIST_MAX} pages.
   */
  void endBatch() {
    int count = flushCount;
    flushCount = -1;
    if (count > 0 && machine.cpuCount() > 1) {
      shootDown(machine.activeCpu(), count);
    }
  }

  private void shootDown(Cpu me, int count) {
    long first = flushList[0];
    boolean system = !MmLayout.isUserAddress(first) && !MmLayout.isPteAddress(first);
    long cr3 = me.mmu.directoryBase();
    long mask = 0;
    for (int i = 0; i < machine.cpuCount(); i++) {
      Cpu other = machine.cpu(i);
      if (other != me && (system || other.mmu.directoryBase() == cr3)) {
        if (count > FLUSH_LIST_MAX && system) {
          other.mmu.flushAll();
        } else if (count > FLUSH_LIST_MAX) {
          other.mmu.dropNonGlobal();
        } else {
          for (int j = 0; j < count; j++) {
            other.mmu.dropPage(flushList[j]);
          }
        }
        me.sendIpi(other, IPI_REASON_TLB);
        mask |= 1L << i;
      }
    }
    if (mask != 0) {
      shootdowns++;
      AddressSpace as = mm.currentAddressSpace();
      machine.tracer.emit(me.clockNs(), me.index, TraceKind.TLB_SHOOTDOWN, first, mask,
          system ? 0 : as.process.uniqueProcess);
    }
  }
}
