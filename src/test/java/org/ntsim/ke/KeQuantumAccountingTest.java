package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.TimeCategory;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;
import org.ntsim.win32.TestOs.Event;

/**
 * Vista's quantum accounting and the quantum table (Windows Internals 5th ed., ch. 5, "Quantum
 * Accounting" and "Controlling the Quantum"): a quantum target of QuantumReset units times
 * KiCyclesPerClockQuantum, charged with the cycles the thread ran and not the interrupts and DPCs
 * that ran meanwhile, quantum end found at a clock tick; the foreground process's quantum three
 * times a background one's under a client's Win32PrioritySeparation of 2.
 */
class KeQuantumAccountingTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EThread cpuBound(EProcess p, String name, long ns) {
    EThread t = sys.suspendedThread(p, name, 8, () -> {
      sys.compute(ns);
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, 1);
    sys.os.ps.startThread(t);
    return t;
  }

  @Test
  void aQuantumUnitIsAThirdOfTheCyclesInOneClockInterval() {
    sys = TestOs.boot(1);
    // 15.625 ms at 2,000 cycles a microsecond: 31,250,000 cycles a tick, a third of it a unit.
    assertThat(sys.os.kernel.cyclesPerQuantumUnit()).isEqualTo(31_250_000L / 3);
    assertThat(sys.os.kernel.quantumInCycles()).isTrue();
  }

  @Test
  void aNewThreadsQuantumTargetIsQuantumResetTimesCyclesPerQuantumUnit() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread a = sys.suspendedThread(p, "a", 8, () -> 0);

    assertThat(a.quantumTargetCycles())
        .isEqualTo(p.quantumReset() * sys.os.kernel.cyclesPerQuantumUnit());
  }

  @Test
  void theCyclesChargedAreTheThreadsUserAndKernelTimeWithoutInterruptTime() {
    sys = TestOs.boot(1);
    EThread a = cpuBound(sys.process("t.exe"), "a", 400 * MS);
    sys.runFor(10 * sys.tickNs);

    assertThat(sys.os.kernel.threadCycleTime(a))
        .isEqualTo((a.exactUserNs() + a.exactKernelNs()) * 2_000 / 1_000);
    assertThat(sys.os.machine.cpu(0).exactNs(TimeCategory.INTERRUPT)).isPositive();
  }

  @Test
  void quantumEndIsFoundOnlyAtAClockTick() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    cpuBound(p, "a", 400 * MS);
    cpuBound(p, "b", 400 * MS);
    sys.runFor(12 * sys.tickNs);

    List<Event> ticks = sys.events(TraceKind.CLOCK_TICK);
    List<Event> ends = sys.events(TraceKind.QUANTUM_END);
    assertThat(ends).isNotEmpty();
    for (Event end : ends) {
      Event tick = ticks.stream().filter(t -> t.timeNs() <= end.timeNs())
          .reduce((x, y) -> y).orElseThrow();
      // the DISPATCH_LEVEL interrupt the tick asked for, right behind it
      assertThat(end.timeNs() - tick.timeNs()).isLessThan(10_000);
    }
  }

  @Test
  void aTurnLastsThreeTicksBecauseTheClockInterruptsTimeIsNotCharged() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread a = cpuBound(p, "a", 400 * MS);
    EThread b = cpuBound(p, "b", 400 * MS);
    sys.runFor(30 * sys.tickNs);

    // Two ticks' worth of cycles is not reached at the second tick of a turn: the clock
    // interrupts took some of that time, and Vista does not charge it ("the actual clock time
    // might be longer", Windows Internals 5th ed.), so the third tick ends the quantum.
    List<Long> charged = new ArrayList<>();
    for (Event tick : sys.events(TraceKind.CLOCK_TICK)) {
      charged.add(tick.c());
    }
    int firstB = charged.indexOf(b.tid());
    List<Long> rotation = charged.subList(firstB, firstB + 18);
    for (int i = 0; i < rotation.size(); i++) {
      assertThat(rotation.get(i)).as("tick %d after b first ran", i)
          .isEqualTo((i / 3) % 2 == 0 ? b.tid() : a.tid());
    }
  }

  @Test
  void underTickAccountingInterruptTimeCountsAgainstTheQuantum() {
    MachineConfig c = TestOs.config(1);
    c.quantumAccounting = MachineConfig.QUANTUM_TICKS;
    sys = TestOs.boot(c);
    EThread a = cpuBound(sys.process("t.exe"), "a", 400 * MS);
    sys.runFor(3 * sys.tickNs);

    assertThat(sys.os.kernel.quantumInCycles()).isFalse();
    assertThat(a.quantumTargetCycles()).isZero();
    // Every tick took 3 units, whatever part of the interval the thread actually ran.
    assertThat(a.quantum() % 3).isZero();
  }

  @Test
  void noProcessIsInTheForegroundByDefault() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");

    assertThat(sys.os.kernel.foregroundProcess()).isNull();
    assertThat(p.isForeground()).isFalse();
    assertThat(p.quantumReset()).isEqualTo(6);
  }

  @Test
  void theForegroundProcessGetsThreeTimesTheBackgroundQuantumOnAClient() {
    sys = TestOs.boot(1);
    EProcess fg = sys.process("fg.exe");
    EProcess bg = sys.process("bg.exe");
    sys.os.kernel.setForegroundProcess(fg);

    assertThat(sys.os.kernel.prioritySeparation()).isEqualTo(2);
    assertThat(fg.quantumReset()).isEqualTo(18);
    assertThat(bg.quantumReset()).isEqualTo(6);
  }

  @Test
  void aProcessLeavingTheForegroundGetsTheBackgroundQuantumBack() {
    sys = TestOs.boot(1);
    EProcess first = sys.process("first.exe");
    EProcess second = sys.process("second.exe");
    sys.os.kernel.setForegroundProcess(first);
    sys.os.kernel.setForegroundProcess(second);

    assertThat(first.isForeground()).isFalse();
    assertThat(first.quantumReset()).isEqualTo(6);
    assertThat(second.quantumReset()).isEqualTo(18);
  }

  @Test
  void aForegroundThreadRunsAStretchedQuantumOfSixTicksWorthOfCycles() {
    sys = TestOs.boot(1);
    EProcess fg = sys.process("fg.exe");
    sys.os.kernel.setForegroundProcess(fg);
    EThread a = cpuBound(fg, "a", 400 * MS);
    EThread b = cpuBound(fg, "b", 400 * MS);
    sys.runFor(30 * sys.tickNs);

    // 18 units are six ticks of cycles: found at the seventh tick of each turn.
    List<Long> charged = new ArrayList<>();
    for (Event tick : sys.events(TraceKind.CLOCK_TICK)) {
      charged.add(tick.c());
    }
    int firstB = charged.indexOf(b.tid());
    List<Long> rotation = charged.subList(firstB, firstB + 14);
    for (int i = 0; i < rotation.size(); i++) {
      assertThat(rotation.get(i)).as("tick %d after b first ran", i)
          .isEqualTo((i / 7) % 2 == 0 ? b.tid() : a.tid());
    }
  }

  @Test
  void longFixedQuantaGiveEveryProcessThirtySixUnits() {
    MachineConfig c = TestOs.config(1);
    c.win32PrioritySeparation = 0x18; // long (bits 4-5 = 1), fixed (bits 2-3 = 2)
    sys = TestOs.boot(c);
    EProcess fg = sys.process("fg.exe");
    EProcess bg = sys.process("bg.exe");
    sys.suspendedThread(bg, "t", 8, () -> 0);
    sys.os.kernel.setForegroundProcess(fg);

    assertThat(fg.quantumReset()).isEqualTo(36);
    assertThat(bg.quantumReset()).isEqualTo(36);
  }
}
