package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invariant sweep accepts a consistent kernel and catches each kind of corruption. */
class KernelVerifierTest {
  private Ntos os;

  @BeforeEach
  void boot() {
    MachineConfig c = new MachineConfig();
    c.cpus = 1;
    os = new Ntos(c);
    for (int i = 0; i < 3; i++) {
      os.launch("spin" + i + ".exe", ctx -> {
        while (true) {
          ctx.compute(1_000_000);
        }
      });
    }
    os.runFor(50_000_000);
  }

  @AfterEach
  void shutdown() {
    os.shutdown();
  }

  @Test
  void consistentKernelPasses() {
    assertThatCode(() -> os.kernel.verify()).doesNotThrowAnyException();
  }

  @Test
  void readySummaryBitWithoutThreadsIsCaught() {
    os.kernel.prcb(0).readySummary |= 1 << 30;
    assertThatThrownBy(() -> os.kernel.verify()).hasMessageContaining("ready summary bit 30");
  }

  @Test
  void readyThreadInWrongStateIsCaught() {
    KPrcb p = os.kernel.prcb(0);
    KThread t = p.readyHead[p.highestReadyPriority()];
    t.state = ThreadState.WAITING;
    assertThatThrownBy(() -> os.kernel.verify()).hasMessageContaining("in a ready queue is");
  }

  @Test
  void wrongReadyCountIsCaught() {
    os.kernel.prcb(0).readyCount++;
    assertThatThrownBy(() -> os.kernel.verify()).hasMessageContaining("ready count");
  }

  /** A waiter left on a signalled event (its wake-up lost) is caught. */
  @Test
  void lostWakeUpIsCaught() {
    KEvent e = new KEvent(true, false, 0);
    os.launch("waiter.exe", ctx -> {
      os.kernel.waitForSingleObject(e, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false, -1);
      return 0;
    });
    os.runFor(500_000_000);
    assertThat(e.waitBlocks()).as("the waiter waits").isNotEmpty();
    assertThatCode(() -> os.kernel.verify()).doesNotThrowAnyException();
    e.signalState = 1; // signalled without the wait test that would release the waiter
    assertThatThrownBy(() -> os.kernel.verify()).hasMessageContaining("lost wake-up");
  }
}
