package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;
import static org.ntsim.win32.TestOs.US;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.Prng;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.TestOs;

/**
 * A randomised workload in the style of DESIGN.md section 6: the seed chooses the processors and
 * what each thread does (compute, wait with a timeout, signal with a boost, yield, sleep, change
 * another thread's priority or affinity, queue a DPC anywhere, end another thread); the
 * dispatcher's invariants are checked after every slice (50 us of simulated time) for safety,
 * then every thread must end (liveness). The test run's kernel sweep ({@code hal.Checks}) runs
 * alongside.
 *
 * <p>Invariants (KThread, KPrcb): a READY thread is in exactly the ready queue of {@code
 * readyCpu}, at its priority, on a processor its affinity allows; the ready summary has bit p
 * exactly when list p is not empty; a STANDBY thread is exactly one processor's NextThread and
 * a RUNNING one exactly one processor's CurrentThread; a WAITING thread has wait blocks; nothing
 * stays DeferredReady past a dispatcher exit; a variable-priority thread's priority stays within
 * base..15; the time a thread reads never goes back, whichever processor it moves to.
 */
class SchedulerInvariantTest {

  @Property(tries = 8)
  void dispatcherInvariantsHoldAndEveryThreadEnds(@ForAll @LongRange(min = 1) long seed) {
    Prng choose = new Prng(seed).split("shape");
    MachineConfig config = TestOs.config(1 + choose.nextInt(3));
    config.seed = seed;
    config.recordTrace = false;
    try (TestOs sys = TestOs.boot(config)) {
      String where = "SEED=" + seed + " cpus=" + config.cpus;
      List<String> backwards = new ArrayList<>();
      List<EThread> threads =
          startWorkload(sys, sys.os.machine.prng.split("workload"), backwards);

      long end = sys.os.machine.nowNs() + 400 * MS;
      while (sys.os.machine.nowNs() < end && !allEnded(threads)) {
        sys.runFor(50 * US);
        checkInvariants(sys, where);
      }
      assertThat(sys.os.kernel.bugCheck()).as(where).isNull();
      assertThat(allEnded(threads)).as(where + ": every thread ends").isTrue();
      assertThat(backwards).as(where + ": a thread's clock never goes back").isEmpty();
    }
  }

  private static boolean allEnded(List<EThread> threads) {
    for (EThread t : threads) {
      if (t.state() != ThreadState.TERMINATED) {
        return false;
      }
    }
    return true;
  }

  private static List<EThread> startWorkload(TestOs sys, Prng rng, List<String> backwards) {
    EProcess p = sys.process("fuzz.exe");
    int n = 3 + rng.nextInt(6);
    KEvent[] events = new KEvent[3];
    for (int i = 0; i < events.length; i++) {
      events[i] = i == 0 ? sys.notificationEvent() : sys.synchronizationEvent();
    }
    Kdpc[] dpcs = new Kdpc[3];
    for (int i = 0; i < dpcs.length; i++) {
      dpcs[i] = sys.os.kernel.initializeDpc("fuzz" + i,
          (d, ctx, a1, a2) -> sys.compute(rng.nextLong(1_000, 200_000)), null,
          sys.os.kernel.staticAddress(0x20));
    }
    List<EThread> threads = new ArrayList<>();
    long allCpus = sys.os.ps.allProcessorsMask();
    for (int i = 0; i < n; i++) {
      int steps = 5 + rng.nextInt(20);
      String name = "t" + i;
      threads.add(sys.thread(p, name, 4 + rng.nextInt(8), () -> {
        Kernel k = sys.os.kernel;
        long seenNs = sys.nowNs();
        for (int s = 0; s < steps; s++) {
          if (sys.nowNs() < seenNs) {
            backwards.add(name + " saw time go from " + seenNs + " back to " + sys.nowNs());
          }
          seenNs = sys.nowNs();
          switch (rng.nextInt(10)) {
            case 0, 1 -> sys.compute(rng.nextLong(1_000, 3 * MS));
            case 2 -> k.waitForSingleObject(events[rng.nextInt(events.length)],
                WaitReason.USER_REQUEST, Kernel.USER_MODE, false, rng.nextLong(1, 10) * MS);
            case 3 -> k.setEvent(events[rng.nextInt(events.length)], rng.nextInt(3));
            case 4 -> k.yieldExecution();
            case 5 -> k.delayExecution(Kernel.USER_MODE, false, rng.nextLong(0, 3) * MS);
            case 6 -> {
              EThread other = threads.get(rng.nextInt(threads.size()));
              if (other.state() != ThreadState.TERMINATED) {
                k.setBasePriority(other, 1 + rng.nextInt(15));
              }
            }
            case 7 -> {
              EThread other = threads.get(rng.nextInt(threads.size()));
              long mask = 1 + rng.nextLong(0, allCpus - 1);
              if (other.state() != ThreadState.TERMINATED) {
                k.setAffinityThread(other, mask & allCpus);
              }
            }
            case 8 -> {
              Kdpc dpc = dpcs[rng.nextInt(dpcs.length)];
              k.setTargetProcessorDpc(dpc, rng.nextInt(k.processorCount()));
              k.setImportanceDpc(dpc, rng.nextInt(3));
              k.insertQueueDpc(dpc, null, null);
            }
            default -> {
              EThread other = threads.get(rng.nextInt(threads.size()));
              if (rng.nextInt(4) == 0 && other.state() != ThreadState.TERMINATED) {
                sys.os.ps.terminateThread(other, 0x1234);
              }
            }
          }
        }
        return 0;
      }));
    }
    return threads;
  }

  private static void checkInvariants(TestOs sys, String where) {
    Kernel k = sys.os.kernel;
    int cpus = k.processorCount();
    for (int c = 0; c < cpus; c++) {
      KPrcb prcb = k.prcb(c);
      KThread current = prcb.currentThread();
      assertThat(current.isIdleThread() || current.state() == ThreadState.RUNNING)
          .as("%s: CPU %d current %s is running", where, c, current.name()).isTrue();
      KThread next = prcb.nextThread();
      if (next != null && !next.isIdleThread()) {
        assertThat(next.state()).as("%s: CPU %d NextThread %s", where, c, next.name())
            .isEqualTo(ThreadState.STANDBY);
      }
      int count = 0;
      for (int p = 0; p < 32; p++) {
        List<KThread> ready = prcb.readyAt(p);
        assertThat((prcb.readySummary() & (1 << p)) != 0).as("%s: CPU %d summary bit %d", where,
            c, p).isEqualTo(!ready.isEmpty());
        for (KThread t : ready) {
          assertThat(t.state()).as("%s: %s queued on CPU %d", where, t.name(), c)
              .isEqualTo(ThreadState.READY);
          assertThat(t.priority()).as("%s: %s in list %d", where, t.name(), p).isEqualTo(p);
          assertThat(t.readyCpu()).as("%s: %s readyCpu", where, t.name()).isEqualTo(c);
          assertThat(t.affinity() & (1L << c)).as("%s: %s may run on CPU %d", where, t.name(), c)
              .isNotZero();
        }
        count += ready.size();
      }
      assertThat(prcb.readyCount()).as("%s: CPU %d ready count", where, c).isEqualTo(count);
    }
    for (KThread t : k.liveThreads()) {
      int currentOn = 0;
      int standbyOn = 0;
      int queuedOn = 0;
      for (int c = 0; c < cpus; c++) {
        KPrcb prcb = k.prcb(c);
        currentOn += prcb.currentThread() == t ? 1 : 0;
        standbyOn += prcb.nextThread() == t ? 1 : 0;
        queuedOn += prcb.readyAt(t.priority()).contains(t) ? 1 : 0;
      }
      String name = where + ": " + t.name() + " " + t.state().ntName();
      switch (t.state()) {
        case RUNNING -> assertThat(currentOn).as(name).isEqualTo(1);
        case STANDBY -> assertThat(standbyOn).as(name).isEqualTo(1);
        case READY -> assertThat(queuedOn).as(name).isEqualTo(1);
        case WAITING -> assertThat(t.currentWaitBlocks()).as(name).isNotEmpty();
        case DEFERRED_READY -> assertThat(t.state()).as(name + " past a dispatcher exit")
            .isNotEqualTo(ThreadState.DEFERRED_READY);
        default -> { }
      }
      if (t.state() != ThreadState.RUNNING) {
        assertThat(currentOn).as(name + " is nobody's current thread").isZero();
      }
      if (t.state() != ThreadState.STANDBY) {
        assertThat(standbyOn).as(name + " is nobody's NextThread").isZero();
      }
      if (t.basePriority() < KThread.LOW_REALTIME_PRIORITY) {
        assertThat(t.priority()).as(name + " priority").isBetween(t.basePriority(), 15);
      }
    }
  }
}
