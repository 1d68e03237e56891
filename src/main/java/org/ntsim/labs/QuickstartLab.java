package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * The first look at the NT scheduler: five threads of one process on two processors for six
 * simulated seconds.
 *
 * <ul>
 *   <li>cruncher-A, B and C (normal priority, 8) compute without pause: three CPU-bound threads
 *       cannot all run on two processors, so equal priorities take turns a quantum at a time;
 *   <li>starved-D (below normal, 7) computes too but never wins a processor against them until
 *       the balance set manager, seeing it ready for about four seconds, boosts it to 15 for one
 *       quantum, after which it drops straight back;
 *   <li>ticker (highest, 10) sleeps 50 ms and computes about 0.2 ms, again and again: each time
 *       it wakes it preempts a cruncher at once.
 * </ul>
 *
 * <p>The seed decides the length of every burst of work (crunchers 0.25-0.75 ms, ticker
 * 0.1-0.3 ms), so each seed gives its own interleaving and its own trace digest.
 */
final class QuickstartLab implements Lab {
  private static final long RUN_NS = 6_000_000_000L;

  private EProcess process;
  private Ntos os;
  private final List<EThread> threads = new ArrayList<>();
  private final List<String> roles = new ArrayList<>();
  private int tickerWakeups;
  private org.ntsim.hal.Prng workload; // the seed varies how long each burst of work is

  @Override
  public String name() {
    return "quickstart";
  }

  @Override
  public String description() {
    return "threads at different priorities on 2 CPUs: preemption, round robin, boosts";
  }

  @Override
  public void start(Ntos os) {
    this.os = os;
    process = os.launch("quickstart.exe", this::main);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  @Override
  public long timeLimitNs() {
    return RUN_NS + 2_000_000_000L;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    long end = ctx.nowNs() + RUN_NS;
    workload = os.machine.prng.split("quickstart");
    long[] handles = {
      spawn(ctx, "cruncher-A", Kernel32.THREAD_PRIORITY_NORMAL, p -> crunch(ctx, end)),
      spawn(ctx, "cruncher-B", Kernel32.THREAD_PRIORITY_NORMAL, p -> crunch(ctx, end)),
      spawn(ctx, "cruncher-C", Kernel32.THREAD_PRIORITY_NORMAL, p -> crunch(ctx, end)),
      spawn(ctx, "starved-D", Kernel32.THREAD_PRIORITY_BELOW_NORMAL, p -> crunch(ctx, end)),
      spawn(ctx, "ticker", Kernel32.THREAD_PRIORITY_HIGHEST, p -> tick(ctx, end)),
    };
    for (long h : handles) {
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      k32.CloseHandle(h);
    }
    return 0;
  }

  private long spawn(GuestContext ctx, String role, int level, org.ntsim.win32.ThreadProc body) {
    Kernel32 k32 = ctx.kernel32();
    int[] tid = new int[1];
    long h = k32.CreateThread(null, 0, body, 0, 0, tid);
    k32.SetThreadPriority(h, level);
    threads.add(LabSupport.keep(os, tid[0], role));
    roles.add(role);
    return h;
  }

  private int crunch(GuestContext ctx, long end) {
    while (ctx.nowNs() < end) {
      ctx.compute(workload.nextLong(500_000, 1_500_000));
    }
    return 0;
  }

  private int tick(GuestContext ctx, long end) {
    Kernel32 k32 = ctx.kernel32();
    while (ctx.nowNs() < end) {
      k32.Sleep(50);
      tickerWakeups++;
      ctx.compute(workload.nextLong(200_000, 600_000));
    }
    return 0;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    long interval = os.machine.config.clockIntervalNs;
    out.printf("quickstart: %d threads of quickstart.exe on %d CPUs, %s of simulated time%n",
        threads.size(), os.machine.cpuCount(), ThreadTable.ms(os.machine.nowNs()));
    out.printf("clock interval %s, quantum %d units (%d ticks), seed %d, backend %s%n%n",
        ThreadTable.ms(interval), process.quantumReset(), process.quantumReset() / 3,
        os.machine.config.seed, os.machine.backend.name());
    out.println("What happened                              ntsim     Windows Internals expects");
    out.printf("  ticker wake-ups (priority 10)        %8d     wakes every 50 ms (rounded up to"
        + " a clock tick)%n", tickerWakeups);
    out.printf("  preemptions of a running thread      %8d     a higher-priority thread that"
        + " becomes ready runs at once%n", os.kernel.preemptions());
    out.printf("  quantum ends                         %8d     every %d ticks of CPU time%n",
        os.kernel.quantumEnds(), process.quantumReset() / 3);
    out.printf("  ... that rotated equal priorities    %8d     round robin among threads of"
        + " equal priority%n", os.kernel.roundRobins());
    out.printf("  starvation boosts to 15              %8d     a thread ready ~4 s without"
        + " running gets 15 for a quantum%n", os.kernel.starvationBoosts());
    out.println();
    out.println("Threads (base and current priority at the end; time sampled at clock ticks"
        + " and exact):");
    ThreadTable.print(out, threads, roles, interval);
    out.printf("%nquickstart.exe exit code: %s%n", process.exitTimeNs() >= 0
        ? String.format("0x%X", process.exitStatus()) : "still running");
  }
}
