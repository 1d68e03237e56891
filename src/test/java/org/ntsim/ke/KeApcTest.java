package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Irql;
import org.ntsim.win32.TestOs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** APC delivery rules of seed 003 slides 5-6, at the kernel interface. */
class KeApcTest {
  private TestOs sys;

  @AfterEach
  void close() {
    if (sys != null) {
      sys.close();
    }
  }

  private static final long FOREVER = Long.MAX_VALUE / 4;

  @Test
  void aSpecialKernelApcInterruptsANonAlertableWaitWhichThenGoesOn() {
    sys = TestOs.boot(1);
    KEvent never = sys.notificationEvent();
    List<String> log = new ArrayList<>();
    int[] status = {-1};
    KThread t = sys.systemThread("waiter", 8, () -> {
      status[0] = sys.os.kernel.waitForSingleObject(never, WaitReason.EXECUTIVE,
          Kernel.KERNEL_MODE, false, 30 * TestOs.MS);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(2 * TestOs.MS);
    Kapc apc = sys.os.kernel.objects.initializeApc(t, "special",
        a -> log.add("special at IRQL " + sys.os.machine.activeCpu().irql()), null, null,
        Kernel.KERNEL_MODE, 0x2000);
    sys.systemThread("queuer", 9, () -> {
      sys.os.kernel.objects.insertQueueApc(apc, null, null, 0);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(10 * TestOs.MS);
    assertThat(log).containsExactly("special at IRQL " + Irql.APC_LEVEL);
    assertThat(t.state()).as("back in its wait").isEqualTo(ThreadState.WAITING);
    sys.runFor(40 * TestOs.MS);
    assertThat(status[0]).as("the original timeout still holds").isEqualTo(NtStatus.STATUS_TIMEOUT);
  }

  @Test
  void aNormalKernelApcWaitsForTheCriticalRegionToEnd() {
    sys = TestOs.boot(1);
    List<String> log = new ArrayList<>();
    KThread[] self = new KThread[1];
    self[0] = sys.systemThread("worker", 8, () -> {
      KeObjects ke = sys.os.kernel.objects;
      ke.enterCriticalRegion();
      ke.insertQueueApc(ke.initializeApc(self[0], "normal", a -> log.add("kernel routine"),
          (c, a1, a2) -> log.add("normal routine"), null, Kernel.KERNEL_MODE, 0x2000),
          null, null, 0);
      sys.os.kernel.spend(TestOs.MS);
      log.add("leaving region");
      ke.leaveCriticalRegion();
      log.add("after region");
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(10 * TestOs.MS);
    assertThat(log).containsExactly("leaving region", "kernel routine", "normal routine",
        "after region");
  }

  @Test
  void aUserApcWaitsForAnAlertableUserModeWait() {
    sys = TestOs.boot(1);
    List<String> log = new ArrayList<>();
    int[] statuses = new int[2];
    KThread t = sys.systemThread("waiter", 8, () -> {
      statuses[0] = sys.os.kernel.delayExecution(Kernel.USER_MODE, false, 10 * TestOs.MS);
      statuses[1] = sys.os.kernel.delayExecution(Kernel.USER_MODE, true, FOREVER);
      log.add("wait returned");
      sys.os.kernel.objects.deliverUserApcs();
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(TestOs.MS);
    sys.systemThread("queuer", 9, () -> {
      KeObjects ke = sys.os.kernel.objects;
      for (String n : new String[] {"first", "second"}) {
        ke.insertQueueApc(ke.initializeApc(t, n, null, (c, a1, a2) -> log.add(n), null,
            Kernel.USER_MODE, 0x2000), null, null, 0);
      }
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(5 * TestOs.MS);
    assertThat(log).as("nothing while the wait is not alertable").isEmpty();
    sys.runFor(40 * TestOs.MS);
    assertThat(statuses[0]).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(statuses[1]).as("an alertable wait entered with an APC queued")
        .isEqualTo(NtStatus.STATUS_USER_APC);
    assertThat(log).containsExactly("wait returned", "first", "second");
  }

  @Test
  void aSuspendedThreadStopsAndResumes() {
    sys = TestOs.boot(1);
    long[] progress = {0};
    KThread t = sys.systemThread("spinner", 8, () -> {
      while (true) {
        sys.os.kernel.spend(100 * TestOs.US);
        progress[0]++;
      }
    });
    sys.runFor(5 * TestOs.MS);
    sys.systemThread("controller", 9, () -> {
      assertThat(sys.os.kernel.objects.suspendThread(t)).isZero();
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(2 * TestOs.MS);
    long frozen = progress[0];
    sys.runFor(20 * TestOs.MS);
    assertThat(progress[0]).as("no progress while suspended").isEqualTo(frozen);
    assertThat(t.state()).isEqualTo(ThreadState.WAITING);
    assertThat(t.waitReason()).isEqualTo(WaitReason.SUSPENDED);
    sys.systemThread("resumer", 9, () -> {
      assertThat(sys.os.kernel.objects.resumeThread(t)).isEqualTo(1);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(10 * TestOs.MS);
    assertThat(progress[0]).isGreaterThan(frozen);
  }

  @Test
  void anOwnerThatEndsAbandonsItsMutant() {
    sys = TestOs.boot(1);
    KMutant[] m = new KMutant[1];
    int[] status = {-1};
    sys.systemThread("owner", 8, () -> {
      m[0] = sys.os.kernel.objects.initializeMutant(true, false, 0x3000);
      return 0; // ends while owning it
    });
    sys.runFor(2 * TestOs.MS);
    assertThat(m[0].abandoned()).isTrue();
    assertThat(m[0].owner()).isNull();
    sys.systemThread("next", 8, () -> {
      status[0] = sys.os.kernel.waitForSingleObject(m[0], WaitReason.EXECUTIVE,
          Kernel.KERNEL_MODE, false, -1);
      sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, FOREVER);
      return 0;
    });
    sys.runFor(2 * TestOs.MS);
    assertThat(status[0]).isEqualTo(NtStatus.STATUS_ABANDONED_WAIT_0);
    assertThat(m[0].abandoned()).as("an ordinary mutant again").isFalse();
  }
}
