package org.ntsim.ke;

import org.ntsim.hal.MachineConfig;

/**
 * How a thread's quantum is measured and charged (Windows Internals 5th ed., ch. 5, "Quantum",
 * "Quantum Accounting" and "Controlling the Quantum").
 *
 * <p>Models: a quantum of {@code QuantumReset} units, three units to a clock interval. Vista
 * (the default) turns the units into a quantum target in processor cycles, QuantumReset times
 * KiCyclesPerClockQuantum (a third of the cycles in one clock interval), and charges the thread
 * the cycles it actually ran: its user and kernel time, never the interrupts and DPCs that ran
 * while it was current. Quantum end is still found only at a clock tick, once the cycles charged
 * reach the target. XP and Server 2003 (tick accounting) take three units at every clock tick
 * from whichever thread the tick found current, interrupt and DPC time included. The quantum
 * table of Win32PrioritySeparation gives each process its QuantumReset: short or long, variable
 * (the foreground process's quantum stretched by the separation index) or fixed.
 *
 * <p>Invariants: under cycle accounting, {@code KThread.quantum} shows the units left, rounded
 * up, as of the last tick or reset; {@code quantumTargetCycles} is what decides.
 *
 * <p>Left out: the cycles a context switch itself costs (charged to neither thread here), job
 * quantum limits, and the quantum a wait takes in XP (KiAdjustQuantumThread).
 */
final class QuantumAccounting {
  /** Quantum units in one clock interval (CLOCK_QUANTUM_DECREMENT). */
  static final int UNITS_PER_CLOCK_TICK = 3;
  /** The starvation boost's quantum in units (Vista: a target of three units' cycles). */
  static final int STARVATION_QUANTUM_UNITS = 3;

  private static final int[][] SHORT_QUANTA = {{6, 12, 18}, {18, 18, 18}}; // variable, fixed
  private static final int[][] LONG_QUANTA = {{12, 24, 36}, {36, 36, 36}};

  boolean cycles; // fixed by the configuration, unless a comparison switches it (setCycles)
  /** KiCyclesPerClockQuantum: processor cycles in one quantum unit. */
  final long cyclesPerQuantumUnit;
  private final long cyclesPerMicrosecond;
  /** PsPrioritySeparation: the foreground quantum index and the foreground unwait boost. */
  final int prioritySeparation;
  private final int[] quantumTable; // PspForegroundQuantum: quantum units by index

  QuantumAccounting(MachineConfig config) {
    this.cycles = config.quantumAccounting.equals(MachineConfig.QUANTUM_CYCLES);
    this.cyclesPerMicrosecond = config.cost.cyclesPerMicrosecond;
    this.cyclesPerQuantumUnit = config.clockIntervalNs * cyclesPerMicrosecond / 1_000
        / UNITS_PER_CLOCK_TICK;
    int separation = config.win32PrioritySeparation & 3;
    this.prioritySeparation = separation == 3 ? 2 : separation;
    boolean longQuanta = ((config.win32PrioritySeparation >> 4) & 3) == 1;
    boolean fixed = ((config.win32PrioritySeparation >> 2) & 3) == 2;
    this.quantumTable = (longQuanta ? LONG_QUANTA : SHORT_QUANTA)[fixed ? 1 : 0];
  }

  /**
   * Switches the accounting of a running machine, for a comparison of the two policies (no
   * Windows interface does this): every live thread starts a fresh quantum under the new one.
   */
  void setCycles(boolean cycles, Iterable<KThread> liveThreads) {
    this.cycles = cycles;
    for (KThread t : liveThreads) {
      resetQuantum(t);
      if (!cycles) {
        t.quantumTargetCycles = 0;
      }
    }
  }

  /** PspComputeQuantum: the QuantumReset of a foreground or background process. */
  int quantumReset(boolean foreground) {
    return quantumTable[foreground ? prioritySeparation : 0];
  }

  /** The cycles {@code t} has run (KTHREAD.CycleTime): its user and kernel time at the TSC rate. */
  long cycleTime(KThread t) {
    return (t.exactUserNs + t.exactKernelNs) * cyclesPerMicrosecond / 1_000;
  }

  /** A new quantum from the process's QuantumReset (KiQuantumEnd, the unwait, a yield). */
  void resetQuantum(KThread t) {
    setQuantumUnits(t, t.process.quantumReset);
  }

  /** A quantum of {@code units}: the units, and under cycles the target they amount to. */
  void setQuantumUnits(KThread t, int units) {
    t.quantum = units;
    if (cycles && !t.idle) {
      t.quantumTargetCycles = cycleTime(t) + units * cyclesPerQuantumUnit;
    }
  }

  /**
   * KeUpdateRunTime's quantum charge at a clock tick for the thread current there: returns
   * whether its quantum has run out.
   */
  boolean chargeClockTick(KThread t) {
    if (!cycles) {
      t.quantum -= UNITS_PER_CLOCK_TICK;
      return t.quantum <= 0;
    }
    long left = t.quantumTargetCycles - cycleTime(t);
    t.quantum = left <= 0 ? 0 : (int) ((left + cyclesPerQuantumUnit - 1) / cyclesPerQuantumUnit);
    return left <= 0;
  }

  /** Whether the quantum has run out (KiQuantumEnd's check before it gives a new one). */
  boolean quantumExpired(KThread t) {
    return t.quantum <= 0;
  }
}
