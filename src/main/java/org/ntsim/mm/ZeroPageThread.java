package org.ntsim.mm;

import org.ntsim.ke.KEvent;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;

/**
 * The zero page thread (MmZeroPageThread; Windows Internals ch. 9, "Page List Dynamics"): a
 * System thread at priority 0 that moves free frames to the zeroed list, so that demand-zero
 * faults find zeroed pages without zeroing on the fault path.
 *
 * <p>Models: woken by the free list reaching {@link MemoryManager#ZEROING_THRESHOLD} frames
 * ({@link PfnLists#insertFreePage}); takes one frame at a time off the free list, spends the
 * time to zero it (a simulation point: the thread may lose the processor with the frame in hand,
 * off every list), zeroes it through its hyperspace slot in the address space it runs in, and
 * puts it on the zeroed list.
 *
 * <p>Invariants: at most one frame is being zeroed, and it is in transition with no reference.
 *
 * <p>Left out: zeroing several frames per pass, one thread per node.
 */
final class ZeroPageThread {
  private final MemoryManager mm;
  private final KEvent zeroingEvent;
  int frameBeingZeroed = PfnDatabase.NONE;
  long pagesZeroed;

  ZeroPageThread(MemoryManager mm, KEvent zeroingEvent) {
    this.mm = mm;
    this.zeroingEvent = zeroingEvent;
  }

  /**
   * MmZeroPageThread: lowers itself to priority 0 before anything else, as NT's phase-1
   * initialization thread does when it becomes the zero page thread, then zeroes free frames
   * whenever the zeroing event wakes it.
   */
  void run() {
    Kernel kernel = mm.kernel;
    kernel.setBasePriority(kernel.currentThread(), 0);
    while (true) {
      kernel.waitForSingleObject(zeroingEvent, WaitReason.WR_FREE_PAGE, Kernel.KERNEL_MODE, false,
          -1);
      while (true) {
        int old = mm.lock();
        int frame = mm.lists.removeHead(PfnDatabase.FREE, PfnDatabase.TRANSITION);
        frameBeingZeroed = frame;
        mm.unlock(old);
        if (frame == PfnDatabase.NONE) {
          break;
        }
        kernel.spend(mm.cost.zeroPageNs);
        old = mm.lock();
        long pa = mm.mapInHyperspace(MmLayout.HYPER_ZERO_VA, frame);
        mm.memory.zeroFrame((int) (pa >>> 12));
        mm.unmapHyperspace(MmLayout.HYPER_ZERO_VA);
        frameBeingZeroed = PfnDatabase.NONE;
        mm.lists.insertPage(PfnDatabase.ZEROED, frame);
        pagesZeroed++;
        mm.unlock(old);
      }
    }
  }
}
