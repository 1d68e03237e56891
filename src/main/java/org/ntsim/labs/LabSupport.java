package org.ntsim.labs;

import org.ntsim.ps.EThread;
import org.ntsim.win32.Ntos;

/** Instrumentation labs use from inside their guests: the lab's own view, not the guest's. */
final class LabSupport {
  private LabSupport() {}

  /**
   * Keeps thread {@code tid} for the report: takes an object reference so that its counters stay
   * readable after it exits, and names its trace track {@code role}.
   */
  static EThread keep(Ntos os, int tid, String role) {
    EThread t = os.ps.lookupThread(tid);
    os.ob.reference(t.header());
    t.setName(role);
    os.machine.tracer.nameThread(tid, t.process().pid(), role);
    return t;
  }
}
