package org.ntsim.mm;

import org.ntsim.hal.Checks;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.Kernel;

/**
 * The one writer of the PFN database (NT's MiInsertPageInList, MiUnlinkPageFromList,
 * MiDecrementShareCount and MiDecrementReferenceCount; ReactOS's pfnlist.c; Windows Internals
 * ch. 9, "Page Frame Number Database" and "Page List Dynamics"): every move of a frame between
 * lists, every change of a share or reference count, of a frame's flags, original PTE or working
 * set index is made here. The rest of the memory manager reads {@link PfnDatabase} and asks this
 * class for changes.
 *
 * <p>Models, for shared pages as for private ones:
 * <ul>
 *   <li>The share count is the number of PTEs that map the frame validly (for a page table, one
 *       plus its valid and transition PTEs); the reference count says the frame is in use: one
 *       for its mappings while any exist, one for in-page work in flight.
 *   <li>A frame leaves a working set by {@link #decrementShareCount}: when the last mapping goes,
 *       so does the mappings' reference ({@link #decrementReferenceCount}); when no reference is
 *       left the frame goes to the modified list if it was written, else the standby list, or to
 *       the free list if its PTE was deleted. A frame with share count 2 that one working set
 *       drops stays active for the other.
 *   <li>A frame in transition whose reference count is above 0 (a read or zeroing in flight) is
 *       on no list; if its PTE is deleted meanwhile ({@link #deletePte}) it is freed when the
 *       in-page work drops its reference ({@link #endInPage}).
 *   <li>Taking a page (MiRemoveAnyPage): the zeroed list, then the free list, then the standby
 *       list, whose last owner's PTE becomes its original PTE again. LowMemoryCondition,
 *       HighMemoryCondition and the zero page thread's event follow the counts.
 * </ul>
 *
 * <p>Invariants: each state change emits exactly one PAGE_LIST event (in {@link PfnDatabase}), in
 * the order of the moves; a share count never goes below 0 and a frame is never listed while its
 * reference count is above 0 (both checked on every call, without allocating). Nothing here
 * allocates.
 *
 * <p>Left out: the modified page writer (its completion's list move is {@link #clearModified}),
 * prototype PTEs updated when a shared frame's share count reaches 0 (no sections yet), page
 * colours and standby priorities, the bad page list.
 */
final class PfnLists {
  private final MemoryManager mm;
  private final PfnDatabase pfn;
  private final KEvent zeroingEvent;
  private boolean lastPageZeroed;

  PfnLists(MemoryManager mm, PfnDatabase pfn, KEvent zeroingEvent) {
    this.mm = mm;
    this.pfn = pfn;
    this.zeroingEvent = zeroingEvent;
  }

  // ================================================================== taking pages

  /**
   * MiRemoveAnyPage: a frame from the zeroed list, else the free list, else the standby list
   * (its previous owner's PTE goes back to its original contents); {@link PfnDatabase#NONE} if
   * none is available. {@link #lastPageZeroed} says whether the frame is known to hold zeros.
   */
  int removeAnyPage(int newState) {
    int frame = pfn.removeHead(PfnDatabase.ZEROED, newState);
    lastPageZeroed = frame != PfnDatabase.NONE;
    if (frame == PfnDatabase.NONE) {
      frame = pfn.removeHead(PfnDatabase.FREE, newState);
    }
    if (frame == PfnDatabase.NONE) {
      frame = pfn.head(PfnDatabase.STANDBY);
      if (frame != PfnDatabase.NONE) {
        restoreTransitionPte(frame);
        pfn.remove(frame, newState);
      }
    }
    if (frame != PfnDatabase.NONE) {
      updateMemoryEvents();
    }
    return frame;
  }

  /** Whether the frame the last {@link #removeAnyPage} returned came from the zeroed list. */
  boolean lastPageZeroed() {
    return lastPageZeroed;
  }

  /** MiRemoveZeroPage: a zeroed frame, zeroing a free or standby one now if it must; NONE if none. */
  int removeZeroPage(int newState) {
    int frame = removeAnyPage(newState);
    if (frame != PfnDatabase.NONE && !lastPageZeroed) {
      mm.machine.activeCpu().advance(mm.cost.zeroPageNs);
      mm.memory.zeroFrame(frame);
      mm.pagesZeroedInline++;
    }
    return frame;
  }

  /**
   * MiRemovePageFromList's common case with no event to signal: the head of {@code list}, now in
   * {@code newState}; NONE if the list is empty. For boot and the zero page thread.
   */
  int removeHead(int list, int newState) {
    return pfn.removeHead(list, newState);
  }

  /**
   * MiRestoreTransitionPte: a standby frame is taken from the page that last used it; that page's
   * PTE (reached through the frame's page table; NT maps it in hyperspace) becomes the frame's
   * original PTE again, and the page table loses the share the transition PTE held.
   */
  private void restoreTransitionPte(int frame) {
    int table = pfn.pteFrame(frame);
    long ptePa = ((long) table << 12) | (pfn.pteAddress(frame) & 0xFFF);
    mm.memory.writeInt(ptePa, pfn.originalPte(frame));
    decrementShareCountOnly(table);
    mm.pagesRepurposed++;
  }

  // ================================================================== entries

  /** MiInitializePfn: a frame now mapped by the valid PTE at {@code pteVa}, one share, one reference. */
  void initializePfn(int frame, long pteVa, int pteFrame, int originalPte, boolean modified) {
    pfn.initialize(frame, pteVa, pteFrame, originalPte, modified);
  }

  /**
   * MiInitializeReadInProgressPfn: a frame whose contents are being produced for the transition
   * PTE at {@code pteVa}: no share (nothing maps it yet), the in-page work's reference, read in
   * progress, modified (it has no copy elsewhere).
   */
  void initializeReadInProgressPfn(int frame, long pteVa, int pteFrame, int originalPte) {
    pfn.initialize(frame, pteVa, pteFrame, originalPte, true);
    pfn.setCounts(frame, 0, 1);
    pfn.setFlag(frame, PfnDatabase.FLAG_READ_IN_PROGRESS);
  }

  /** The working set index of an active frame (the WsIndex half of MMPFN's union). */
  void setWsIndex(int frame, int index) {
    pfn.setWsIndex(frame, index);
  }

  /** The PTE the frame's page returns to when the frame is taken away (new protection, guard gone). */
  void setOriginalPte(int frame, int pte) {
    pfn.setOriginalPte(frame, pte);
  }

  /** The page was written (a dirty bit captured, or a write fault): its frame needs saving. */
  void setModified(int frame) {
    pfn.setFlag(frame, PfnDatabase.FLAG_MODIFIED);
  }

  /**
   * The frame's contents need no saving any more: after the modified page writer has written it
   * (MiWriteComplete's list part) or when MEM_RESET discards them. A frame on the modified list
   * moves to the standby list.
   */
  void clearModified(int frame) {
    pfn.clearFlag(frame, PfnDatabase.FLAG_MODIFIED);
    if (pfn.state(frame) == PfnDatabase.MODIFIED) {
      pfn.remove(frame, PfnDatabase.TRANSITION);
      insertPage(PfnDatabase.STANDBY, frame);
    }
  }

  // ================================================================== share and reference counts

  /** One more PTE maps the frame (or, for a page table, one more of its PTEs references a frame). */
  void incrementShareCount(int frame) {
    pfn.addShare(frame, 1);
  }

  /**
   * MiDecrementShareCountOnly: one PTE fewer in a page table references a frame; the table itself
   * stays (page tables are freed with their directory's entry, not through the lists).
   */
  void decrementShareCountOnly(int frame) {
    checkShare(frame);
    pfn.addShare(frame, -1);
  }

  /**
   * MiDecrementShareCount: a PTE stops mapping the frame (the caller has made it a transition PTE,
   * or deleted it, and taken the page out of its working set). When no PTE maps it any more the
   * mappings' reference goes too ({@link #decrementReferenceCount}); a frame still mapped by
   * another PTE stays active.
   */
  void decrementShareCount(int frame) {
    if (Checks.INVARIANTS) {
      checkShare(frame);
    }
    pfn.addShare(frame, -1);
    if (pfn.shareCount(frame) == 0) {
      decrementReferenceCount(frame);
    }
  }

  /**
   * MiDecrementReferenceCount: when the last reference goes, an unmapped frame goes to the free
   * list if its PTE was deleted, else to the modified list if it was written, else to the standby
   * list, from which a soft fault can take it back.
   */
  void decrementReferenceCount(int frame) {
    int references = pfn.referenceCount(frame) - 1;
    if (Checks.INVARIANTS
        && (references < 0 || (references == 0 && pfn.shareCount(frame) != 0))) {
      throw new IllegalStateException(String.format(
          "frame %x: reference count %d with share count %d", frame, references,
          pfn.shareCount(frame)));
    }
    pfn.setCounts(frame, pfn.shareCount(frame), references);
    if (references > 0) {
      return;
    }
    if (pfn.pteDeleted(frame)) {
      insertFreePage(frame);
    } else {
      insertPage(pfn.isModified(frame) ? PfnDatabase.MODIFIED : PfnDatabase.STANDBY, frame);
    }
  }

  private void checkShare(int frame) {
    if (pfn.shareCount(frame) <= 0) {
      throw new IllegalStateException(String.format("frame %x: share count is already %d", frame,
          pfn.shareCount(frame)));
    }
  }

  // ================================================================== faults and deletion

  /**
   * MiResolveTransitionFault's part in the PFN database: a frame on the standby or modified list
   * leaves it with one share and one reference; a frame whose in-page work is done (in
   * transition, holding that work's reference) becomes active with its first share, the
   * reference passing to the mapping.
   */
  void resolveTransition(int frame) {
    if (pfn.state(frame) == PfnDatabase.TRANSITION) {
      pfn.setState(frame, PfnDatabase.ACTIVE);
      pfn.setCounts(frame, pfn.shareCount(frame) + 1, pfn.referenceCount(frame));
    } else {
      pfn.remove(frame, PfnDatabase.ACTIVE);
      pfn.setCounts(frame, pfn.shareCount(frame) + 1, pfn.referenceCount(frame) + 1);
    }
  }

  /**
   * The end of in-page work on a frame (MiWaitForInPageComplete's PFN part): read in progress is
   * cleared; if the frame's PTE was deleted meanwhile, the work's reference is dropped and the
   * frame is freed. Otherwise the reference stays for the fault that resolves the page.
   */
  void endInPage(int frame) {
    pfn.clearFlag(frame, PfnDatabase.FLAG_READ_IN_PROGRESS);
    if (pfn.pteDeleted(frame)) {
      decrementReferenceCount(frame);
    }
  }

  /**
   * MiDeletePte's part in the PFN database: the PTE that maps {@code frame} (valid, or transition)
   * is being deleted and the page taken out of its working set. The entry forgets the PTE; the
   * frame goes to the free list as soon as nothing references it: at once if it was mapped only
   * there or was on a list, when its in-page work ends if that is in flight.
   */
  void deletePte(int frame) {
    int state = pfn.state(frame);
    if (state == PfnDatabase.ACTIVE) {
      markDeleted(frame);
      decrementShareCount(frame);
    } else if (state == PfnDatabase.TRANSITION) {
      markDeleted(frame);
    } else {
      pfn.remove(frame, PfnDatabase.TRANSITION);
      insertFreePage(frame);
    }
  }

  /** MI_SET_PFN_DELETED: the entry names no PTE; its counts and read-in-progress stay. */
  private void markDeleted(int frame) {
    int share = pfn.shareCount(frame);
    int references = pfn.referenceCount(frame);
    boolean reading = (pfn.flags(frame) & PfnDatabase.FLAG_READ_IN_PROGRESS) != 0;
    pfn.initialize(frame, 0, 0, 0, false);
    pfn.setCounts(frame, share, references);
    if (reading) {
      pfn.setFlag(frame, PfnDatabase.FLAG_READ_IN_PROGRESS);
    }
  }

  // ================================================================== lists

  /** MiInsertPageInList: an active or transition frame with no reference joins {@code list}. */
  void insertPage(int list, int frame) {
    if (Checks.INVARIANTS && pfn.referenceCount(frame) != 0) {
      throw new IllegalStateException(String.format(
          "frame %x is listed with reference count %d", frame, pfn.referenceCount(frame)));
    }
    pfn.insertTail(list, frame);
  }

  /** MiUnlinkPageFromList: {@code frame} leaves its list and becomes {@code newState}. */
  void unlinkPage(int frame, int newState) {
    pfn.remove(frame, newState);
  }

  /**
   * MiInsertPageInFreeList: the frame holds nothing anyone needs. Its entry is cleared; the zero
   * page thread is woken once enough frames are free.
   */
  void insertFreePage(int frame) {
    pfn.clear(frame);
    pfn.insertTail(PfnDatabase.FREE, frame);
    Kernel kernel = mm.kernel;
    if (pfn.count(PfnDatabase.FREE) >= MemoryManager.ZEROING_THRESHOLD
        && zeroingEvent.signalState() == 0) {
      kernel.setEvent(zeroingEvent, 0);
    }
    updateMemoryEvents();
  }

  /** Signals LowMemoryCondition or HighMemoryCondition as available pages cross the thresholds. */
  private void updateMemoryEvents() {
    int available = pfn.availablePages();
    boolean low = available <= mm.lowMemoryThresholdPages();
    boolean high = available >= mm.highMemoryThresholdPages();
    Kernel kernel = mm.kernel;
    if (low != (mm.lowMemoryEvent.signalState() > 0)) {
      if (low) {
        kernel.setEvent(mm.lowMemoryEvent, 0);
      } else {
        kernel.resetEvent(mm.lowMemoryEvent);
      }
    }
    if (high != (mm.highMemoryEvent.signalState() > 0)) {
      if (high) {
        kernel.setEvent(mm.highMemoryEvent, 0);
      } else {
        kernel.resetEvent(mm.highMemoryEvent);
      }
    }
  }
}
