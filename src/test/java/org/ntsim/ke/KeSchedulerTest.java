package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;
import static org.ntsim.win32.TestOs.US;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;
import org.ntsim.win32.TestOs.Event;

/**
 * KiReadyThread / KiDeferredReadyThread / KiQuantumEnd / KiIdleSchedule: where a readied thread
 * goes, when it preempts, and how equal priorities share a processor (Windows Internals 5th ed.,
 * "Thread scheduling"; seed 004).
 */
class KeSchedulerTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EThread cpuBound(EProcess p, String name, int priority, long affinity, long ns) {
    EThread t = sys.suspendedThread(p, name, priority, () -> {
      sys.compute(ns);
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, affinity);
    sys.os.ps.startThread(t);
    return t;
  }

  @Test
  void higherPriorityThreadReadiedFromCpu0PreemptsTheThreadOnItsIdealProcessorWithAnIpi() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent go = sys.synchronizationEvent();
    EThread high = sys.suspendedThread(p, "high", 12, () -> {
      sys.waitFor(go);
      sys.compute(5 * MS);
      return 0;
    });
    sys.os.kernel.setIdealProcessor(high, 1);
    sys.os.ps.startThread(high);
    assertThat(sys.runUntil(() -> high.state() == ThreadState.WAITING, MS)).isTrue();
    EThread low = cpuBound(p, "low", 8, 0b10, 50 * MS);
    long[] setAtNs = new long[1];
    EThread setter = sys.suspendedThread(p, "setter", 8, () -> {
      sys.compute(2 * MS);
      setAtNs[0] = sys.nowNs();
      sys.os.kernel.setEvent(go, 0);
      sys.compute(20 * MS);
      return 0;
    });
    sys.os.kernel.setAffinityThread(setter, 0b01);
    sys.os.ps.startThread(setter);

    assertThat(sys.runUntil(() -> high.state() == ThreadState.RUNNING, 10 * MS)).isTrue();

    assertThat(high.lastCpu()).isEqualTo(1);
    assertThat(low.state()).isEqualTo(ThreadState.READY);
    assertThat(low.readyCpu()).isEqualTo(1);
    assertThat(sys.os.kernel.prcb(0).currentThread()).isSameAs(setter);
    List<Event> ipis = sys.events(TraceKind.IPI);
    assertThat(ipis).hasSize(1);
    Event ipi = ipis.get(0);
    assertThat(ipi.cpu()).isZero();
    assertThat(ipi.b()).isEqualTo(1); // target CPU 1
    assertThat(ipi.timeNs()).isGreaterThanOrEqualTo(setAtNs[0]);
    Event switchOnCpu1 = sys.events(TraceKind.CONTEXT_SWITCH).stream()
        .filter(e -> e.cpu() == 1 && e.b() == high.tid()).reduce((x, y) -> y).orElseThrow();
    assertThat(switchOnCpu1.a()).isEqualTo(low.tid());
    assertThat(switchOnCpu1.timeNs()).isBetween(ipi.timeNs(), ipi.timeNs() + 10 * US);
  }

  @Test
  void preemptedThreadGoesToTheHeadOfItsReadyQueue() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("t.exe");
    EThread high = sys.suspendedThread(p, "high", 12, () -> {
      sys.compute(MS);
      return 0;
    });
    EThread first = sys.thread(p, "first", 8, () -> {
      sys.compute(MS);
      sys.os.ps.startThread(high);
      sys.compute(MS);
      return 0;
    });
    EThread second = sys.thread(p, "second", 8, () -> {
      sys.compute(MS);
      return 0;
    });
    assertThat(sys.runUntil(() -> high.state() == ThreadState.RUNNING, 10 * MS)).isTrue();

    assertThat(sys.os.kernel.prcb(0).readyAt(8)).containsExactly(first, second);
  }

  /**
   * XP's tick accounting (Windows Internals 4th ed., "Quantum Accounting"): the quantum tests below
   * were written for it, and Vista charges cycles instead (KeQuantumAccountingTest).
   */
  private static TestOs bootWithTickAccounting() {
    MachineConfig c = TestOs.config(1);
    c.quantumAccounting = MachineConfig.QUANTUM_TICKS;
    return TestOs.boot(c);
  }

  @Test
  void underTickAccountingEqualPriorityThreadsOnOneProcessorAlternateEveryTwoClockTicks() {
    sys = bootWithTickAccounting();
    EProcess p = sys.process("t.exe");
    EThread a = cpuBound(p, "a", 8, 1, 400 * MS);
    EThread b = cpuBound(p, "b", 8, 1, 400 * MS);
    sys.runFor(20 * sys.tickNs);

    // The clock charges each tick to the thread it interrupts: after the first (partial)
    // quantum, each thread is seen for exactly two ticks in a row.
    List<Long> charged = new ArrayList<>();
    for (Event tick : sys.events(TraceKind.CLOCK_TICK)) {
      charged.add(tick.c());
    }
    int firstB = charged.indexOf(b.tid());
    assertThat(firstB).isPositive();
    List<Long> rotation = charged.subList(firstB, firstB + 16);
    for (int i = 0; i < rotation.size(); i++) {
      assertThat(rotation.get(i)).as("tick %d after b first ran", i)
          .isEqualTo((i / 2) % 2 == 0 ? b.tid() : a.tid());
    }
    assertThat(a.quantum()).isBetween(1, 6);
    assertThat(sys.os.kernel.roundRobins()).isGreaterThanOrEqualTo(8);
  }

  @Test
  void underTickAccountingTheQuantumIsSixUnitsAndEachClockTickTakesThree() {
    sys = bootWithTickAccounting();
    EProcess p = sys.process("t.exe");
    assertThat(p.quantumReset()).isEqualTo(6);
    EThread a = cpuBound(p, "a", 8, 1, 400 * MS);
    assertThat(sys.runUntil(() -> a.state() == ThreadState.RUNNING, MS)).isTrue();
    assertThat(a.quantum()).isEqualTo(6);
    long firstTick = sys.os.kernel.tickCount();
    assertThat(sys.runUntil(() -> sys.os.kernel.tickCount() == firstTick + 1, 2 * sys.tickNs))
        .isTrue();
    assertThat(a.quantum()).isEqualTo(3);
  }

  @Test
  void roundRobinServesThreeEqualThreadsInTurn() {
    sys = TestOs.boot(1); // cycle accounting: each turn lasts three ticks, not two
    EProcess p = sys.process("t.exe");
    EThread a = cpuBound(p, "a", 8, 1, 400 * MS);
    EThread b = cpuBound(p, "b", 8, 1, 400 * MS);
    EThread c = cpuBound(p, "c", 8, 1, 400 * MS);
    sys.runFor(30 * sys.tickNs);

    List<Long> order = new ArrayList<>();
    for (Event e : sys.events(TraceKind.CONTEXT_SWITCH)) {
      if (e.b() == a.tid() || e.b() == b.tid() || e.b() == c.tid()) {
        order.add(e.b());
      }
    }
    assertThat(order).hasSizeGreaterThanOrEqualTo(9);
    assertThat(order.subList(0, 9)).containsExactly(a.tid(), b.tid(), c.tid(), a.tid(), b.tid(),
        c.tid(), a.tid(), b.tid(), c.tid());
  }

  @Test
  void threadReadiedOntoAnIdleProcessorDoesNotStartBeforeItWasReadied() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    KEvent go = sys.synchronizationEvent();
    long[] wokeAtNs = new long[1];
    EThread waiter = sys.suspendedThread(p, "waiter", 8, () -> {
      sys.waitFor(go);
      wokeAtNs[0] = sys.nowNs();
      return 0;
    });
    sys.os.kernel.setAffinityThread(waiter, 0b10);
    sys.os.ps.startThread(waiter);
    long[] setAtNs = new long[1];
    EThread setter = sys.suspendedThread(p, "setter", 8, () -> {
      sys.compute(1234 * US);
      setAtNs[0] = sys.nowNs();
      sys.os.kernel.setEvent(go, 0);
      return 0;
    });
    sys.os.kernel.setAffinityThread(setter, 0b01);
    sys.os.ps.startThread(setter);

    assertThat(sys.runUntil(() -> waiter.state() == ThreadState.TERMINATED, 10 * MS)).isTrue();

    assertThat(wokeAtNs[0]).isGreaterThan(setAtNs[0]);
  }

  @Test
  void readiedThreadPrefersAnIdleIdealProcessor() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    EThread t = sys.suspendedThread(p, "t", 8, () -> {
      sys.compute(MS);
      return 0;
    });
    sys.os.kernel.setIdealProcessor(t, 1);
    sys.os.ps.startThread(t);
    assertThat(sys.os.kernel.prcb(1).nextThread()).isSameAs(t);
    EThread u = sys.suspendedThread(p, "u", 8, () -> {
      sys.compute(MS);
      return 0;
    });
    sys.os.kernel.setIdealProcessor(u, 0);
    sys.os.ps.startThread(u);
    assertThat(sys.os.kernel.prcb(0).nextThread()).isSameAs(u);
  }

  @Test
  void preemptedThreadTakenByAnIdleProcessorDoesNotRunBeforeItWasPreempted() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    EThread high = sys.suspendedThread(p, "high", 12, () -> {
      sys.compute(MS);
      return 0;
    });
    sys.os.kernel.setAffinityThread(high, 0b01);
    List<Long> seen = new ArrayList<>();
    List<Integer> cpus = new ArrayList<>();
    EThread low = sys.suspendedThread(p, "low", 8, () -> {
      sys.compute(1234 * US);
      seen.add(sys.nowNs());
      cpus.add(sys.currentCpu());
      sys.os.ps.startThread(high); // preempts this thread on CPU 0
      seen.add(sys.nowNs());
      cpus.add(sys.currentCpu());
      return 0;
    });
    sys.os.kernel.setIdealProcessor(low, 0);
    sys.os.kernel.setAffinityThread(low, 0b01);
    sys.os.ps.startThread(low);
    sys.runFor(100 * US);
    sys.os.kernel.setAffinityThread(low, 0b11); // CPU 1 may take it once it is preempted

    assertThat(sys.runUntil(() -> low.state() == ThreadState.TERMINATED, 10 * MS)).isTrue();

    assertThat(cpus).containsExactly(0, 1);
    assertThat(seen.get(1)).isGreaterThanOrEqualTo(seen.get(0));
  }

  /** A thread of {@code p} that will run on CPU {@code ideal} if it can, not started yet. */
  private EThread prepared(EProcess p, String name, int priority, int ideal, long ns) {
    EThread t = sys.suspendedThread(p, name, priority, () -> {
      sys.compute(ns);
      return 0;
    });
    sys.os.kernel.setIdealProcessor(t, ideal);
    return t;
  }

  /** A kernel-mode thread confined to CPU 0 that runs {@code body} once. */
  private void onCpu0(Runnable body) {
    EThread t = sys.os.ps.createThread(sys.os.ps.systemProcess(), "driver", "test!driver", 8, 0,
        true, () -> {
          sys.compute(100 * US);
          body.run();
          sys.compute(100 * MS);
          return 0;
        }, true);
    sys.os.kernel.setAffinityThread(t, 0b01);
    sys.os.ps.startThread(t);
  }

  @Test
  void runningThreadMovedOffItsProcessorStillLeavesWhenItsReplacementIsTakenAway() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    List<Integer> cpusAfterChange = new ArrayList<>();
    boolean[] changed = new boolean[1];
    EThread mover = sys.suspendedThread(p, "mover", 8, () -> {
      for (int i = 0; i < 400; i++) {
        sys.compute(100 * US);
        if (changed[0]) {
          cpusAfterChange.add(sys.currentCpu());
        }
      }
      return 0;
    });
    sys.os.kernel.setAffinityThread(mover, 0b10);
    sys.os.ps.startThread(mover);
    EThread standby = prepared(p, "standby", 10, 1, MS);
    onCpu0(() -> {
      sys.os.ps.startThread(standby); // NextThread of CPU 1, an IPI on its way
      sys.os.kernel.setAffinityThread(mover, 0b01); // runs on CPU 1; the standby will replace it
      sys.os.kernel.setAffinityThread(standby, 0b01); // ... but is taken away
      changed[0] = true;
    });

    assertThat(sys.runUntil(() -> mover.state() == ThreadState.TERMINATED, 200 * MS)).isTrue();

    // Only the 100 us step in which the IPI arrives may still be on CPU 1.
    assertThat(cpusAfterChange.subList(1, cpusAfterChange.size())).containsOnly(0);
  }

  @Test
  void loweringAStandbyThreadLetsTheHigherReadyThreadStandByInstead() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    EThread running = prepared(p, "running", 8, 1, 50 * MS);
    sys.os.kernel.setAffinityThread(running, 0b10);
    sys.os.ps.startThread(running);
    EThread standby = prepared(p, "standby", 12, 1, MS);
    EThread waiting = prepared(p, "waiting", 9, 1, MS);
    long[] loweredAtNs = new long[1];
    onCpu0(() -> {
      sys.os.ps.startThread(standby); // NextThread of CPU 1
      sys.os.ps.startThread(waiting); // below the standby: CPU 1's ready queue
      sys.os.kernel.setPriorityThread(standby, 5); // now below the waiting thread
      loweredAtNs[0] = sys.nowNs();
    });

    assertThat(sys.runUntil(() -> waiting.state() == ThreadState.RUNNING, 2 * sys.tickNs))
        .isTrue();

    // It runs as soon as CPU 1 takes the dispatch request, not at the running thread's quantum end.
    assertThat(sys.os.machine.nowNs() - loweredAtNs[0]).isLessThan(100 * US);
    assertThat(waiting.lastCpu()).isEqualTo(1);
  }

  @Test
  void threadThatYieldsJustAfterItsAffinityExcludedItsProcessorRunsAgainElsewhere() {
    sys = TestOs.boot(2);
    EProcess p = sys.process("t.exe");
    boolean[] moved = new boolean[1];
    boolean[] yielded = new boolean[1];
    EThread yielder = sys.suspendedThread(p, "yielder", 8, () -> {
      while (!moved[0]) {
        sys.compute(10 * US);
      }
      // CPU 0 changed this thread's affinity at a later time in this slice: the IPI that moves
      // it is not due yet, and it gives up the processor first.
      yielded[0] = sys.os.kernel.yieldExecution();
      sys.compute(MS);
      return 0;
    });
    sys.os.kernel.setAffinityThread(yielder, 0b10);
    sys.os.ps.startThread(yielder);
    onCpu0(() -> {
      sys.compute(40 * US);
      sys.os.kernel.setAffinityThread(yielder, 0b01);
      moved[0] = true;
    });

    // It queues behind the driver on CPU 0 and runs at the driver's quantum end.
    assertThat(sys.runUntil(() -> yielder.state() == ThreadState.TERMINATED, 200 * MS)).isTrue();

    assertThat(yielded[0]).isTrue();
    assertThat(yielder.lastCpu()).isZero();
  }
}
