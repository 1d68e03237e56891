package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;

/**
 * Bug checks (ReactOS's ke/bug.c): KeBugCheckEx records the stop code and its four parameters,
 * stops the machine and unwinds the code that raised it with a {@link BugCheckException}, which
 * the processor loop catches; the console then inspects the stopped machine.
 *
 * <p>Invariants: only the first bug check of a run is recorded and traced; any later one (raised
 * while the first unwinds) only unwinds.
 *
 * <p>Left out: bug check callbacks, the crash dump, and the blue screen itself.
 */
final class BugChecks {
  private final Machine machine;
  private BugCheck bugCheck;

  BugChecks(Machine machine) {
    this.machine = machine;
  }

  /** The bug check that stopped the machine, or null. */
  BugCheck bugCheck() {
    return bugCheck;
  }

  /** KeBugCheckEx: records the stop, stops the machine and unwinds the code that raised it. */
  void bugCheckEx(int code, long p1, long p2, long p3, long p4, String detail) {
    Cpu cpu = machine.activeCpu();
    BugCheck bc = new BugCheck(code, p1, p2, p3, p4, cpu.clockNs(), cpu.index, detail);
    if (bugCheck == null) {
      bugCheck = bc;
      machine.tracer.emit(cpu.clockNs(), cpu.index, TraceKind.BUGCHECK, code, p1, p2);
      machine.stop("bug check " + bc.name());
    }
    throw new BugCheckException(bc);
  }
}
