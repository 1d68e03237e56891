package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import org.ntsim.hal.Checks;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;
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
    assertThat(Checks.INVARIANTS).as("tests run with -Dntsim.invariants=true").isTrue();
    for (long seed = 1; seed <= SEEDS; seed++) {
      int cpus = 1 + (int) (seed % 4);
      String replay = "SEED=" + seed + " cpus=" + cpus + " memory=256M  (replay: ./ntsim run"
          + " stress --seed " + seed + " --cpus " + cpus + ")";
      System.out.println(replay);
      MachineConfig c = new MachineConfig();
      c.seed = seed;
      c.cpus = cpus;
      Ntos os = new Ntos(c);
      try {
        StressLab lab = new StressLab();
        lab.start(os);
        Labs.runToEnd(lab, os, lab.timeLimitNs());
        assertThat(os.kernel.bugCheck()).as(replay).isNull();
        assertThat(lab.finished(os)).as("every process exits: " + replay).isTrue();
        os.pool.verify();
      } catch (RuntimeException | Error e) {
        throw new AssertionError(replay, e);
      } finally {
        os.shutdown();
      }
    }
  }
}
