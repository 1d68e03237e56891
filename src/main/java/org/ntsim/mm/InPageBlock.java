package org.ntsim.mm;

import org.ntsim.ke.KEvent;

/**
 * The in-page support block (MMINPAGE_SUPPORT) of a frame whose contents are being produced:
 * while it exists the frame is in transition with read-in-progress set, its PTE is a transition
 * PTE naming it, and a thread that faults on the page waits on {@link #event} instead of
 * resolving the fault a second time (a collided fault, seed 000: MiWaitForCollidedFaultComplete).
 *
 * <p>Today the work in flight is zeroing a frame taken from the free list; reads from a paging
 * file or a mapped file will use the same block.
 */
final class InPageBlock {
  final int pfn;
  final KEvent event;
  int waiters; // threads that collided with the fault
  boolean orphaned; // the page was freed while the work was in flight

  InPageBlock(int pfn, KEvent event) {
    this.pfn = pfn;
    this.event = event;
  }
}
