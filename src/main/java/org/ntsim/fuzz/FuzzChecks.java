package org.ntsim.fuzz;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ob.HandleTable;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Ntos;

/**
 * The sweeps run after fuzz calls: the dispatcher's (ready queues, wait blocks, no lost
 * wake-up), the memory manager's (page lists against the PFN database, PTEs against frames and
 * working sets, commit), the pool's, the namespace's, and every handle against its object's
 * counts. Each throws on the first broken invariant.
 */
final class FuzzChecks {
  private final Ntos os;

  FuzzChecks(Ntos os) {
    this.os = os;
  }

  /** Every sweep, throwing on the first broken invariant. */
  void verify() {
    os.kernel.verify();
    os.mm.verify();
    os.pool.verify();
    os.ob.verifyNamespace();
    List<HandleTable> tables = new ArrayList<>();
    for (EProcess p : os.ps.activeProcesses()) {
      tables.add(p.handleTable());
    }
    os.ob.verifyHandleCounts(tables);
  }
}
