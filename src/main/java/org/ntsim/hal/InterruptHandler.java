package org.ntsim.hal;

/**
 * A service routine bound to one IRQL of one CPU: an ISR for hardware levels, the DPC/dispatch or
 * APC handler for the software levels. It runs on the machine loop's stack at its level and must
 * not block.
 */
@FunctionalInterface
public interface InterruptHandler {
  /** @param interruptedIrql the IRQL the CPU was at when the interrupt was taken */
  void service(Cpu cpu, int interruptedIrql);
}
