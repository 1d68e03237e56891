package org.ntsim.labs;

import org.junit.jupiter.api.Test;

/**
 * Randomized simulation test: the stress lab over many seeds, with the kernel's invariants
 * checked after every CPU slice (safety), then every process must have exited (liveness) and
 * the pools, after all the objects the run made and deleted, must be consistent. The
 * seed picks every parameter, the processor count included; a failure prints the command that
 * replays it.
 */
class StressSimulationTest {
  private static final int SEEDS = 40;

  @Test
  void invariantsHoldAndEveryProcessExits() {
    SeededRuns.run(SEEDS, 4, seed -> 0, StressLab::new, (lab, os, replay) -> os.pool.verify());
  }
}
