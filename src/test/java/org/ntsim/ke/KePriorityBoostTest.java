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
    sys.runFor(8 * sys.tickNs);

    assertThat(priorityChanges(waiter)).extracting(Event::b, Event::c)
        .containsExactly(tuple(8L, 10L), tuple(10L, 9L), tuple(9L, 8L));
    List<Event> quantumEnds = sys.events(TraceKind.QUANTUM_END).stream()
        .filter(e -> e.a() == waiter.tid()).toList();
    List<Event> decays = priorityChanges(waiter).subList(1, 3);
    // Each decay happens at a quantum end: two clock ticks of running after the boost.
    assertThat(decays.get(0).timeNs()).isEqualTo(quantumEnds.get(0).timeNs());
    assertThat(decays.get(1).timeNs()).isEqualTo(quantumEnds.get(1).timeNs());
    assertThat(quantumEnds.get(1).timeNs() - quantumEnds.get(0).timeNs())
        .isBetween(2 * sys.tickNs - sys.tickNs / 10, 2 * sys.tickNs + sys.tickNs / 10);
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
    // It ran for one quantum of 3 units: the one clock tick that ended it.
    long chargedWhileBoosted = sys.events(TraceKind.CLOCK_TICK).stream()
        .filter(e -> e.c() == starved.tid()).count();
    assertThat(chargedWhileBoosted).isEqualTo(1);
    assertThat(hog.state()).isEqualTo(ThreadState.RUNNING);
  }
}
