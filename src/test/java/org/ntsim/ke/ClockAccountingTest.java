package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.TimeCategory;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.TestOs;

/**
 * KeUpdateRunTime's sampling of CPU time at clock ticks (seed 003, "IRQLs and CPU time
 * accounting"): each tick charges one interval to whatever it interrupts, by IRQL and mode, so
 * that a thread running between two ticks is never charged, while ntsim's exact measure sees it.
 */
class ClockAccountingTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  @Test
  void threadThatRunsBetweenTicksAndWaitsIsNeverCharged() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("sneaky.exe");
    long computeNs = 10 * MS; // less than a clock interval (15.625 ms)
    EThread sneaky = sys.thread(p, "sneaky", 8, () -> {
      for (int i = 0; i < 20; i++) {
        // A 1 ms delay ends at the next clock tick: the thread runs just after it.
        sys.os.kernel.delayExecution(Kernel.USER_MODE, false, MS);
        sys.compute(computeNs);
      }
      return 0;
    });
    assertThat(sys.runUntil(() -> sneaky.state() == ThreadState.TERMINATED, 1000 * MS, MS))
        .isTrue();

    assertThat(sneaky.userTicks()).isZero();
    assertThat(sneaky.kernelTicks()).isZero();
    assertThat(sneaky.exactUserNs()).isGreaterThanOrEqualTo(20 * computeNs);
    assertThat(p.userTicks() + p.kernelTicks()).isZero();
  }

  @Test
  void cpuBoundThreadIsChargedAboutItsExactTimeInTicks() {
    sys = TestOs.boot(1);
    EThread hog = sys.thread(sys.process("hog.exe"), "hog", 8, () -> {
      sys.compute(500 * MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> hog.state() == ThreadState.TERMINATED, 1000 * MS, MS)).isTrue();

    double exactTicks = (double) hog.exactUserNs() / sys.tickNs;
    assertThat(exactTicks).isGreaterThanOrEqualTo(32.0); // 500 ms / 15.625 ms
    assertThat((double) hog.userTicks()).isCloseTo(exactTicks, within(1.0));
    assertThat(hog.kernelTicks()).isZero();
  }

  @Test
  void ticksDuringKernelModeAreChargedAsKernelTime() {
    sys = TestOs.boot(1);
    EThread caller = sys.thread(sys.process("t.exe"), "caller", 8, () -> {
      sys.os.kernel.setKernelMode(true); // a long system call
      sys.compute(100 * MS);
      sys.os.kernel.setKernelMode(false);
      return 0;
    });
    assertThat(sys.runUntil(() -> caller.state() == ThreadState.TERMINATED, 1000 * MS, MS))
        .isTrue();

    assertThat(caller.kernelTicks()).isBetween(5L, 7L); // 100 ms / 15.625 ms = 6.4
    assertThat(caller.userTicks()).isZero();
    assertThat(caller.exactKernelNs()).isGreaterThanOrEqualTo(100 * MS);
  }

  @Test
  void tickThatLandsInADpcIsChargedToDpcTimeNotToTheInterruptedThread() {
    sys = TestOs.boot(1);
    Kdpc slow = sys.os.kernel.initializeDpc("slow", (d, ctx, a1, a2) -> sys.compute(40 * MS),
        null, sys.os.kernel.staticAddress(0x20));
    EThread driver = sys.systemThread("driver", 8, () -> {
      sys.os.kernel.insertQueueDpc(slow, null, null);
      return 0;
    });
    sys.runFor(100 * MS);

    KPrcb prcb = sys.os.kernel.prcb(0);
    assertThat(prcb.dpcTicks()).isBetween(2L, 3L); // 40 ms / 15.625 ms = 2.56
    assertThat(driver.kernelTicks() + driver.userTicks()).isZero();
    assertThat(sys.os.machine.cpu(0).exactNs(TimeCategory.DPC))
        .isGreaterThanOrEqualTo(40 * MS);
  }

  @Test
  void idleProcessorTicksAreChargedAsIdle() {
    sys = TestOs.boot(2);
    sys.runFor(100 * MS);

    for (int cpu = 0; cpu < 2; cpu++) {
      KPrcb prcb = sys.os.kernel.prcb(cpu);
      assertThat(prcb.idleTicks()).isEqualTo(sys.os.kernel.tickCount());
      assertThat(prcb.userTicks() + prcb.kernelTicks() + prcb.dpcTicks()).isZero();
      assertThat(prcb.idleThread().kernelTicks()).isEqualTo(prcb.idleTicks());
    }
  }
}
