package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;
import static org.ntsim.win32.TestOs.US;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Irql;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.ps.ThreadStart;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;
import org.ntsim.win32.TestOs.Event;

/**
 * KeInsertQueueDpc, KeSetImportanceDpc, KeSetTargetProcessorDpc and the DPC interrupt generation
 * rules (Windows Internals 5th ed., table 3-1 "DPC interrupt generation rules"; seed 003).
 */
class KeDpcTest {
  private TestOs sys;
  private final List<String> ran = new ArrayList<>();
  private final List<Integer> ranOnCpu = new ArrayList<>();
  private final List<Long> ranAtNs = new ArrayList<>();

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  /** A DPC that records where and when it ran. */
  private Kdpc dpc(String name, int importance, int targetCpu) {
    Kdpc d = sys.os.kernel.initializeDpc(name, (self, ctx, a1, a2) -> {
      ran.add(name);
      ranOnCpu.add(sys.currentCpu());
      ranAtNs.add(sys.nowNs());
    }, null, sys.os.kernel.staticAddress(0x20));
    sys.os.kernel.setImportanceDpc(d, importance);
    if (targetCpu >= 0) {
      sys.os.kernel.setTargetProcessorDpc(d, targetCpu);
    }
    return d;
  }

  /** A system thread confined to {@code cpu} running {@code body}. */
  private EThread systemThreadOn(int cpu, ThreadStart body) {
    EThread t = sys.os.ps.createThread(sys.os.ps.systemProcess(), "driver", "test!driver", 8, 0,
        true, body, true);
    sys.os.kernel.setAffinityThread(t, 1L << cpu);
    sys.os.ps.startThread(t);
    return t;
  }

  /** Keeps {@code cpu} busy with a user thread for {@code ns}. */
  private EThread busy(int cpu, long ns) {
    EProcess p = sys.process("busy.exe");
    EThread t = sys.suspendedThread(p, "busy", 8, () -> {
      sys.compute(ns);
      return 0;
    });
    sys.os.kernel.setAffinityThread(t, 1L << cpu);
    sys.os.ps.startThread(t);
    return t;
  }

  private List<Event> dpcIpis() {
    return sys.events(TraceKind.IPI).stream().filter(e -> e.c() == Kernel.IPI_REASON_DPC).toList();
  }

  @Test
  void dpcTargetedAtAnotherProcessorRunsThere() {
    sys = TestOs.boot(2);
    Kdpc d = dpc("d", Kdpc.MEDIUM_IMPORTANCE, 1);
    long[] queuedAtNs = new long[1];
    systemThreadOn(0, () -> {
      sys.compute(100 * US);
      queuedAtNs[0] = sys.nowNs();
      sys.os.kernel.insertQueueDpc(d, null, null);
      return 0;
    });
    sys.runFor(MS);

    assertThat(ranOnCpu).containsExactly(1);
    // CPU 1 was idle: its idle loop drains the queue as soon as its clock reaches the insertion.
    assertThat(ranAtNs.get(0)).isBetween(queuedAtNs[0], queuedAtNs[0] + 10 * US);
  }

  @Test
  void dpcQueuedFromADpcRoutineRunsOnItsTargetProcessor() {
    sys = TestOs.boot(2);
    Kdpc second = dpc("second", Kdpc.HIGH_IMPORTANCE, 1);
    Kdpc first = sys.os.kernel.initializeDpc("first", (self, ctx, a1, a2) -> {
      ran.add("first");
      ranOnCpu.add(sys.currentCpu());
      ranAtNs.add(sys.nowNs());
      sys.os.kernel.insertQueueDpc(second, null, null);
    }, null, sys.os.kernel.staticAddress(0x20));
    busy(1, 10 * MS);
    systemThreadOn(0, () -> {
      sys.compute(100 * US);
      sys.os.kernel.insertQueueDpc(first, null, null);
      return 0;
    });
    sys.runFor(MS);

    assertThat(ran).containsExactly("first", "second");
    assertThat(ranOnCpu).containsExactly(0, 1);
    assertThat(dpcIpis()).hasSize(1);
  }

  @Test
  void highImportanceDpcForABusyProcessorSendsAnIpiAndRunsPromptly() {
    sys = TestOs.boot(2);
    Kdpc d = dpc("d", Kdpc.HIGH_IMPORTANCE, 1);
    busy(1, 20 * MS);
    long[] queuedAtNs = new long[1];
    systemThreadOn(0, () -> {
      sys.compute(300 * US);
      queuedAtNs[0] = sys.nowNs();
      sys.os.kernel.insertQueueDpc(d, null, null);
      return 0;
    });
    sys.runFor(2 * MS);

    assertThat(ranOnCpu).containsExactly(1);
    List<Event> ipis = dpcIpis();
    assertThat(ipis).hasSize(1);
    assertThat(ipis.get(0).cpu()).isZero();
    assertThat(ipis.get(0).b()).isEqualTo(1);
    assertThat(ranAtNs.get(0)).isBetween(queuedAtNs[0], queuedAtNs[0] + 10 * US);
  }

  @Test
  void mediumImportanceDpcForABusyProcessorWaitsForItsNextClockTick() {
    sys = TestOs.boot(2);
    Kdpc d = dpc("d", Kdpc.MEDIUM_IMPORTANCE, 1);
    busy(1, 40 * MS);
    long[] queuedAtNs = new long[1];
    systemThreadOn(0, () -> {
      sys.compute(300 * US);
      queuedAtNs[0] = sys.nowNs();
      sys.os.kernel.insertQueueDpc(d, null, null);
      return 0;
    });
    sys.runFor(sys.tickNs / 2);
    assertThat(ran).isEmpty();
    assertThat(sys.os.kernel.prcb(1).queuedDpcs()).containsExactly(d);

    sys.runFor(sys.tickNs);
    assertThat(ranOnCpu).containsExactly(1);
    long nextTickNs = (queuedAtNs[0] / sys.tickNs + 1) * sys.tickNs;
    assertThat(ranAtNs.get(0)).isBetween(nextTickNs, nextTickNs + 10 * US);
    assertThat(dpcIpis()).isEmpty();
  }

  @Test
  void mediumImportanceDpcsBeyondTheMaximumQueueDepthInterruptTheTarget() {
    sys = TestOs.boot(2);
    KPrcb target = sys.os.kernel.prcb(1);
    int depth = target.maximumDpcQueueDepth() + 1;
    List<Kdpc> dpcs = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      dpcs.add(dpc("d" + i, Kdpc.MEDIUM_IMPORTANCE, 1));
    }
    busy(1, 40 * MS);
    long[] queuedAtNs = new long[1];
    systemThreadOn(0, () -> {
      sys.compute(300 * US);
      queuedAtNs[0] = sys.nowNs();
      for (Kdpc d : dpcs) {
        sys.os.kernel.insertQueueDpc(d, null, null);
      }
      return 0;
    });
    sys.runFor(2 * MS);

    assertThat(ran).containsExactly("d0", "d1", "d2", "d3", "d4");
    assertThat(ranOnCpu).containsOnly(1);
    assertThat(dpcIpis()).hasSize(1);
    assertThat(ranAtNs.get(0)).isLessThan(queuedAtNs[0] + 20 * US);
  }

  @Test
  void lowImportanceDpcOnThisProcessorRunsAtOnceWhileTheDpcRateIsLow() {
    sys = TestOs.boot(1);
    Kdpc low = dpc("low", Kdpc.LOW_IMPORTANCE, -1);
    long[] queuedAtNs = new long[1];
    int[] rateWhenQueued = new int[1];
    systemThreadOn(0, () -> {
      rateWhenQueued[0] = sys.os.kernel.prcb(0).dpcRequestRate();
      queuedAtNs[0] = sys.nowNs();
      sys.os.kernel.insertQueueDpc(low, null, null);
      return 0;
    });
    sys.runFor(MS);

    assertThat(rateWhenQueued[0]).isLessThan(sys.os.kernel.prcb(0).minimumDpcRate());
    assertThat(ranAtNs).hasSize(1);
    assertThat(ranAtNs.get(0)).isBetween(queuedAtNs[0], queuedAtNs[0] + 10 * US);
  }

  @Test
  void lowImportanceDpcOnThisProcessorWaitsForTheClockWhileTheDpcRateIsHigh() {
    sys = TestOs.boot(1);
    List<Kdpc> burst = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      burst.add(dpc("burst" + i, Kdpc.MEDIUM_IMPORTANCE, -1));
    }
    Kdpc low = dpc("low", Kdpc.LOW_IMPORTANCE, -1);
    long[] queuedAtNs = new long[1];
    int[] rateWhenQueued = new int[1];
    KPrcb prcb = sys.os.kernel.prcb(0);
    systemThreadOn(0, () -> {
      // Eight DPCs in each of three clock intervals raise the processor's DPC request rate.
      for (int interval = 0; interval < 3; interval++) {
        for (Kdpc d : burst) {
          sys.os.kernel.insertQueueDpc(d, null, null);
        }
        long tick = sys.os.kernel.tickCount();
        while (sys.os.kernel.tickCount() == tick) {
          sys.compute(100 * US);
        }
      }
      sys.compute(100 * US);
      rateWhenQueued[0] = prcb.dpcRequestRate();
      queuedAtNs[0] = sys.nowNs();
      sys.os.kernel.insertQueueDpc(low, null, null);
      sys.compute(2 * sys.tickNs);
      return 0;
    });
    sys.runFor(6 * sys.tickNs);

    assertThat(rateWhenQueued[0]).isGreaterThanOrEqualTo(prcb.minimumDpcRate());
    int lowIndex = ran.indexOf("low");
    assertThat(lowIndex).isNotNegative();
    long nextTickNs = (queuedAtNs[0] / sys.tickNs + 1) * sys.tickNs;
    assertThat(ranAtNs.get(lowIndex)).isBetween(nextTickNs, nextTickNs + 10 * US);
  }

  @Test
  void highImportanceDpcGoesToTheHeadOfTheQueue() {
    sys = TestOs.boot(1);
    Kdpc a = dpc("a", Kdpc.MEDIUM_IMPORTANCE, -1);
    Kdpc b = dpc("b", Kdpc.LOW_IMPORTANCE, -1);
    Kdpc high = dpc("high", Kdpc.HIGH_IMPORTANCE, -1);
    List<Kdpc> queuedWhileRaised = new ArrayList<>();
    systemThreadOn(0, () -> {
      int old = sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      sys.os.kernel.insertQueueDpc(a, null, null);
      sys.os.kernel.insertQueueDpc(b, null, null);
      sys.os.kernel.insertQueueDpc(high, null, null);
      queuedWhileRaised.addAll(sys.os.kernel.prcb(0).queuedDpcs());
      sys.os.kernel.lowerIrql(old);
      return 0;
    });
    sys.runFor(MS);

    assertThat(queuedWhileRaised).containsExactly(high, a, b);
    assertThat(ran).containsExactly("high", "a", "b");
  }

  @Test
  void dpcAlreadyQueuedIsNotQueuedTwice() {
    sys = TestOs.boot(1);
    Kdpc d = dpc("d", Kdpc.MEDIUM_IMPORTANCE, -1);
    boolean[] results = new boolean[2];
    systemThreadOn(0, () -> {
      int old = sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      results[0] = sys.os.kernel.insertQueueDpc(d, null, null);
      results[1] = sys.os.kernel.insertQueueDpc(d, null, null);
      sys.os.kernel.lowerIrql(old);
      return 0;
    });
    sys.runFor(MS);

    assertThat(results).containsExactly(true, false);
    assertThat(ran).containsExactly("d");
  }

  @Test
  void dpcTimeIsChargedToDpcNotToTheInterruptedThread() {
    sys = TestOs.boot(1);
    Kdpc d = sys.os.kernel.initializeDpc("slow", (self, ctx, a1, a2) -> sys.compute(2 * MS),
        null, sys.os.kernel.staticAddress(0x20));
    EThread driver = systemThreadOn(0, () -> {
      sys.os.kernel.insertQueueDpc(d, null, null);
      return 0;
    });
    sys.runFor(5 * MS);

    assertThat(sys.os.machine.cpu(0).exactNs(org.ntsim.hal.TimeCategory.DPC))
        .isGreaterThanOrEqualTo(2 * MS);
    assertThat(driver.exactKernelNs()).isLessThan(MS);
  }

  /**
   * KiTimerExpiration releases the dispatcher lock after every few timers it expires, and the
   * release places the threads those timers readied: ready events follow each group of four
   * expiries rather than all of them.
   */
  @Test
  void timerDpcPlacesReleasedThreadsAfterEveryFourTimers() {
    sys = TestOs.boot(2);
    for (int i = 0; i < 10; i++) {
      systemThreadOn(i % 2, () -> {
        sys.os.kernel.delayExecution(Kernel.KERNEL_MODE, false, 20 * MS);
        return 0;
      });
    }
    sys.runFor(60 * MS);

    StringBuilder order = new StringBuilder();
    boolean inTimerDpc = false;
    for (Event e : sys.events()) {
      if (e.kind() == TraceKind.TIMER_EXPIRED) {
        inTimerDpc = true;
        order.append('E');
      } else if (inTimerDpc && e.kind() == TraceKind.READY) {
        order.append('R');
      } else if (inTimerDpc && e.kind() == TraceKind.DPC_END) {
        break;
      }
    }
    assertThat(order.toString()).isEqualTo("EEEERRRREEEERRRREERR");
  }

  // DPC queue depth adaptation (Windows Internals 5th ed., ch. 3, "DPC interrupt generation
  // rules"; WRK's KeUpdateRunTime): MaximumDpcQueueDepth 4, MinimumDpcRate 3, IdealDpcRate 20,
  // AdjustDpcThreshold 20.

  /** Queues a medium-importance DPC for busy processor 1, where it waits for the next tick. */
  private void dpcPendingAtProcessor1sNextTick() {
    Kdpc d = dpc("d", Kdpc.MEDIUM_IMPORTANCE, 1);
    busy(1, 2_000 * MS);
    systemThreadOn(0, () -> {
      sys.compute(300 * US);
      sys.os.kernel.insertQueueDpc(d, null, null);
      return 0;
    });
  }

  @Test
  void aTickThatFindsADpcPendingAtALowRateLowersTheMaximumDepthByOne() {
    sys = TestOs.boot(2);
    KPrcb p1 = sys.os.kernel.prcb(1);
    assertThat(p1.maximumDpcQueueDepth()).isEqualTo(4);
    dpcPendingAtProcessor1sNextTick();

    sys.runFor(sys.tickNs + sys.tickNs / 2);

    assertThat(ranOnCpu).containsExactly(1);
    assertThat(p1.dpcRequestRate()).isLessThan(20);
    assertThat(p1.maximumDpcQueueDepth()).isEqualTo(3);
    assertThat(p1.adjustDpcThreshold()).isEqualTo(20);
  }

  @Test
  void twentyTicksWithoutAPendingDpcRaiseTheMaximumDepthBackByOne() {
    sys = TestOs.boot(2);
    KPrcb p1 = sys.os.kernel.prcb(1);
    dpcPendingAtProcessor1sNextTick();
    assertThat(sys.runUntil(() -> p1.maximumDpcQueueDepth() == 3, 2 * sys.tickNs)).isTrue();
    long loweredAtTick = sys.os.kernel.tickCount();

    assertThat(sys.runUntil(() -> p1.maximumDpcQueueDepth() == 4, 30 * sys.tickNs)).isTrue();
    assertThat(sys.os.kernel.tickCount() - loweredAtTick).isEqualTo(20);
  }

  @Test
  void theMaximumDepthNeverRisesAboveItsRegistryValue() {
    sys = TestOs.boot(1);
    sys.runFor(45 * sys.tickNs);

    assertThat(sys.os.kernel.prcb(0).maximumDpcQueueDepth()).isEqualTo(4);
  }
}
