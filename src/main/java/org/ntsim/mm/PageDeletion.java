package org.ntsim.mm;

import org.ntsim.hal.X86Pte;

/**
 * MiDeleteVirtualAddresses (Windows Internals ch. 9, "Reserving and Committing Pages"): the PTEs
 * of a range decommitted or released, and the frames behind them given back.
 *
 * <p>Models: a page table that does not exist is skipped, or made when decommitted pages inside a
 * region committed at reservation need MM_DECOMMIT PTEs; each valid or transition PTE's frame
 * leaves the working set and goes to the free list through {@link PfnLists#deletePte}, which
 * holds back a frame whose in-page work is in flight until that work ends; locked pages are
 * unlocked.
 *
 * <p>Invariants: runs under the lock, in the address space it edits; a page table's share count
 * drops by one for each PTE that stops referencing a frame.
 *
 * <p>Left out: freeing page tables that become empty, prototype PTEs (no sections yet).
 */
final class PageDeletion {
  private final MemoryManager mm;
  private final VirtualMemory vm;

  PageDeletion(MemoryManager mm, VirtualMemory vm) {
    this.mm = mm;
    this.vm = vm;
  }

  /**
   * Decommits (or, releasing, clears) pages {@code startVpn..endVpn} of {@code vad} in the
   * current address space: valid and transition frames go to the free list, a frame whose
   * in-page work is in flight is left to that work to free. Returns the committed pages removed.
   * Called under the lock.
   */
  long deletePages(AddressSpace as, Vad vad, long startVpn, long endVpn, boolean release) {
    int newPte = !release && vad.memCommit ? MmPte.demandZero(MmPte.MM_DECOMMIT) : 0;
    long removed = 0;
    long vpn = startVpn;
    while (vpn <= endVpn) {
      long va = vpn << 12;
      if (!MmPte.isValid(mm.readPde(va))) {
        long chunkEnd = Math.min(endVpn, vpn | 0x3FF);
        if (!vad.memCommit) {
          vpn = chunkEnd + 1;
          continue;
        }
        if (newPte == 0) {
          removed += chunkEnd - vpn + 1;
          vpn = chunkEnd + 1;
          continue;
        }
        vm.writeSoftPte(as, vpn, 0); // makes the page table; the loop below writes the PTEs
      }
      long pteVa = MmLayout.pteAddress(va);
      int pte = mm.readPte(pteVa);
      if (VirtualMemory.committed(vad, pte)) {
        removed++;
      }
      if (MmPte.isValid(pte) || MmPte.isTransition(pte)) {
        releaseFrame(as, va, pte);
      }
      if (pte != newPte) {
        mm.writePte(pteVa, newPte);
      }
      if (vad.locked(vpn)) {
        vad.setLocked(vpn, false);
        as.lockedPages--;
      }
      vpn++;
    }
    return removed;
  }

  /**
   * MiDeletePte for a valid or transition PTE: the page leaves the working set, its page table
   * loses the share the PTE held, and the frame goes to the free list once nothing references
   * it ({@link PfnLists#deletePte}).
   */
  private void releaseFrame(AddressSpace as, long va, int pte) {
    PfnLists lists = mm.lists;
    int pageTable = X86Pte.frame(mm.readPde(va));
    if (MmPte.isValid(pte)) {
      int frame = X86Pte.frame(pte);
      mm.wsRemove(as, frame);
      mm.writePte(MmLayout.pteAddress(va), 0);
      mm.tb.flushTb(va);
      lists.decrementShareCountOnly(pageTable);
      lists.deletePte(frame);
      return;
    }
    int frame = MmPte.transitionFrame(pte);
    lists.decrementShareCountOnly(pageTable);
    if (mm.pfn.state(frame) == PfnDatabase.ACTIVE) {
      mm.wsRemove(as, frame); // resident behind a no-access or guard PTE
    }
    lists.deletePte(frame);
  }
}
