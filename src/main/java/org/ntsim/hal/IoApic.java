package org.ntsim.hal;

/**
 * The I/O APIC: an interrupt controller with a redirection entry per input line (IRQ) that says
 * which vector, at which IRQL, goes to which processors when the line is raised. The HAL programs
 * an entry when the kernel enables the interrupt (HalEnableSystemInterrupt); a line with no entry
 * is masked, and an interrupt raised on it is lost, as a masked pin's is.
 *
 * <p>Invariants: a line's entry names one vector and a non-empty processor mask; delivery to the
 * processors of the mask goes in processor index order, each at the time the line was raised.
 *
 * <p>Left out: trigger modes at the pin (a level-sensitive line here interrupts once per raise,
 * not again until acknowledged), lowest-priority delivery, and the 8259 PIC of the uniprocessor
 * HAL.
 */
public final class IoApic {
  /** Input lines (redirection entries), as on the common 24-pin I/O APIC. */
  public static final int LINES = 24;

  private final Machine machine;
  private final int[] vector = new int[LINES];
  private final int[] irql = new int[LINES];
  private final long[] cpuMask = new long[LINES]; // 0: the line is masked
  private final long[] raised = new long[LINES];
  private long lost;

  IoApic(Machine machine) {
    this.machine = machine;
  }

  /** Programs line {@code line}'s redirection entry: its interrupts go to {@code vector}. */
  public void route(int line, int vector, int irql, long cpuMask) {
    if (vector < InterruptVectors.FIRST_HARDWARE_VECTOR || vector >= InterruptVectors.COUNT
        || irql <= Irql.DISPATCH_LEVEL || irql > Irql.HIGH_LEVEL || cpuMask == 0) {
      throw new IllegalArgumentException("line " + line + " to vector " + vector + " at IRQL "
          + irql + ", processors " + Long.toHexString(cpuMask));
    }
    this.vector[line] = vector;
    this.irql[line] = irql;
    this.cpuMask[line] = cpuMask;
  }

  /** Masks the line: interrupts raised on it are lost until it is routed again. */
  public void mask(int line) {
    cpuMask[line] = 0;
  }

  public int vectorOf(int line) {
    return vector[line];
  }

  public int irqlOf(int line) {
    return irql[line];
  }

  public boolean isRouted(int line) {
    return cpuMask[line] != 0;
  }

  /** Interrupts raised on line {@code line} since boot. */
  public long raisedCount(int line) {
    return raised[line];
  }

  /** Interrupts raised on masked lines, which no processor saw. */
  public long lostCount() {
    return lost;
  }

  /** The line is raised at simulated time {@code atNs}: its vector is requested on its CPUs. */
  public void raise(int line, long atNs) {
    raised[line]++;
    long mask = cpuMask[line];
    if (mask == 0) {
      lost++;
      return;
    }
    for (int c = 0; c < machine.cpuCount(); c++) {
      if ((mask & (1L << c)) != 0) {
        machine.cpu(c).requestVector(vector[line], irql[line], atNs);
      }
    }
  }
}
