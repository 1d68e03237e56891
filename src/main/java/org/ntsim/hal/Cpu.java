package org.ntsim.hal;

import org.ntsim.trace.TraceKind;

/**
 * One simulated processor: its own clock, its IRQL register, its interrupt dispatch table (IDT)
 * and its pending interrupt requests.
 *
 * <p>Models: a pending request per IRQL with the earliest simulated time at which it may be taken
 * (an IPI sent by another CPU at its time t is taken here at t, or at this CPU's clock if that is
 * later; the sender's horizon drops to t, so that the machine loop lets this CPU act at t before
 * the sender goes further). Requests at a level are not counted, as on real interrupt
 * controllers: two requests before service are one.
 *
 * <p>Hardware interrupts arrive on a vector (the local APIC's interrupt request register, 256
 * bits), each with the IRQL its vector maps to; the level's request stands for every vector
 * pending at it. When the level is taken, the highest due vector at it is dispatched through the
 * IDT entry the kernel installed for it ({@link #setIdtEntry}); other vectors at the same level
 * stay pending. The software levels (APC_LEVEL, DISPATCH_LEVEL) have no vector: their requests
 * run the level's handler ({@link #setHandler}), as HalRequestSoftwareInterrupt does.
 *
 * <p>Invariants: {@code irql} is what the code now running on this CPU runs at; an interrupt is
 * delivered only at a level above it; time only moves forward, through {@link #advance(long)},
 * which also charges it to the current category and account.
 *
 * <p>Nesting: a handler that spends time at its level (the kernel's busy time at raised IRQL)
 * may deliver higher interrupts inside it; each delivery keeps its own return IRQL.
 *
 * <p>Left out: the APIC's task priority register (the IRQL masks by level, not by vector class),
 * and end-of-interrupt: a vector is in service only while its handler runs.
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
  /** The interrupt dispatch table: what runs for each vector. */
  private final InterruptHandler[] idt = new InterruptHandler[InterruptVectors.COUNT];
  private final long[] pendingVectors = new long[InterruptVectors.COUNT / 64]; // the IRR's bits
  private final long[] vectorAtNs = new long[InterruptVectors.COUNT];
  private final int[] vectorIrql = new int[InterruptVectors.COUNT];
  private int servicingVector = -1; // the vector whose IDT entry runs now, -1 if none
  private long sliceEndNs;
  private long deferredUntilNs = -1;
  /** True while the loop runs this CPU's code on the host stack (see Machine#runOthersBefore). */
  boolean onStack;
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

  /**
   * The thread running here will spend the time up to {@code untilNs} before its next observable
   * step, and gives control back to the loop meanwhile: the loop moves the clock there (or to an
   * interrupt due first) when no other participant comes before.
   */
  public void defer(long untilNs) {
    deferredUntilNs = untilNs;
  }

  public boolean defers() {
    return deferredUntilNs >= 0;
  }

  public long deferredUntilNs() {
    return deferredUntilNs;
  }

  void endDeferral() {
    deferredUntilNs = -1;
  }

  public void setHandler(int level, InterruptHandler handler) {
    handlers[level] = handler;
  }

  /** The IDT entry of {@code vector}: what runs when the CPU takes that vector. */
  public void setIdtEntry(int vector, InterruptHandler handler) {
    idt[vector] = handler;
  }

  public InterruptHandler idtEntry(int vector) {
    return idt[vector];
  }

  /** The vector whose IDT entry is running now (the in-service vector), or -1. */
  public int servicingVector() {
    return servicingVector;
  }

  /**
   * A hardware interrupt on {@code vector}, at {@code irql}, deliverable from simulated time
   * {@code atNs} on (what an interrupt controller or another processor's IPI sends this CPU's
   * local APIC). A vector already pending is not counted twice.
   */
  public void requestVector(int vector, int irql, long atNs) {
    long bit = 1L << vector;
    int word = vector >>> 6;
    if ((pendingVectors[word] & bit) == 0 || atNs < vectorAtNs[vector]) {
      vectorAtNs[vector] = atNs;
    }
    pendingVectors[word] |= bit;
    vectorIrql[vector] = irql;
    requestInterrupt(irql, atNs);
  }

  public boolean isVectorPending(int vector) {
    return (pendingVectors[vector >>> 6] & (1L << vector)) != 0;
  }

  /**
   * Takes the highest vector pending at {@code level} and due by now, and leaves the level
   * requested for the vectors still pending at it; -1 if none is (a request without a vector).
   */
  private int takeVector(int level) {
    int taken = -1;
    long nextAtNs = Long.MAX_VALUE;
    for (int word = pendingVectors.length - 1; word >= 0; word--) {
      long bits = pendingVectors[word];
      while (bits != 0) {
        int v = (word << 6) + 63 - Long.numberOfLeadingZeros(bits);
        bits &= ~(1L << v);
        if (vectorIrql[v] != level) {
          continue;
        }
        if (taken < 0 && vectorAtNs[v] <= clockNs) {
          taken = v;
        } else {
          nextAtNs = Math.min(nextAtNs, vectorAtNs[v]);
        }
      }
    }
    if (taken >= 0) {
      pendingVectors[taken >>> 6] &= ~(1L << taken);
    }
    if (nextAtNs != Long.MAX_VALUE) {
      requestInterrupt(level, nextAtNs);
    }
    return taken;
  }

  /** Requests an interrupt at {@code level}, deliverable from simulated time {@code atNs} on. */
  public void requestInterrupt(int level, long atNs) {
    int bit = 1 << level;
    if ((pendingMask & bit) == 0 || atNs < pendingAtNs[level]) {
      pendingAtNs[level] = atNs;
    }
    pendingMask |= bit;
    Cpu sender = machine.activeCpu();
    if (sender != this) {
      sender.limitHorizon(this, atNs);
    }
  }

  /**
   * This CPU, now running, gave {@code target} something to do at {@code atNs} (an interrupt, or
   * work an idle processor finds without one, such as a NextThread): it must not pass that time
   * before the loop has let {@code target} act at it.
   */
  public void limitHorizon(Cpu target, long atNs) {
    long t = atNs + (target.index > index ? 1 : 0);
    if (t < sliceEndNs) {
      sliceEndNs = t;
    }
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
    target.requestVector(InterruptVectors.IPI_VECTOR, Irql.IPI_LEVEL, clockNs);
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

  /** True when code on this CPU must give control back to the loop: horizon reached or interrupt due. */
  public boolean mustYield() {
    return clockNs >= sliceEndNs || highestDeliverable() >= 0;
  }

  /**
   * Whether the clock can move {@code ns} on and stay short of the horizon with no interrupt
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
   * stack at its own IRQL: a hardware level through the IDT entry of its vector, a software level
   * through the level's handler. A handler may change what runs next (a context switch sets the
   * IRQL the CPU returns to with {@link #setReturnIrql(int)}).
   *
   * <p>The ISR trace event carries the vector of a device interrupt (IRQL 3 to 26); the HAL's own
   * interrupts above them (profile, clock, IPI) carry 0, as they did before vectors existed, so
   * that traces keep their digests.
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
        int vector = takeVector(level);
        if (vector >= 0) {
          h = idt[vector];
        }
        interruptCount++;
        if (level == Irql.IPI_LEVEL) {
          noteIpiReceived();
        }
        int savedCategory = category;
        int outerVector = servicingVector;
        category = TimeCategory.INTERRUPT;
        servicingVector = vector;
        long tracedVector = vector >= 0 && level <= Irql.DEVICE_LEVEL_HIGH ? vector : 0;
        machine.tracer.emit(clockNs, index, TraceKind.ISR_BEGIN, level, tracedVector, interrupted);
        advance(machine.cost.interruptDispatchNs);
        if (h != null) {
          h.service(this, interrupted);
        }
        machine.tracer.emit(clockNs, index, TraceKind.ISR_END, level, 0, 0);
        servicingVector = outerVector;
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
