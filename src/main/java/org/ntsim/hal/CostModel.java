package org.ntsim.hal;

/**
 * How much simulated time each modelled operation costs.
 *
 * <p>Defaults describe a 2 GHz uniprocessor-era x86 core of the Vista period: about one guest
 * instruction a cycle, a system call of a few hundred nanoseconds, a context switch of a couple
 * of microseconds. The figures are round on purpose; what matters for the model is that they are
 * explicit, fixed for a run, and the same on every host. Every field is in nanoseconds except
 * {@link #instructionPs}, which is in picoseconds so that sub-nanosecond instructions add up.
 */
public final class CostModel {
  /**
   * The processor's clock rate, in cycles per microsecond (MHz): the time-stamp counter that
   * Vista's quantum accounting reads counts at this rate.
   */
  public long cyclesPerMicrosecond = 2_000;
  /** One guest instruction (picoseconds). */
  public long instructionPs = 500;
  /** Entering and leaving the kernel for a system call. */
  public long systemCallNs = 250;
  /** Saving one thread's context and loading another's (KiSwapContext). */
  public long contextSwitchNs = 2_000;
  /** Taking an interrupt: trap frame, IDT dispatch, return. */
  public long interruptDispatchNs = 600;
  /** The body of the clock interrupt service routine. */
  public long clockIsrNs = 400;
  /** Dispatching one DPC from the DPC queue (excluding the routine's own work). */
  public long dpcDispatchNs = 300;
  /** Sending an inter-processor interrupt. */
  public long ipiSendNs = 500;
  /** One pass of the scheduler: choosing the next thread, queue manipulation. */
  public long scheduleNs = 200;
  /** Bringing a swapped-out kernel stack back in (a page-in of the stack, no disk yet). */
  public long stackInswapNs = 20_000;
  /** Work a timer-expiry DPC does per expired timer. */
  public long timerExpiryNs = 150;

  /** A simulated memory access that hits the TLB (a cache hit: a couple of cycles). */
  public long memoryAccessNs = 1;
  /** A TLB miss: the two-level walk, two memory references. */
  public long pageWalkNs = 30;
  /** Loading CR3 with a new page directory (the non-global TLB entries go). */
  public long tlbFlushNs = 100;
  /** INVLPG: one TLB entry dropped. */
  public long invlpgNs = 40;
  /** Taking a page fault and resolving it in MmAccessFault, not counting zeroing a page. */
  public long pageFaultNs = 1_200;
  /** Filling a 4 KiB frame with zeros (fault path or zero page thread). */
  public long zeroPageNs = 1_000;
  /** Creating or deleting a process's page directory, beyond the pages it touches. */
  public long addressSpaceNs = 5_000;
  /** A virtual memory system service's own work per page it changes (PTE edits, VAD walk). */
  public long vmPageNs = 20;

  /** Nanoseconds for {@code instructions} guest instructions, rounded up. */
  public long instructionsToNs(long instructions) {
    if (instructionPs > 0 && instructions > (Long.MAX_VALUE - 999) / instructionPs) {
      return Long.MAX_VALUE / 1000; // saturated: centuries of CPU time, never a wrapped product
    }
    return (instructions * instructionPs + 999) / 1000;
  }

  /** A copy, so that one run's tweaks never leak into another's. */
  public CostModel copy() {
    CostModel c = new CostModel();
    c.instructionPs = instructionPs;
    c.systemCallNs = systemCallNs;
    c.contextSwitchNs = contextSwitchNs;
    c.interruptDispatchNs = interruptDispatchNs;
    c.clockIsrNs = clockIsrNs;
    c.dpcDispatchNs = dpcDispatchNs;
    c.ipiSendNs = ipiSendNs;
    c.scheduleNs = scheduleNs;
    c.stackInswapNs = stackInswapNs;
    c.timerExpiryNs = timerExpiryNs;
    c.memoryAccessNs = memoryAccessNs;
    c.pageWalkNs = pageWalkNs;
    c.tlbFlushNs = tlbFlushNs;
    c.invlpgNs = invlpgNs;
    c.pageFaultNs = pageFaultNs;
    c.zeroPageNs = zeroPageNs;
    c.addressSpaceNs = addressSpaceNs;
    c.vmPageNs = vmPageNs;
    return c;
  }
}
