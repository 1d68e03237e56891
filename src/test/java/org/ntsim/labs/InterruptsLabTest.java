package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsim.hal.Irql;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.NtStatus;
import org.ntsim.win32.Ntos;

/** The interrupts lab's results, over several seeds and machine sizes. */
class InterruptsLabTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 7, 42})
  void everyRequestIsClaimedByItsOwnIsrAndCompletedByItsDpc(long seed) {
    for (int cpus : new int[] {1, 2, 4}) {
      MachineConfig c = new MachineConfig();
      c.seed = seed;
      c.cpus = cpus;
      Ntos os = new Ntos(c);
      try {
        InterruptsLab lab = new InterruptsLab();
        lab.start(os);
        Labs.runToEnd(lab, os, lab.timeLimitNs());
        assertThat(lab.finished(os)).as("cpus=" + cpus).isTrue();
        assertThat(os.machine.ioApic.raisedCount(InterruptsLab.LINE))
            .isEqualTo(2L * InterruptsLab.REQUESTS);
        for (InterruptsLab.Driver d : lab.drivers()) {
          assertThat(d.connectStatus).isEqualTo(NtStatus.STATUS_SUCCESS);
          assertThat(d.eventStatus).isEqualTo(NtStatus.STATUS_SUCCESS);
          assertThat(d.completed).as(d.name).isEqualTo(InterruptsLab.REQUESTS);
          assertThat(d.claims).as(d.name).isEqualTo(InterruptsLab.REQUESTS);
          assertThat(d.dpcRuns).as(d.name).isEqualTo(InterruptsLab.REQUESTS);
          assertThat(d.isrCalls).as("latched: a second pass after each claim")
              .isGreaterThanOrEqualTo(2L * d.claims);
          assertThat(d.isrIrql).isEqualTo(InterruptsLab.DIRQL);
          assertThat(d.dpcIrql).isEqualTo(Irql.DISPATCH_LEVEL);
          assertThat(d.interrupt.isConnected()).as("disconnected at the end").isFalse();
        }
        assertThat(os.kernel.prcb(0).unexpectedInterrupts()).isZero();
      } finally {
        os.shutdown();
      }
    }
  }
}
