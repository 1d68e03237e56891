package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Irql;
import org.ntsim.ps.EThread;
import org.ntsim.ps.ThreadStart;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;
import org.ntsim.win32.TestOs.Event;

/**
 * KeBugCheckEx for the wait rules of KeWaitForSingleObject ("Callers ... must be running at IRQL
 * &lt;= DISPATCH_LEVEL. However, if Timeout = NULL or *Timeout != 0, the caller must be running at
 * IRQL &lt;= APC_LEVEL and in a nonarbitrary thread context"): a stop with NT's code and
 * parameters, the machine halted, and the host call that ran it returning normally.
 */
class KeBugCheckTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EThread driverThread(ThreadStart body) {
    return sys.systemThread("driver", 8, body);
  }

  @Test
  void waitInADpcRoutineIsAttemptedSwitchFromDpc() {
    sys = TestOs.boot(1);
    KEvent event = sys.synchronizationEvent();
    Kdpc dpc = sys.os.kernel.initializeDpc("bad", (d, ctx, a1, a2) ->
        sys.os.kernel.waitForSingleObject(event, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false,
            -1), null, sys.os.kernel.staticAddress(0x20));
    EThread driver = driverThread(() -> {
      sys.os.kernel.insertQueueDpc(dpc, null, null);
      sys.compute(MS);
      return 0;
    });

    sys.runFor(10 * MS); // returns normally

    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc).isNotNull();
    assertThat(bc.code()).isEqualTo(0xB8);
    assertThat(bc.name()).isEqualTo("ATTEMPTED_SWITCH_FROM_DPC");
    // Parameter 1: the original thread; 2: the new thread (nothing else is ready: idle).
    assertThat(bc.p1()).isEqualTo(driver.address);
    assertThat(bc.p2()).isEqualTo(sys.os.kernel.prcb(0).idleThread().address);
    assertThat(sys.os.machine.stopped()).isTrue();
    assertThat(sys.os.machine.stopReason()).contains("ATTEMPTED_SWITCH_FROM_DPC");
    List<Event> stops = sys.events(TraceKind.BUGCHECK);
    assertThat(stops).hasSize(1);
    assertThat(stops.get(0).a()).isEqualTo(0xB8);
  }

  /** A DPC whose routine runs {@code body}, queued by a driver thread. */
  private void queueDpcRunning(Runnable body) {
    Kdpc dpc = sys.os.kernel.initializeDpc("bad", (d, ctx, a1, a2) -> body.run(), null,
        sys.os.kernel.staticAddress(0x20));
    driverThread(() -> {
      sys.os.kernel.insertQueueDpc(dpc, null, null);
      sys.compute(MS);
      return 0;
    });
  }

  @Test
  void delayExecutionInADpcRoutineIsAttemptedSwitchFromDpc() {
    // learn.microsoft.com, "Bug Check 0xB8: ATTEMPTED_SWITCH_FROM_DPC": its causes are a wait, a
    // process attach or a yield in a DPC routine.
    sys = TestOs.boot(1);
    queueDpcRunning(() -> sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, MS));

    sys.runFor(10 * MS);

    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(BugCheck.ATTEMPTED_SWITCH_FROM_DPC);
  }

  @Test
  void processAttachInADpcRoutineIsAttemptedSwitchFromDpc() {
    sys = TestOs.boot(1);
    KProcess target = sys.process("t.exe");
    queueDpcRunning(() -> sys.os.kernel.stackAttachProcess(target));

    sys.runFor(10 * MS);

    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(BugCheck.ATTEMPTED_SWITCH_FROM_DPC);
  }

  @Test
  void yieldInADpcRoutineIsAttemptedSwitchFromDpc() {
    sys = TestOs.boot(1);
    queueDpcRunning(() -> sys.os.kernel.yieldExecution());

    sys.runFor(10 * MS);

    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(BugCheck.ATTEMPTED_SWITCH_FROM_DPC);
  }

  @Test
  void threadWaitingAtDispatchLevelWithATimeoutIsIrqlNotLessOrEqual() {
    sys = TestOs.boot(1);
    KEvent event = sys.synchronizationEvent();
    driverThread(() -> {
      sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      sys.os.kernel.waitForSingleObject(event, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false,
          10 * MS);
      return 0;
    });

    sys.runFor(10 * MS);

    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc).isNotNull();
    assertThat(bc.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(bc.code()).isEqualTo(0xA);
    assertThat(bc.p1()).isEqualTo(event.address); // memory referenced
    assertThat(bc.p2()).isEqualTo(Irql.DISPATCH_LEVEL); // IRQL at the time
    assertThat(sys.os.machine.stopped()).isTrue();
  }

  @Test
  void stoppedMachineDoesNotRunAnyProcessorAgain() {
    sys = TestOs.boot(2);
    KEvent event = sys.synchronizationEvent();
    sys.thread(sys.process("busy.exe"), "busy", 8, () -> {
      sys.compute(100 * MS);
      return 0;
    });
    driverThread(() -> {
      sys.compute(MS);
      sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      sys.os.kernel.waitForSingleObject(event, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false,
          MS);
      return 0;
    });
    sys.runFor(10 * MS);
    assertThat(sys.os.machine.stopped()).isTrue();
    long now = sys.os.machine.nowNs();
    long[] clocks = {sys.os.machine.cpu(0).clockNs(), sys.os.machine.cpu(1).clockNs()};
    long events = sys.os.machine.tracer.eventCount();

    sys.runFor(10 * MS);

    assertThat(sys.os.machine.nowNs()).isEqualTo(now);
    assertThat(sys.os.machine.cpu(0).clockNs()).isEqualTo(clocks[0]);
    assertThat(sys.os.machine.cpu(1).clockNs()).isEqualTo(clocks[1]);
    assertThat(sys.os.machine.tracer.eventCount()).isEqualTo(events);
  }

  @Test
  void dpcRoutineMayTestAnObjectWithAZeroTimeout() {
    sys = TestOs.boot(1);
    KEvent unsignalled = sys.synchronizationEvent();
    KEvent signalled = new KEvent(false, true, sys.os.kernel.staticAddress(0x10));
    int[] statuses = new int[2];
    Kdpc dpc = sys.os.kernel.initializeDpc("poll", (d, ctx, a1, a2) -> {
      statuses[0] = sys.os.kernel.waitForSingleObject(unsignalled, WaitReason.EXECUTIVE,
          Kernel.KERNEL_MODE, false, 0);
      statuses[1] = sys.os.kernel.waitForSingleObject(signalled, WaitReason.EXECUTIVE,
          Kernel.KERNEL_MODE, false, 0);
    }, null, sys.os.kernel.staticAddress(0x20));
    driverThread(() -> {
      sys.os.kernel.insertQueueDpc(dpc, null, null);
      return 0;
    });

    sys.runFor(10 * MS);

    assertThat(sys.os.kernel.bugCheck()).isNull();
    assertThat(statuses).containsExactly(NtStatus.STATUS_TIMEOUT, NtStatus.STATUS_WAIT_0);
    assertThat(signalled.signalState()).isZero(); // the test satisfied the auto-reset event
  }

  @Test
  void threadAtDispatchLevelMayTestAnObjectWithAZeroTimeout() {
    sys = TestOs.boot(1);
    KEvent event = sys.synchronizationEvent();
    int[] status = new int[1];
    EThread driver = driverThread(() -> {
      int old = sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      status[0] = sys.os.kernel.waitForSingleObject(event, WaitReason.EXECUTIVE,
          Kernel.KERNEL_MODE, false, 0);
      sys.os.kernel.lowerIrql(old);
      return 0;
    });

    sys.runFor(10 * MS);

    assertThat(sys.os.kernel.bugCheck()).isNull();
    assertThat(status[0]).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(driver.state()).isEqualTo(ThreadState.TERMINATED);
  }

  @Test
  void bugCheckOnTheHostThreadBackendAlsoStopsTheMachineAndReturns() {
    org.ntsim.hal.MachineConfig config = TestOs.config(1);
    config.backend = "threads";
    sys = TestOs.boot(config);
    KEvent event = sys.synchronizationEvent();
    driverThread(() -> {
      sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      sys.os.kernel.waitForSingleObject(event, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false,
          -1);
      return 0;
    });

    sys.runFor(10 * MS);

    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(sys.os.machine.stopped()).isTrue();
  }
}
