package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Prng;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.PsConstants;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * A seeded random workload for the scheduler, in the style of simulation testing: the seed picks
 * how many processes (1-3) and of which priority classes, how many threads each (1-8), and every
 * operation each thread performs: compute bursts, sleeps (including Sleep(0)), SwitchToThread,
 * priority and affinity changes on itself, timed joins on a sibling, early exits. The randomized
 * tests run it over many seeds with the kernel's invariants checked after every slice; a failing
 * seed replays with {@code ntsim run stress --seed N --cpus M}.
 */
public final class StressLab implements Lab {
  private static final int[] CLASSES = {
    PsConstants.IDLE_PRIORITY_CLASS, PsConstants.BELOW_NORMAL_PRIORITY_CLASS,
    PsConstants.NORMAL_PRIORITY_CLASS, PsConstants.ABOVE_NORMAL_PRIORITY_CLASS,
    PsConstants.HIGH_PRIORITY_CLASS, PsConstants.REALTIME_PRIORITY_CLASS
  };
  private static final int[] LEVELS = {-15, -2, -1, 0, 1, 2, 15};

  private final List<EProcess> processes = new ArrayList<>();
  private Prng prng;
  private Ntos os;
  private long operations;

  @Override
  public String name() {
    return "stress";
  }

  @Override
  public String description() {
    return "seeded random scheduler workload (the randomized tests replay it by seed)";
  }

  @Override
  public void start(Ntos os) {
    this.os = os;
    this.prng = os.machine.prng.split("stress");
    int count = 1 + prng.nextInt(3);
    for (int i = 0; i < count; i++) {
      int cls = CLASSES[prng.nextInt(CLASSES.length)];
      int threads = 1 + prng.nextInt(8);
      processes.add(os.launch("stress" + i + ".exe", cls, ctx -> main(ctx, threads)));
    }
  }

  @Override
  public long timeLimitNs() {
    return 120_000_000_000L;
  }

  @Override
  public boolean finished(Ntos os) {
    for (EProcess p : processes) {
      if (p.exitTimeNs() < 0) {
        return false;
      }
    }
    return true;
  }

  private int main(GuestContext ctx, int threadCount) {
    Kernel32 k32 = ctx.kernel32();
    long[] handles = new long[threadCount];
    for (int i = 0; i < threadCount; i++) {
      final int index = i;
      handles[i] = k32.CreateThread(null, 0, p -> worker(ctx, handles, index), 0, 0, null);
    }
    for (long h : handles) {
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      k32.CloseHandle(h);
    }
    return 0;
  }

  private int worker(GuestContext ctx, long[] siblings, int index) {
    Kernel32 k32 = ctx.kernel32();
    int ops = 5 + prng.nextInt(40);
    long allCpus = (1L << os.machine.cpuCount()) - 1;
    for (int i = 0; i < ops; i++) {
      operations++;
      switch (prng.nextInt(9)) {
        case 0, 1 -> ctx.compute(prng.nextLong(1_000, 20_000_000));
        case 2 -> k32.Sleep(prng.nextInt(40));
        case 3 -> k32.Sleep(0);
        case 4 -> k32.SwitchToThread();
        case 5 -> k32.SetThreadPriority(k32.GetCurrentThread(), LEVELS[prng.nextInt(LEVELS.length)]);
        case 6 -> {
          long mask = prng.nextLong(1, allCpus);
          k32.SetThreadAffinityMask(k32.GetCurrentThread(), mask);
        }
        case 7 -> {
          long sibling = siblings[prng.nextInt(siblings.length)];
          if (sibling != 0) {
            k32.WaitForSingleObject(sibling, prng.nextInt(30));
          }
        }
        default -> {
          if (prng.nextInt(10) == 0) {
            k32.ExitThread(100 + index);
          }
          ctx.compute(prng.nextLong(1_000, 100_000));
        }
      }
    }
    return index;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.printf("stress: %d processes, %d operations, %s simulated, %d context switches%n",
        processes.size(), operations, ThreadTable.ms(os.machine.nowNs()),
        totalSwitches(os));
    for (EProcess p : processes) {
      out.printf("  %-12s class %-11s exit %s%n", p.imageName(),
          PsConstants.className(p.priorityClass()),
          p.exitTimeNs() >= 0 ? String.format("0x%X", p.exitStatus()) : "still running");
    }
  }

  private static long totalSwitches(Ntos os) {
    long n = 0;
    for (int i = 0; i < os.machine.cpuCount(); i++) {
      n += os.kernel.prcb(i).contextSwitches();
    }
    return n;
  }
}
