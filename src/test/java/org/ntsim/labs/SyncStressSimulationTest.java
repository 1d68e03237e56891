package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.hal.Checks;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;

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
    assertThat(Checks.INVARIANTS).as("tests run with -Dntsim.invariants=true").isTrue();
    for (long seed = 1; seed <= SEEDS; seed++) {
      int cpus = 1 + (int) (seed % 4);
      String replay = "SEED=" + seed + " cpus=" + cpus + "  (replay: ./ntsim run sync-stress"
          + " --seed " + seed + " --cpus " + cpus + ")";
      System.out.println(replay);
      MachineConfig c = new MachineConfig();
      c.seed = seed;
      c.cpus = cpus;
      Ntos os = new Ntos(c);
      try {
        SyncStressLab lab = new SyncStressLab();
        lab.start(os);
        Labs.runToEnd(lab, os, lab.timeLimitNs());
        assertThat(os.kernel.bugCheck()).as(replay).isNull();
        assertThat(lab.finished(os)).as("every process ends: " + replay).isTrue();
        assertThat(lab.leftovers(os)).as("nothing left: " + replay).isNull();
      } catch (RuntimeException | Error e) {
        throw new AssertionError(replay, e);
      } finally {
        os.shutdown();
      }
    }
  }
}
