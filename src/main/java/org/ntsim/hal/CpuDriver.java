package org.ntsim.hal;

/**
 * What the kernel gives the hardware: the code that makes one CPU execute until its clock reaches
 * the end of a slice (run the current thread, take interrupts, idle).
 */
public interface CpuDriver {
  /** Runs {@code cpu} until its clock reaches {@code sliceEndNs} or the machine stops. */
  void runSlice(Cpu cpu, long sliceEndNs);

  /**
   * True when {@code cpu} has nothing to do until an interrupt arrives: it runs its idle thread,
   * its DPC queue is empty and no thread is ready for it. The machine skips time over such CPUs.
   */
  boolean isIdle(Cpu cpu);

  /** Checks the kernel's invariants; throws IllegalStateException on the first broken one. */
  default void verify() {}
}
