package org.ntsim.hal;

/**
 * What the kernel gives the hardware: the code that makes one CPU execute until its clock reaches
 * its horizon (run the current thread, take interrupts, idle).
 */
public interface CpuDriver {
  /**
   * Runs {@code cpu} until its clock reaches {@code sliceEndNs} (its horizon), its thread defers the
   * time it spends, or the machine stops.
   */
  void runSlice(Cpu cpu, long sliceEndNs);

  /**
   * True when {@code cpu} has nothing to do until an interrupt arrives: it runs its idle thread,
   * its DPC queue is empty and no thread is ready for it. The machine skips time over such CPUs.
   */
  boolean isIdle(Cpu cpu);

  /**
   * Moves {@code cpu}'s clock to {@code toNs} through the time its current thread deferred
   * ({@link Cpu#defer}), charging it as that thread's: the thread learns how far it got when it
   * runs again.
   */
  void resolveDeferral(Cpu cpu, long toNs);

  /** Checks the kernel's invariants; throws IllegalStateException on the first broken one. */
  default void verify() {}
}
