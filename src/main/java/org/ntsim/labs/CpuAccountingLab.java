package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.TimeCategory;
import org.ntsim.ke.KPrcb;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * The time-accounting quirk of seed 003 (slides 7-9): NT charges CPU time by sampling at each
 * clock interrupt whoever is running and at what IRQL. A thread that wakes just after a tick, runs
 * for most of the interval and waits again before the next tick is never seen running, so it is
 * never charged.
 *
 * <p>Two threads for three simulated seconds: "honest" computes without pause on CPU 0; "sneaky"
 * on CPU 1 sleeps one millisecond (which ends at the next clock tick), computes 8 to 12 ms (the
 * seed picks each burst), and sleeps again. Each thread's sampled time is printed beside its exact
 * time, and each CPU's sampled user, kernel, DPC, interrupt and idle time beside the exact
 * figures.
 */
final class CpuAccountingLab implements Lab {
  private static final long RUN_NS = 3_000_000_000L;
  private static final long SNEAKY_MIN_INSTRUCTIONS = 16_000_000; // 8 ms at 0.5 ns each
  private static final long SNEAKY_MAX_INSTRUCTIONS = 24_000_000; // 12 ms

  private Ntos os;
  private EProcess process;
  private final List<EThread> threads = new ArrayList<>();
  private final List<String> roles = new ArrayList<>();

  @Override
  public String name() {
    return "cpu-accounting";
  }

  @Override
  public String description() {
    return "seed 003's quirk: threads that run between clock ticks are never charged";
  }

  @Override
  public void start(Ntos os) {
    this.os = os;
    process = os.launch("accounting.exe", this::main);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  @Override
  public long timeLimitNs() {
    return RUN_NS + 1_000_000_000L;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    long end = ctx.nowNs() + RUN_NS;
    org.ntsim.hal.Prng workload = os.machine.prng.split("cpu-accounting");
    long honest = spawn(ctx, "honest", 0b01, p -> {
      while (ctx.nowNs() < end) {
        ctx.compute(workload.nextLong(500_000, 1_500_000));
      }
      return 0;
    });
    long sneaky = spawn(ctx, "sneaky", 0b10, p -> {
      while (ctx.nowNs() < end) {
        k32.Sleep(1);
        ctx.compute(workload.nextLong(SNEAKY_MIN_INSTRUCTIONS, SNEAKY_MAX_INSTRUCTIONS));
      }
      return 0;
    });
    for (long h : new long[] {honest, sneaky}) {
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      k32.CloseHandle(h);
    }
    return 0;
  }

  private long spawn(GuestContext ctx, String role, long affinity,
      org.ntsim.win32.ThreadProc body) {
    Kernel32 k32 = ctx.kernel32();
    int[] tid = new int[1];
    long h = k32.CreateThread(null, 0, body, 0, 0, tid);
    k32.SetThreadAffinityMask(h, affinity & ((1L << os.machine.cpuCount()) - 1));
    threads.add(LabSupport.keep(os, tid[0], role));
    roles.add(role);
    return h;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    long interval = os.machine.config.clockIntervalNs;
    out.printf("cpu-accounting: %s of simulated time on %d CPUs, clock interval %s%n%n",
        ThreadTable.ms(os.machine.nowNs()), os.machine.cpuCount(), ThreadTable.ms(interval));
    out.println("Threads (sampled: clock ticks x interval, as Task Manager would show;"
        + " exact: ntsim's own measure):");
    ThreadTable.print(out, threads, roles, interval);
    out.println();
    out.println("Processors (sampled ticks x interval / exact):");
    out.println("  CPU          user            kernel             dpc       interrupt"
        + "            idle");
    for (int i = 0; i < os.machine.cpuCount(); i++) {
      KPrcb p = os.kernel.prcb(i);
      Cpu cpu = os.machine.cpu(i);
      out.printf("  %3d  %s  %s  %s  %s  %s%n", i,
          pair(p.userTicks() * interval, cpu.exactNs(TimeCategory.USER)),
          pair(p.kernelTicks() * interval, cpu.exactNs(TimeCategory.KERNEL)),
          pair(p.dpcTicks() * interval, cpu.exactNs(TimeCategory.DPC)),
          pair(p.interruptTicks() * interval, cpu.exactNs(TimeCategory.INTERRUPT)),
          pair(p.idleTicks() * interval, cpu.exactNs(TimeCategory.IDLE)));
    }
    EThread sneaky = threads.size() > 1 ? threads.get(1) : null;
    out.println();
    out.println("Seed 003 expects: thread execution between clock intervals is not accounted;"
        + " a thread may run and never be charged.");
    if (sneaky != null) {
      long sampled = (sneaky.userTicks() + sneaky.kernelTicks()) * interval;
      long exact = sneaky.exactUserNs() + sneaky.exactKernelNs();
      out.printf("ntsim shows:      sneaky ran %s and was charged %s (%s of its time).%n",
          ThreadTable.ms(exact), ThreadTable.ms(sampled),
          exact == 0 ? "n/a" : String.format("%.1f%%", 100.0 * sampled / exact));
    }
  }

  private static String pair(long sampledNs, long exactNs) {
    return String.format("%6d/%-6d", sampledNs / 1_000_000, exactNs / 1_000_000);
  }
}
