package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.ntsim.win32.TestOs.MS;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.PsConstants;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;
import org.ntsim.win32.TestOs.Event;

/**
 * Priority boosts and their decay (Windows Internals 5th ed., "Priority boosts"): the boost a
 * thread gets when a wait ends (KiUnwaitThread with the setter's increment), its decay by one
 * level per quantum end, real-time threads left alone, and the balance set manager's boost of
 * starved threads to 15 for one quantum.
 */
class KePriorityBoostTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  /** A thread on CPU 1 that waits for {@code event}, then computes for {@code ns}. */
  private EThread waiterOnCpu1(EProcess p, KEvent event, int priority, long ns) {
    EThread t = sys.suspendedThread(p, "waiter", priority, () -> {
      sys.waitFor(event);
      sys.compute(ns);
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, 0b10);
    sys.os.ps.startThread(t);
    assertThat(sys.runUntil(() -> t.state() == ThreadState.WAITING, MS)).isTrue();
    return t;
  }

  /** A thread on CPU 0 that sets {@code event} with {@code increment}. */
  private void setOnCpu0(EProcess p, KEvent event, int increment) {
    EThread t = sys.suspendedThread(p, "setter", 8, () -> {
      sys.os.kernel.setEvent(event, increment);
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, 0b01);
    sys.os.ps.startThread(t);
  }

  private List<Event> priorityChanges(KThread t) {
    return sys.events(TraceKind.PRIORITY).stream().filter(e -> e.a() == t.uniqueThread).toList();
  }

  @Test
  void eventIncrementRaisesTheReleasedThreadToBasePlusOne() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 8, 100 * MS);

    setOnCpu0(p, event, KEvent.EVENT_INCREMENT);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(waiter.basePriority()).isEqualTo(8);
    assertThat(waiter.priority()).isEqualTo(9);
    assertThat(sys.os.kernel.waitBoosts()).isEqualTo(1);
  }

  @Test
  void eventIncrementBoostDecaysBackToBaseAtTheFirstQuantumEnd() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 8, 200 * MS);

    setOnCpu0(p, event, KEvent.EVENT_INCREMENT);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();
    sys.runFor(4 * sys.tickNs);

    List<Event> changes = priorityChanges(waiter);
    assertThat(changes).extracting(Event::b, Event::c)
        .containsExactly(tuple(8L, 9L), tuple(9L, 8L));
    Event firstQuantumEnd = sys.events(TraceKind.QUANTUM_END).stream()
        .filter(e -> e.a() == waiter.tid()).findFirst().orElseThrow();
    assertThat(changes.get(1).timeNs()).isEqualTo(firstQuantumEnd.timeNs());
    assertThat(waiter.priority()).isEqualTo(waiter.basePriority()).isEqualTo(8);
  }

  @Test
  void boostDecaysByOneLevelAtEachQuantumEnd() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 8, 200 * MS);

    setOnCpu0(p, event, 2);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();
    assertThat(waiter.priority()).isEqualTo(10);
    sys.runFor(10 * sys.tickNs);

    assertThat(priorityChanges(waiter)).extracting(Event::b, Event::c)
        .containsExactly(tuple(8L, 10L), tuple(10L, 9L), tuple(9L, 8L));
    List<Event> quantumEnds = sys.events(TraceKind.QUANTUM_END).stream()
        .filter(e -> e.a() == waiter.tid()).toList();
    List<Event> decays = priorityChanges(waiter).subList(1, 3);
    // Each decay happens at a quantum end. Vista's quantum of two clock intervals' cycles is not
    // reached at the second tick, because the clock interrupts' own time is not charged to the
    // thread (Windows Internals 5th ed., "Quantum Accounting"): quantum ends come three apart.
    assertThat(decays.get(0).timeNs()).isEqualTo(quantumEnds.get(0).timeNs());
    assertThat(decays.get(1).timeNs()).isEqualTo(quantumEnds.get(1).timeNs());
    assertThat(quantumEnds.get(1).timeNs() - quantumEnds.get(0).timeNs())
        .isBetween(3 * sys.tickNs - sys.tickNs / 10, 3 * sys.tickNs + sys.tickNs / 10);
    assertThat(waiter.priority()).isEqualTo(8);
  }

  @Test
  void realTimeThreadIsNeverBoosted() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("rt.exe", PsConstants.REALTIME_PRIORITY_CLASS);
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 24, 10 * MS);

    setOnCpu0(p, event, KEvent.EVENT_INCREMENT);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(waiter.priority()).isEqualTo(24);
    assertThat(priorityChanges(waiter)).isEmpty();
    assertThat(sys.os.kernel.waitBoosts()).isZero();
  }

  @Test
  void boostNeverLiftsAVariablePriorityThreadIntoTheRealTimeRange() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe", PsConstants.HIGH_PRIORITY_CLASS);
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 14, 10 * MS);

    setOnCpu0(p, event, 6);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(waiter.priority()).isEqualTo(15);
  }

  @Test
  void starvedThreadIsBoostedTo15ForOneQuantumAndDropsStraightBackToBase() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread hog = sys.thread(p, "hog", 8, () -> {
      sys.compute(6_000 * MS);
      return 0;
    });
    EThread starved = sys.thread(p, "starved", 7, () -> {
      sys.compute(100 * MS);
      return 0;
    });
    assertThat(starved.state()).isEqualTo(ThreadState.READY);
    long readiedTick = starved.readyTick();

    assertThat(sys.runUntil(() -> starved.priority() == 15, 6_000 * MS, 10 * MS)).isTrue();
    assertThat(sys.os.kernel.tickCount() - readiedTick)
        .isGreaterThanOrEqualTo(Kernel.READY_WITHOUT_RUNNING_TICKS);
    assertThat(sys.os.kernel.starvationBoosts()).isEqualTo(1);
    assertThat(sys.runUntil(() -> starved.priority() == 7, 4 * sys.tickNs, TestOs.STEP_NS))
        .isTrue();

    List<Event> changes = priorityChanges(starved);
    assertThat(changes).extracting(Event::b, Event::c).containsExactly(
        tuple(7L, 15L), tuple(15L, 7L));
    // It ran for one quantum of 3 units, a target of one clock interval's cycles (Windows
    // Internals 5th ed., "CPU Starvation"): boosted just after a tick, it has not run a whole
    // interval by the next one, so the second tick it sees ends the quantum.
    long chargedWhileBoosted = sys.events(TraceKind.CLOCK_TICK).stream()
        .filter(e -> e.c() == starved.tid()).count();
    assertThat(chargedWhileBoosted).isEqualTo(2);
    assertThat(hog.state()).isEqualTo(ThreadState.RUNNING);
  }

  // Server 2003 and Vista's unwait adjustment (KiDeferredReadyThread, AdjustUnwait; ReactOS's
  // ke/thrdschd.c follows it): PriorityDecrement holds only the foreground separation.

  @Test
  void anUnwaitBoostIsNotRecordedInPriorityDecrement() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 8, 100 * MS);

    setOnCpu0(p, event, 2);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(waiter.priority()).isEqualTo(10);
    assertThat(waiter.priorityDecrement()).isZero();
  }

  @Test
  void aForegroundThreadAlsoGetsThePrioritySeparationRecordedInPriorityDecrement() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("fg.exe");
    sys.os.kernel.setForegroundProcess(p);
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 8, 100 * MS);

    setOnCpu0(p, event, KEvent.EVENT_INCREMENT);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    // base 8 + EVENT_INCREMENT 1 + PsPrioritySeparation 2
    assertThat(waiter.priority()).isEqualTo(11);
    assertThat(waiter.priorityDecrement()).isEqualTo(2);
  }

  @Test
  void noNewUnwaitBoostIsGivenWhileADecrementIsPending() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("fg.exe");
    sys.os.kernel.setForegroundProcess(p);
    KEvent first = sys.synchronizationEvent();
    KEvent second = sys.synchronizationEvent();
    EThread waiter = sys.suspendedThread(p, "waiter", 8, () -> {
      sys.waitFor(first);
      sys.waitFor(second);
      sys.compute(100 * MS);
      return 0;
    });
    sys.os.kernel.setAffinityThread(waiter, 0b10);
    sys.os.ps.startThread(waiter);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.WAITING, MS)).isTrue();
    setOnCpu0(p, first, KEvent.EVENT_INCREMENT);
    assertThat(sys.runUntil(() -> waiter.priority() == 11
        && waiter.state() == ThreadState.WAITING, MS)).isTrue();

    setOnCpu0(p, second, 4); // base 8 + 4 + 2 would be 14
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(waiter.priority()).isEqualTo(11);
    assertThat(sys.os.kernel.waitBoosts()).isEqualTo(1);
  }

  @Test
  void quantumEndTakesBackTheForegroundSeparationAndOneLevelOfTheBoost() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("fg.exe");
    sys.os.kernel.setForegroundProcess(p);
    KEvent event = sys.synchronizationEvent();
    EThread waiter = waiterOnCpu1(p, event, 8, 400 * MS);

    setOnCpu0(p, event, 2);
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();
    assertThat(waiter.priority()).isEqualTo(12);
    assertThat(sys.runUntil(() -> waiter.priority() != 12, 20 * sys.tickNs)).isTrue();

    // KiComputeNewPriority: 12 - PriorityDecrement 2 - 1
    assertThat(waiter.priority()).isEqualTo(9);
    assertThat(waiter.priorityDecrement()).isZero();
  }

  @Test
  void theStarvationBoostIsRecordedInPriorityDecrement() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    sys.thread(p, "hog", 8, () -> {
      sys.compute(6_000 * MS);
      return 0;
    });
    EThread starved = sys.thread(p, "starved", 7, () -> {
      sys.compute(100 * MS);
      return 0;
    });

    assertThat(sys.runUntil(() -> starved.priority() == 15, 6_000 * MS, 10 * MS)).isTrue();
    assertThat(starved.priorityDecrement()).isEqualTo(15 - 7);
  }

  @Test
  void theBalanceSetManagerBoostsAtMostTenStarvedThreadsAPass() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    sys.thread(p, "hog", 8, () -> {
      sys.compute(6_000 * MS);
      return 0;
    });
    for (int i = 0; i < 12; i++) {
      sys.thread(p, "starved" + i, 7, () -> {
        sys.compute(MS);
        return 0;
      });
    }

    assertThat(sys.runUntil(() -> sys.os.kernel.starvationBoosts() > 0, 6_000 * MS, 10 * MS))
        .isTrue();
    assertThat(sys.os.kernel.starvationBoosts()).isEqualTo(BalanceSetManager.BOOST_LIMIT);
  }

  @Test
  void eachStarvationScanCoversOneProcessorsReadyQueues() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    for (int cpu = 0; cpu < 2; cpu++) {
      EThread hog = sys.suspendedThread(p, "hog" + cpu, 8, () -> {
        sys.compute(7_000 * MS);
        return 0;
      });
      EThread starved = sys.suspendedThread(p, "starved" + cpu, 7, () -> {
        sys.compute(MS);
        return 0;
      });
      sys.os.kernel.setAffinityThread(hog, 1L << cpu);
      sys.os.kernel.setAffinityThread(starved, 1L << cpu);
      sys.os.ps.startThread(hog);
      sys.os.ps.startThread(starved);
    }

    assertThat(sys.runUntil(() -> sys.os.kernel.starvationBoosts() == 2, 7_000 * MS, 10 * MS))
        .isTrue();
    List<Event> boosts = sys.events(TraceKind.PRIORITY).stream().filter(e -> e.c() == 15)
        .toList();
    assertThat(boosts).hasSize(2);
    // one processor a pass, the passes a second apart
    assertThat(boosts.get(1).timeNs() - boosts.get(0).timeNs())
        .isBetween(900 * MS, 1_100 * MS);
  }

  // Wait completion boosts by object type (Windows Internals 5th ed., "Priority Boosts"; wdm.h and
  // ntexapi.h: EVENT_INCREMENT, SEMAPHORE_INCREMENT and MUTANT_INCREMENT are 1; a timer's expiry
  // gives none).

  /** A thread on CPU 1 at priority 8 that waits for {@code object}, then computes 100 ms. */
  private EThread objectWaiterOnCpu1(EProcess p, DispatcherObject object) {
    EThread t = sys.suspendedThread(p, "waiter", 8, () -> {
      sys.os.kernel.waitForSingleObject(object, WaitReason.USER_REQUEST, Kernel.USER_MODE, false,
          -1);
      sys.compute(100 * MS);
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, 0b10);
    sys.os.ps.startThread(t);
    assertThat(sys.runUntil(() -> t.state() == ThreadState.WAITING, MS)).isTrue();
    return t;
  }

  /** Runs {@code body} on a thread of CPU 0. */
  private void onCpu0(EProcess p, Runnable body) {
    EThread t = sys.suspendedThread(p, "releaser", 8, () -> {
      body.run();
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, 0b01);
    sys.os.ps.startThread(t);
  }

  @Test
  void aSemaphoreReleaseBoostsTheReleasedThreadByOne() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KSemaphore semaphore = new KSemaphore(0, 1, sys.os.kernel.staticAddress(0x14));
    EThread waiter = objectWaiterOnCpu1(p, semaphore);

    onCpu0(p, () -> sys.os.kernel.objects.releaseSemaphore(semaphore,
        KSemaphore.SEMAPHORE_INCREMENT, 1));
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, MS)).isTrue();

    assertThat(waiter.priority()).isEqualTo(9);
  }

  @Test
  void aMutantReleaseBoostsTheNewOwnerByOne() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KMutant mutant = new KMutant(false, sys.os.kernel.staticAddress(0x20));
    boolean[] owned = new boolean[1];
    onCpu0(p, () -> {
      sys.os.kernel.waitForSingleObject(mutant, WaitReason.USER_REQUEST, Kernel.USER_MODE, false,
          -1);
      owned[0] = true;
      sys.compute(2 * MS);
      sys.os.kernel.objects.releaseMutant(mutant, KMutant.MUTANT_INCREMENT, false, new int[1]);
    });
    assertThat(sys.runUntil(() -> owned[0], MS)).isTrue();
    EThread waiter = objectWaiterOnCpu1(p, mutant);

    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, 5 * MS)).isTrue();
    assertThat(waiter.priority()).isEqualTo(9);
  }

  @Test
  void aTimerExpiryGivesNoBoost() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KTimer timer = new KTimer(true, sys.os.kernel.staticAddress(0x28));
    EThread waiter = objectWaiterOnCpu1(p, timer);

    onCpu0(p, () -> sys.os.kernel.setTimer(timer, 2 * MS, false, 0, null));
    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.RUNNING, 40 * MS)).isTrue();

    assertThat(waiter.priority()).isEqualTo(8);
    assertThat(sys.os.kernel.waitBoosts()).isZero();
  }

  @Test
  void underTickAccountingTheStarvationBoostDoublesTheQuantum() {
    // Windows Internals 4th ed. (XP, "Priority Boosts for CPU Starvation"): the starved thread's
    // quantum is doubled; 5th ed. (Vista) gives it three units' cycles instead.
    org.ntsim.hal.MachineConfig c = TestOs.config(1);
    c.quantumAccounting = org.ntsim.hal.MachineConfig.QUANTUM_TICKS;
    sys = TestOs.boot(c);
    EProcess p = sys.process("t.exe");
    sys.thread(p, "hog", 8, () -> {
      sys.compute(6_000 * MS);
      return 0;
    });
    EThread starved = sys.thread(p, "starved", 7, () -> {
      sys.compute(1_000 * MS);
      return 0;
    });

    assertThat(sys.runUntil(() -> starved.priority() == 15, 6_000 * MS, 10 * MS)).isTrue();
    assertThat(starved.quantum()).isEqualTo(2 * p.quantumReset());
  }
}
