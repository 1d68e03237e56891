package org.ntsim.labs;

import org.ntsim.ke.NtStatus;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.WinError;
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

  /** How process {@code p} ended, from its exit time and status: what a report says of it. */
  static String outcome(EProcess p) {
    if (p.exitTimeNs() < 0) {
      return p.imageName() + " is still running";
    }
    int status = p.exitStatus();
    String name = status == NtStatus.STATUS_ACCESS_VIOLATION ? " (STATUS_ACCESS_VIOLATION)" : "";
    return String.format("%s exited at %s with status 0x%08X%s", p.imageName(),
        ThreadTable.ms(p.exitTimeNs()), status, name);
  }

  /** A Win32 error code as its name, for the errors the labs' guests meet. */
  static String errorName(int error) {
    return switch (error) {
      case WinError.ERROR_NOT_ENOUGH_MEMORY -> "ERROR_NOT_ENOUGH_MEMORY";
      case WinError.ERROR_COMMITMENT_LIMIT -> "ERROR_COMMITMENT_LIMIT";
      case WinError.ERROR_INVALID_PARAMETER -> "ERROR_INVALID_PARAMETER";
      default -> "error " + error;
    };
  }
}
