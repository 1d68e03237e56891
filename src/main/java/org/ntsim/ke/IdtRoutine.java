package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.InterruptHandler;

/**
 * An IDT entry that is a routine of the HAL or the kernel rather than an interrupt object: the
 * clock and IPI handlers, and the unexpected-interrupt routine of unconnected vectors. It carries
 * the symbol and address the debugger shows for it.
 */
public final class IdtRoutine implements InterruptHandler {
  public final String symbol;
  public final long address;
  /** True for the routine of vectors nothing is connected to (KiUnexpectedInterrupt). */
  public final boolean unexpected;
  private final InterruptHandler handler;

  IdtRoutine(String symbol, long address, boolean unexpected, InterruptHandler handler) {
    this.symbol = symbol;
    this.address = address;
    this.unexpected = unexpected;
    this.handler = handler;
  }

  @Override
  public void service(Cpu cpu, int interruptedIrql) {
    handler.service(cpu, interruptedIrql);
  }
}
