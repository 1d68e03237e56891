package org.ntsim.hal;

import org.ntsim.trace.TraceKind;

/**
 * One simulated processor: its own clock, its IRQL register, and its pending interrupt requests.
 *
 * <p>Models: a pending request per IRQL with the earliest simulated time at which it may be taken
 * (an IPI sent by another CPU at its time t is taken here once this CPU's clock reaches t, which
 * keeps multi-CPU interleaving deterministic and bounded by the slice length). Requests at a level
 * are not counted, as on real interrupt controllers: two requests before service are one.
 *
 * <p>Invariants: {@code irql} is what the code now running on this CPU runs at; an interrupt is
 * delivered only at a level above it; time only moves forward, through {@link #advance(long)},
 * which also charges it to the current category and account.
 *
 * <p>Nesting: a handler that spends time at its level (the kernel's busy time at raised IRQL)
 * may deliver higher interrupts inside it; each delivery keeps its own return IRQL.
 *
 * <p>Left out: interrupt vectors within a level.
 */
public final class Cpu {
  public final int index;
  public final Machine machine;
  /** This processor's MMU and TLB. */
  public final Mmu mmu;

  private long clockNs;
  private int irql;
  private int pendingMask; // bit L set: an interrupt at IRQL L is requested
  private final long[] pendingAtNs = new long[Irql.LEVELS];
  private final InterruptHandler[] handlers = new InterruptHandler[Irql.LEVELS];
  private long sliceEndNs;
  private int returnIrql;

  private int category = TimeCategory.IDLE;
  private Accountable account;
  private final long[] exactNs = new long[TimeCategory.COUNT];
  private long interruptCount;
  private long ipisReceived;

  Cpu(Machine machine, int index) {
    this.machine = machine;
    this.index = index;
    this.mmu = new X86Mmu(this, machine.memory, machine.cost, machine.config.tlbEntries);
  }

  public long clockNs() {
    return clockNs;
  }

  public int irql() {
    return irql;
  }

  /** KeRaiseIrql / KeLowerIrql without side effects: pending interrupts are taken by the loop. */
  public void setIrql(int newIrql) {
    irql = newIrql;
  }

  public long sliceEndNs() {
    return sliceEndNs;
  }

  void beginSlice(long endNs) {
    sliceEndNs = endNs;
  }

  public void setHandler(int level, InterruptHandler handler) {
    handlers[level] = handler;
  }

  /** Requests an interrupt at {@code level}, deliverable from simulated time {@code atNs} on. */
  public void requestInterrupt(int level, long atNs) {
    int bit = 1 << level;
    if ((pendingMask & bit) == 0 || atNs < pendingAtNs[level]) {
      pendingAtNs[level] = atNs;
    }
    pendingMask |= bit;
  }

  /** A software interrupt requested by code running on this CPU (HalRequestSoftwareInterrupt). */
  public void requestSoftwareInterrupt(int level) {
    requestInterrupt(level, clockNs);
  }

  public boolean isPending(int level) {
    return (pendingMask & (1 << level)) != 0;
  }

  public void clearPending(int level) {
    pendingMask &= ~(1 << level);
  }

  /** Sends an IPI from this CPU to {@code target}, charging the sender. */
  public void sendIpi(Cpu target, int reason) {
    advance(machine.cost.ipiSendNs);
    machine.tracer.emit(clockNs, index, TraceKind.IPI, index, target.index, reason);
    target.requestInterrupt(Irql.IPI_LEVEL, clockNs);
  }

  void noteIpiReceived() {
    ipisReceived++;
  }

  /** The highest level that is requested, above the IRQL and due by now; -1 if none. */
  public int highestDeliverable() {
    int mask = pendingMask & ~((2 << irql) - 1);
    while (mask != 0) {
      int level = 31 - Integer.numberOfLeadingZeros(mask);
      if (pendingAtNs[level] <= clockNs) {
        return level;
      }
      mask &= ~(1 << level);
    }
    return -1;
  }

  /** Earliest time an interrupt above the current IRQL becomes due; MAX_VALUE if none. */
  public long nextInterruptNs() {
    int mask = pendingMask & ~((2 << irql) - 1);
    long t = Long.MAX_VALUE;
    while (mask != 0) {
      int level = 31 - Integer.numberOfLeadingZeros(mask);
      t = Math.min(t, pendingAtNs[level]);
      mask &= ~(1 << level);
    }
    return t;
  }

  /** True when code on this CPU must give control back to the loop: slice over or interrupt due. */
  public boolean mustYield() {
    return clockNs >= sliceEndNs || highestDeliverable() >= 0;
  }

  /**
   * Whether the clock can move {@code ns} on and stay short of the slice end with no interrupt
   * above the IRQL requested at all: then a simulation point has nothing to deliver and need not
   * look at the pending levels one by one.
   */
  public boolean runsClear(long ns) {
    return clockNs + ns < sliceEndNs && (pendingMask & ~((2 << irql) - 1)) == 0;
  }

  /** How far the clock may run before the loop must look again. */
  public long runLimitNs() {
    return Math.min(sliceEndNs, nextInterruptNs());
  }

  /**
   * Takes every interrupt that is due and above the IRQL, highest level first, each on the loop's
   * stack at its own IRQL. A handler may change what runs next (a context switch sets the IRQL
   * the CPU returns to with {@link #setReturnIrql(int)}).
   */
  public void deliverInterrupts() {
    int level;
    while ((level = highestDeliverable()) >= 0 && !machine.stopped()) {
      clearPending(level);
      int interrupted = irql;
      int outerReturnIrql = returnIrql; // a handler busy at its level may take higher interrupts
      returnIrql = interrupted;
      irql = level;
      InterruptHandler h = handlers[level];
      if (level > Irql.DISPATCH_LEVEL) {
        interruptCount++;
        if (level == Irql.IPI_LEVEL) {
          noteIpiReceived();
        }
        int savedCategory = category;
        category = TimeCategory.INTERRUPT;
        machine.tracer.emit(clockNs, index, TraceKind.ISR_BEGIN, level, 0, interrupted);
        advance(machine.cost.interruptDispatchNs);
        if (h != null) {
          h.service(this, interrupted);
        }
        machine.tracer.emit(clockNs, index, TraceKind.ISR_END, level, 0, 0);
        category = savedCategory;
      } else if (h != null) {
        h.service(this, interrupted);
      }
      irql = returnIrql;
      returnIrql = outerReturnIrql;
    }
  }

  /** During an interrupt handler: the IRQL to return to when it ends. */
  public void setReturnIrql(int level) {
    returnIrql = level;
  }

  /** Moves this CPU's clock forward by {@code ns}, charging the current category and account. */
  public void advance(long ns) {
    if (ns <= 0) {
      return;
    }
    clockNs += ns;
    exactNs[category] += ns;
    if (category <= TimeCategory.KERNEL && account != null) {
      account.chargeExact(category, ns);
    }
  }

  /** Moves the clock to {@code t} if it is behind (idle time while every CPU waits). */
  void catchUp(long t) {
    if (t > clockNs) {
      advance(t - clockNs);
    }
  }

  public int category() {
    return category;
  }

  public void setCategory(int category) {
    this.category = category;
  }

  public Accountable account() {
    return account;
  }

  public void setAccount(Accountable account) {
    this.account = account;
  }

  /** Exact simulated time this CPU spent in {@code category}. */
  public long exactNs(int category) {
    return exactNs[category];
  }

  public long interruptCount() {
    return interruptCount;
  }

  public long ipisReceived() {
    return ipisReceived;
  }
}
