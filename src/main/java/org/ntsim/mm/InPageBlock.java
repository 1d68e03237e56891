package org.ntsim.mm;

import org.ntsim.ke.KEvent;

/**
 * The in-page support block (MMINPAGE_SUPPORT) of a frame whose contents are being produced:
 * while it exists the frame is in transition with read-in-progress set, its PTE is a transition
 * PTE naming it, and a thread that faults on the page waits on {@link #event} instead of
 * resolving the fault a second time (a collided fault, seed 000: MiWaitForCollidedFaultComplete).
 *
 * <p>The block is shared by the threads that wait on it; what a fault asks its caller to do is
 * not kept here but returned as a value ({@link FaultOutcome}). The frame holds a reference for
 * the work in flight, so if its page is freed meanwhile the frame waits, off every list, for the
 * work to end ({@link PfnLists#endInPage}).
 *
 * <p>Today the work in flight is zeroing a frame taken from the free list; reads from a paging
 * file or a mapped file will use the same block.
 */
final class InPageBlock {
  final int pfn;
  final KEvent event;
  int waiters; // threads that collided with the fault

  InPageBlock(int pfn, KEvent event) {
    this.pfn = pfn;
    this.event = event;
  }
}
