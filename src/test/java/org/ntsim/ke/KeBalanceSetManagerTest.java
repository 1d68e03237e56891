package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.TestOs;

/**
 * The balance set manager's own wait and its kernel-stack outswap (Windows Internals 5th ed.,
 * ch. 5, "Balance Set Manager and Swapper"; WRK's KeBalanceSetManager): a wait with reason
 * Executive on its periodic timer and the working-set manager's event; stacks of threads in a
 * user-mode wait go after 15 seconds (3 on a small-memory system), looked for every 8 seconds
 * (4), at most 5 at a time. The zero page thread at priority 0 from its start.
 */
class KeBalanceSetManagerTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EThread systemThread(String name) {
    return sys.os.ps.systemProcess().threads().stream().filter(t -> t.name().equals(name))
        .findFirst().orElseThrow();
  }

  private EThread userWaiter(EProcess p, KEvent event) {
    EThread t = sys.thread(p, "waiter", 8, () -> {
      sys.waitFor(event);
      return 0;
    });
    return t;
  }

  @Test
  void itWaitsWithReasonExecutiveOnItsTimerAndTheWorkingSetManagersEvent() {
    sys = TestOs.boot(1);
    EThread bsm = systemThread("BalanceSetManager");

    assertThat(bsm.state()).isEqualTo(ThreadState.WAITING);
    assertThat(bsm.waitReason()).isEqualTo(WaitReason.EXECUTIVE);
    assertThat(bsm.currentWaitBlocks()).extracting(b -> b.object().typeName())
        .containsExactly("SynchronizationTimer", "SynchronizationEvent");
  }

  @Test
  void theZeroPageThreadRunsAtPriorityZeroOnceItHasStarted() {
    sys = TestOs.boot(1);
    EThread zero = systemThread("ZeroPageThread");

    assertThat(zero.priority()).isZero();
    assertThat(zero.basePriority()).isZero();
  }

  @Test
  void aLargeSystemOutswapsAStackAfterFifteenSecondsAtAnEightSecondScan() {
    sys = TestOs.boot(1);
    EThread waiter = userWaiter(sys.process("t.exe"), sys.synchronizationEvent());
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.WAITING, MS)).isTrue();

    sys.runFor(15_000 * MS);
    assertThat(waiter.kernelStackResident()).isTrue();
    assertThat(sys.runUntil(() -> !waiter.kernelStackResident(), 2_000 * MS, 10 * MS)).isTrue();
    // the scan at 16 seconds, the second of a scan every 8
    assertThat(sys.nowNs()).isBetween(16_000 * MS, 16_100 * MS);
  }

  @Test
  void aSmallSystemOutswapsAStackAfterThreeSecondsAtAFourSecondScan() {
    MachineConfig c = TestOs.config(1);
    c.memoryBytes = 12L << 20; // at most 13 MiB: MmSmallSystem
    sys = TestOs.boot(c);
    EThread waiter = userWaiter(sys.process("t.exe"), sys.synchronizationEvent());
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.WAITING, MS)).isTrue();

    assertThat(sys.runUntil(() -> !waiter.kernelStackResident(), 5_000 * MS, 10 * MS)).isTrue();
    assertThat(sys.nowNs()).isBetween(4_000 * MS, 4_100 * MS);
  }

  @Test
  void aScanOutswapsAtMostFiveStacks() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    for (int i = 0; i < 7; i++) {
      userWaiter(p, event);
    }

    assertThat(sys.runUntil(() -> sys.os.kernel.stacksOutswapped() > 0, 17_000 * MS, 10 * MS))
        .isTrue();
    assertThat(sys.os.kernel.stacksOutswapped()).isEqualTo(BalanceSetManager.MAXIMUM_THREAD_STACKS);
    sys.runFor(8_100 * MS);
    assertThat(sys.os.kernel.stacksOutswapped()).isEqualTo(7);
  }

  @Test
  void aScanLooksAtTheThreadsOfOneProcessor() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    for (int cpu = 0; cpu < 2; cpu++) {
      EThread t = sys.suspendedThread(p, "waiter" + cpu, 8, () -> {
        sys.waitFor(event);
        return 0;
      });
      sys.os.kernel.setAffinityThread(t, 1L << cpu);
      sys.os.ps.startThread(t);
    }

    assertThat(sys.runUntil(() -> sys.os.kernel.stacksOutswapped() > 0, 17_000 * MS, 10 * MS))
        .isTrue();
    assertThat(sys.os.kernel.stacksOutswapped()).isEqualTo(1);
    sys.runFor(8_100 * MS);
    assertThat(sys.os.kernel.stacksOutswapped()).isEqualTo(2);
  }
}
