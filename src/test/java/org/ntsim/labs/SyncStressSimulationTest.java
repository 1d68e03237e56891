package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Randomized simulation test of dispatcher objects, waits, APCs, suspension, termination and
 * handles: the sync-stress lab over many seeds with the kernel's invariants checked after every
 * slice (no lost wake-up, every wait block on exactly its object's list, owned mutants listed by
 * their owners, ready queues consistent); then every process must have ended (liveness), and
 * every object it made must be deleted, every handle closed, no name left behind (reference
 * counts back to zero). The seed picks every parameter, the processor count included; a failure
 * prints the command that replays it.
 */
class SyncStressSimulationTest {
  private static final int SEEDS = 60;

  @Test
  void invariantsHoldAndEverythingIsReleased() {
    SeededRuns.run(SEEDS, 4, seed -> 0, SyncStressLab::new, (lab, os, replay) -> {
      assertThat(lab.leftovers(os)).as("nothing left: " + replay).isNull();
      os.pool.verify();
    });
  }
}
