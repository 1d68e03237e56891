package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.labs.SeededRuns;
import org.ntsim.labs.VmStressLab;
import org.ntsim.ps.EProcess;

/**
 * Randomised simulation test of the memory manager (DESIGN.md section 6): the vm-stress lab over
 * many seeds on small machines, with the memory manager's full invariant sweep after every
 * operation and after every CPU slice (safety: list counts add up to the frames, every valid or
 * transition PTE's frame names that PTE, share counts, working set counts match the valid
 * pages, commit charge matches the committed pages), every access checked against each
 * thread's model; then liveness: every process exits, and once their objects go every page and
 * every page of commit comes back. The seed picks every parameter; a failure prints the command
 * that replays it.
 */
class MmSimulationTest {
  private static final int SEEDS = 30;

  @Test
  void invariantsHoldEveryAccessMatchesTheModelAndEverythingComesBack() {
    SeededRuns.run(SEEDS, 3, seed -> 4 + 4 * (seed % 4), () -> {
      VmStressLab lab = new VmStressLab();
      lab.verifyEachStep = true;
      return lab;
    }, (lab, os, replay) -> {
      assertThat(lab.firstMismatch()).as(replay).isNull();
      for (EProcess p : lab.processes()) {
        assertThat(p.exitStatus()).as(p.imageName() + " " + replay).isZero();
        os.ob.dereference(p.header());
      }
      os.runFor(20_000_000);
      os.mm.verify();
      assertThat(os.mm.commitTotal()).as(replay).isZero();
      assertThat(os.mm.pfnDatabase().availablePages()).as("every page back: " + replay)
          // the boot directory, its hyperspace, and the frames behind pool pages still in use
          .isEqualTo(os.mm.pfnDatabase().frameCount() - 2
              - os.mm.systemPoolPages().framesInUse());
    });
  }
}
