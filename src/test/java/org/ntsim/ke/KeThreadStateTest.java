package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.TestOs;

/**
 * Every edge of the thread state diagram (seed 004, "Thread states"; Windows Internals 5th ed.,
 * figure 5-15), each provoked on purpose and observed as it happens.
 */
class KeThreadStateTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EThread spinner(EProcess p, String name, int priority, long ns) {
    return sys.thread(p, name, priority, () -> {
      sys.compute(ns);
      return 0;
    });
  }

  @Test
  void newThreadOnAnIdleProcessorGoesThroughDeferredReadyAndStandbyToRunning() {
    sys = TestOs.boot(2);
    sys.runFor(MS);
    EProcess p = sys.process("t.exe");
    EThread t = sys.suspendedThread(p, "t", 8, () -> {
      sys.compute(MS);
      return 0;
    });
    assertThat(t.state()).isEqualTo(ThreadState.INITIALIZED);

    sys.os.ps.startThread(t);
    assertThat(t.state()).isEqualTo(ThreadState.STANDBY);
    assertThat(sys.runUntil(() -> t.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(sys.pathOf(t)).containsExactly(
        "Initialized->DeferredReady", "DeferredReady->Standby", "Standby->Running");
  }

  @Test
  void newThreadOfEqualPriorityOnABusyProcessorIsQueuedReady() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread[] child = new EThread[1];
    EThread parent = sys.thread(p, "parent", 8, () -> {
      child[0] = spinner(p, "child", 8, MS);
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> child[0] != null, 10 * MS)).isTrue();

    assertThat(child[0].state()).isEqualTo(ThreadState.READY);
    assertThat(parent.state()).isEqualTo(ThreadState.RUNNING);
    assertThat(sys.pathOf(child[0])).containsExactly(
        "Initialized->DeferredReady", "DeferredReady->Ready");
  }

  @Test
  void quantumEndMovesTheRunningThreadToReadyAndTheNextReadyThroughStandby() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread a = spinner(p, "a", 8, 200 * MS);
    EThread b = spinner(p, "b", 8, 200 * MS);
    assertThat(sys.runUntil(() -> b.state() == ThreadState.RUNNING, 100 * MS)).isTrue();

    assertThat(sys.pathOf(a)).containsSubsequence("Standby->Running", "Running->Ready");
    assertThat(sys.pathOf(b)).containsExactly("Initialized->DeferredReady",
        "DeferredReady->Ready", "Ready->Standby", "Standby->Running");
    assertThat(sys.os.kernel.quantumEnds()).isEqualTo(1);
  }

  @Test
  void higherPriorityThreadPreemptsTheRunningOneWhichGoesBackToReady() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread high = sys.suspendedThread(p, "high", 12, () -> {
      sys.compute(MS);
      return 0;
    });
    EThread low = sys.thread(p, "low", 8, () -> {
      sys.compute(MS);
      sys.os.ps.startThread(high);
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> high.state() != ThreadState.INITIALIZED, 10 * MS)).isTrue();

    assertThat(high.state()).isEqualTo(ThreadState.RUNNING);
    assertThat(low.state()).isEqualTo(ThreadState.READY);
    assertThat(sys.pathOf(high)).containsExactly("Initialized->DeferredReady",
        "DeferredReady->Standby", "Standby->Running");
    assertThat(sys.pathOf(low)).endsWith("Standby->Running", "Running->Ready");
    assertThat(sys.os.kernel.preemptions()).isEqualTo(1);
  }

  @Test
  void waitPutsTheThreadInWaitingAndTheSignalReadiesItThroughDeferredReady() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    EThread waiter = sys.thread(p, "waiter", 8, () -> {
      sys.waitFor(event);
      return 0;
    });
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.WAITING, 10 * MS)).isTrue();
    assertThat(waiter.waitReason()).isEqualTo(WaitReason.USER_REQUEST);

    sys.thread(p, "setter", 8, () -> {
      sys.os.kernel.setEvent(event, KEvent.EVENT_INCREMENT);
      return 0;
    });
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.TERMINATED, 10 * MS)).isTrue();

    assertThat(sys.pathOf(waiter)).containsSubsequence("Running->Waiting",
        "Waiting->DeferredReady");
  }

  @Test
  void runningThreadThatEndsIsTerminated() {
    sys = TestOs.boot(1);
    EThread t = spinner(sys.process("t.exe"), "t", 8, MS);
    assertThat(sys.runUntil(() -> t.state() == ThreadState.TERMINATED, 10 * MS)).isTrue();

    assertThat(sys.pathOf(t)).endsWith("Standby->Running", "Running->Terminated");
    assertThat(t.signalState()).isEqualTo(1);
  }

  @Test
  void standbyThreadIsBumpedBackToReadyByAHigherPriorityThread() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    KEvent go = sys.notificationEvent();
    EThread nine = sys.thread(p, "nine", 9, () -> {
      sys.waitFor(go);
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> nine.state() == ThreadState.WAITING, 10 * MS)).isTrue();
    EThread ten = sys.thread(p, "ten", 10, () -> {
      sys.waitFor(go);
      sys.compute(MS);
      return 0;
    });
    // Waiters are released in the order they began waiting: nine first, then ten.
    assertThat(sys.runUntil(() -> ten.state() == ThreadState.WAITING, 10 * MS)).isTrue();

    EThread setter = sys.thread(p, "setter", 8, () -> {
      sys.os.kernel.setEvent(go, 0); // no boost: priorities stay 9 and 10
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> ten.state() == ThreadState.RUNNING, 10 * MS)).isTrue();

    assertThat(sys.pathOf(nine)).endsWith("Waiting->DeferredReady", "DeferredReady->Standby",
        "Standby->Ready");
    assertThat(nine.state()).isEqualTo(ThreadState.READY);
    assertThat(sys.os.kernel.prcb(0).readyAt(9)).containsExactly(nine);
    assertThat(setter.state()).isEqualTo(ThreadState.READY);
  }

  @Test
  void priorityChangeOfAReadyThreadSendsItBackThroughDeferredReady() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread[] other = new EThread[1];
    sys.thread(p, "changer", 8, () -> {
      other[0] = spinner(p, "other", 8, MS);
      sys.compute(MS);
      sys.os.kernel.setPriorityThread(other[0], 12);
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(
        () -> other[0] != null && other[0].state() == ThreadState.RUNNING, 10 * MS)).isTrue();

    assertThat(sys.pathOf(other[0])).containsExactly("Initialized->DeferredReady",
        "DeferredReady->Ready", "Ready->DeferredReady", "DeferredReady->Standby",
        "Standby->Running");
    assertThat(other[0].priority()).isEqualTo(12);
  }

  @Test
  void affinityChangeOfAReadyThreadMovesItThroughDeferredReadyToAnAllowedProcessor() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    // Both processors busy with priority-8 threads; "mover" waits in CPU 1's ready queue.
    EThread busy0 = spinner(p, "busy0", 8, 100 * MS);
    EThread busy1 = spinner(p, "busy1", 8, 100 * MS);
    sys.os.kernel.setAffinityThread(busy0, 0b01);
    sys.os.kernel.setAffinityThread(busy1, 0b10);
    EThread mover = sys.suspendedThread(p, "mover", 8, () -> {
      sys.compute(MS);
      return 0;
    });
    sys.os.kernel.setIdealProcessor(mover, 1);
    sys.runFor(MS);
    sys.os.ps.startThread(mover);
    assertThat(mover.state()).isEqualTo(ThreadState.READY);
    assertThat(mover.readyCpu()).isEqualTo(1);

    sys.os.kernel.setAffinityThread(mover, 0b01);

    assertThat(mover.state()).isEqualTo(ThreadState.READY);
    assertThat(mover.readyCpu()).isEqualTo(0);
    assertThat(sys.pathOf(mover)).endsWith("DeferredReady->Ready", "Ready->DeferredReady",
        "DeferredReady->Ready");
  }

  @Test
  void longUserModeWaitLosesTheKernelStackAndTheSwapperBringsItBack() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    EThread waiter = sys.thread(p, "waiter", 8, () -> {
      sys.waitFor(event);
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.WAITING, MS)).isTrue();
    long waitStartNs = sys.os.machine.nowNs();
    long outswapAgeNs = BalanceSetManager.STACK_PROTECT_SECONDS * 1000 * MS;

    sys.runFor(outswapAgeNs - 20 * MS);
    assertThat(waiter.kernelStackResident()).isTrue();
    // A large system's stack scan comes every eighth second: the stack goes at the 16-second one.
    assertThat(sys.runUntil(() -> !waiter.kernelStackResident(), 2000 * MS)).isTrue();
    assertThat(sys.os.machine.nowNs() - waitStartNs).isGreaterThanOrEqualTo(outswapAgeNs);
    assertThat(waiter.state()).isEqualTo(ThreadState.WAITING);
    assertThat(sys.os.kernel.stacksOutswapped()).isEqualTo(1);

    sys.thread(p, "setter", 8, () -> {
      sys.os.kernel.setEvent(event, KEvent.EVENT_INCREMENT);
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.TERMINATED, 200 * MS)).isTrue();

    // On one busy processor the swapper (priority 23) readies it into the ready queue.
    assertThat(sys.pathOf(waiter)).containsSubsequence("Running->Waiting",
        "Waiting->Transition", "Transition->DeferredReady", "DeferredReady->Ready",
        "Ready->Running");
    assertThat(waiter.kernelStackResident()).isTrue();
    assertThat(sys.os.kernel.stacksInswapped()).isEqualTo(1);
  }
}
