package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;

/**
 * The quantum lab's measurements against Windows Internals 5th ed., ch. 5, "Quantum Accounting"
 * (XP charges a clock tick's third of a quantum whatever ran in the interval; Vista charges the
 * thread's own cycles) and "Controlling the Quantum" (a client's foreground quantum is three
 * times a background one).
 */
class QuantumLabTest {
  private static final double INTERVAL_MS = 15.625;
  private static Ntos os;
  private static QuantumLab lab;

  @BeforeAll
  static void runTheLab() {
    MachineConfig c = new MachineConfig();
    c.seed = 1;
    os = new Ntos(c);
    lab = new QuantumLab();
    lab.start(os);
    Labs.runToEnd(lab, os, lab.timeLimitNs());
  }

  @AfterAll
  static void shutDown() {
    os.shutdown();
  }

  @Test
  void theLabFinishesAndEveryThreadIsMeasured() {
    assertThat(lab.finished(os)).isTrue();
    assertThat(os.machine.stopped()).isFalse();
    for (QuantumLab.Cruncher[] pair : new QuantumLab.Cruncher[][] {lab.ticks, lab.cycles,
        lab.foreground}) {
      for (QuantumLab.Cruncher c : pair) {
        assertThat(c.measured).as(c.role).isTrue();
      }
    }
  }

  @Test
  void underTickAccountingAQuantumIsTwoTicksAndTheDeviceTakesItsShareOfIt() {
    QuantumLab.Cruncher a = lab.ticks[0];
    assertThat(a.interruptShare()).isBetween(0.3, 0.5);
    assertThat(a.ticksPerQuantum()).isEqualTo(2.0);
    assertThat(a.cpuPerQuantumMs())
        .isCloseTo(2 * INTERVAL_MS * (1 - a.interruptShare()), org.assertj.core.data.Offset
            .offset(0.5));
  }

  @Test
  void underCycleAccountingTheThreadGetsItsWholeQuantumTarget() {
    QuantumLab.Cruncher a = lab.cycles[0];
    assertThat(a.interruptShare()).isBetween(0.3, 0.5);
    assertThat(a.cpuPerQuantumMs()).isGreaterThanOrEqualTo(2 * INTERVAL_MS)
        .isLessThan(3 * INTERVAL_MS);
  }

  @Test
  void theForegroundProcessHasThreeTimesTheBackgroundQuantum() {
    QuantumLab.Cruncher fg = lab.foreground[0];
    QuantumLab.Cruncher bg = lab.foreground[1];
    assertThat(fg.quantumReset).isEqualTo(18);
    assertThat(bg.quantumReset).isEqualTo(6);
    assertThat(fg.cpuPerQuantumMs()).isGreaterThanOrEqualTo(6 * INTERVAL_MS);
    assertThat(bg.cpuPerQuantumMs()).isGreaterThanOrEqualTo(2 * INTERVAL_MS);
  }

  @Test
  void theLabLeavesTheConfiguredAccountingAndNoForegroundProcess() {
    assertThat(os.kernel.quantumInCycles()).isTrue();
    assertThat(os.kernel.foregroundProcess()).isNull();
  }
}
