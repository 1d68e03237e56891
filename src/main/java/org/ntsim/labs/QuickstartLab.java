package org.ntsim.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.ThreadState;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.trace.TraceKind;
import org.ntsim.trace.TraceSink;
import org.ntsim.win32.Ntos;

/**
 * The first look at the NT scheduler: five threads of one process on two processors for six
 * simulated seconds.
 *
 * <ul>
 *   <li>cruncher-A, B and C (normal priority, 8) compute without pause: three CPU-bound threads
 *       cannot all run on two processors. Each processor has its own ready queues, so at a
 *       quantum end a cruncher gives its processor up only to a thread of its priority in that
 *       processor's queue: two may take turns on one processor while the third keeps the other;
 *   <li>starved-D (below normal, 7) computes too but never wins a processor against them until
 *       the balance set manager, seeing it ready for about four seconds, boosts it to 15 for one
 *       quantum, after which it drops straight back;
 *   <li>ticker (highest, 10) sleeps 50 ms and computes about 0.2 ms, again and again: each time
 *       it wakes it takes a processor from a cruncher.
 * </ul>
 *
 * <p>The report counts what happened from the trace events as they are emitted (a listener on
 * the tracer): each quantum end by its outcome, each preemption, and how long each thread ran on
 * each processor; what Windows Internals expects is printed apart, as expectation. The seed
 * decides the length of every burst of work (crunchers 0.25-0.75 ms, ticker 0.1-0.3 ms), so each
 * seed gives its own interleaving and its own trace digest.
 */
final class QuickstartLab implements Lab {
  private static final long RUN_NS = 8_000_000_000L;

  private EProcess process;
  private Ntos os;
  private final List<EThread> threads = new ArrayList<>();
  private final List<String> roles = new ArrayList<>();
  private int tickerWakeups;
  private org.ntsim.hal.Prng workload; // the seed varies how long each burst of work is
  private EventCounts count;

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
    count = new EventCounts(os.machine.cpuCount());
    os.machine.tracer.listen(count);
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
    if (role.equals("ticker")) {
      count.tickerTid = tid[0];
    }
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
    int cpus = os.machine.cpuCount();
    count.closeIntervals(os.machine.nowNs());
    out.printf("quickstart: %d threads of quickstart.exe on %d CPUs, %s of simulated time%n",
        threads.size(), cpus, ThreadTable.ms(os.machine.nowNs()));
    out.printf("clock interval %s, quantum %d units (%d ticks), seed %d, backend %s%n%n",
        ThreadTable.ms(interval), process.quantumReset(), process.quantumReset() / 3,
        os.machine.config.seed, os.machine.backend.name());
    out.printf("%-58s", "What happened (counted from the run's events)");
    for (int cpu = 0; cpu < cpus; cpu++) {
      out.printf("  %7s", "CPU " + cpu);
    }
    out.printf("  %7s%n", "total");
    out.printf("%-58s%s%9d%n", "  ticker wake-ups (priority 10)", " ".repeat(9 * cpus),
        tickerWakeups);
    perCpu(out, "running threads preempted before their quantum ended", count.preempted);
    perCpu(out, "quantum ends", count.quantumEnds);
    perCpu(out, "  ... the CPU went to an equal-priority thread", count.roundRobin);
    perCpu(out, "  ... the CPU went to a higher-priority thread", count.toHigher);
    perCpu(out, "  ... the thread kept the CPU", count.kept);
    out.printf("%-58s%s%9d%n", "  starvation boosts to 15", " ".repeat(9 * cpus),
        os.kernel.starvationBoosts());
    out.println();
    out.println("Where each thread ran (from the context switches):");
    out.print("  Thread        ");
    for (int cpu = 0; cpu < cpus; cpu++) {
      out.printf("  %14s", "CPU " + cpu);
    }
    out.println();
    for (int i = 0; i < threads.size(); i++) {
      out.printf("  %-12s  ", roles.get(i));
      for (int cpu = 0; cpu < cpus; cpu++) {
        out.printf("  %14s", ThreadTable.ms(count.ranNs[cpu][i]));
      }
      out.println();
    }
    out.println();
    out.println("Seen here:");
    for (String line : turnsTaken(cpus)) {
      out.println("  " + line);
    }
    if (count.tickerDispatches > 0) {
      out.printf("  ticker: woken and then running %d times, %s after its wait ended on average,"
          + " %s at most%n",
          count.tickerDispatches,
          ThreadTable.us(count.tickerWaitSumNs / count.tickerDispatches),
          ThreadTable.us(count.tickerWaitMaxNs));
    }
    out.println();
    out.println("Windows Internals expects:");
    out.println("  a higher-priority thread that becomes ready runs at once (the ticker wakes every"
        + " 50 ms, rounded up to a clock tick);");
    out.printf("  a quantum lasts %d ticks of CPU time; at its end the CPU goes round robin to a"
        + " ready thread of the same priority%n", process.quantumReset() / 3);
    out.println("  in that processor's ready queue (per-processor queues: a thread alone at its"
        + " priority in its queue keeps the CPU);");
    out.println("  a thread ready about 4 s without running is boosted to 15 for a quantum.");
    out.println();
    out.println("Threads (base and current priority at the end; time sampled at clock ticks"
        + " and exact):");
    ThreadTable.print(out, threads, roles, interval);
    out.printf("%nquickstart.exe exit code: %s%n", process.exitTimeNs() >= 0
        ? String.format("0x%X", process.exitStatus()) : "still running");
  }

  private static void perCpu(PrintStream out, String label, long[] byCpu) {
    out.printf("  %-56s", label);
    long total = 0;
    for (long n : byCpu) {
      out.printf("  %7d", n);
      total += n;
    }
    out.printf("  %7d%n", total);
  }

  /**
   * One line per processor, from the run: which crunchers took turns on it, or which one kept
   * it (a thread that ran there at least a tenth of the time counts).
   */
  List<String> turnsTaken(int cpus) {
    List<String> lines = new ArrayList<>();
    long now = os.machine.nowNs();
    for (int cpu = 0; cpu < cpus; cpu++) {
      List<String> crunchers = new ArrayList<>();
      for (int i = 0; i < threads.size(); i++) {
        if (roles.get(i).startsWith("cruncher") && count.ranNs[cpu][i] * 10 >= now) {
          crunchers.add(roles.get(i));
        }
      }
      if (crunchers.size() > 1) {
        lines.add(String.format("CPU %d: %s took turns (%d round-robin quantum ends)", cpu,
            String.join(", ", crunchers), count.roundRobin[cpu]));
      } else if (crunchers.size() == 1) {
        lines.add(String.format("CPU %d: %s kept it; %d of its quantum ends found no other ready"
            + " thread of its priority in CPU %d's ready queue", cpu, crunchers.get(0),
            count.kept[cpu], cpu));
      } else {
        lines.add(String.format("CPU %d: no cruncher ran there a tenth of the time", cpu));
      }
    }
    return lines;
  }

  /**
   * Counts, from the trace events as they are emitted, what became of each quantum end and each
   * context switch, per processor; and how long each of the lab's threads ran on each.
   */
  private final class EventCounts implements TraceSink {
    final long[] quantumEnds;
    final long[] roundRobin; // quantum ends that handed the CPU to an equal-priority thread
    final long[] toHigher; // quantum ends where a higher-priority thread took the CPU
    final long[] kept; // quantum ends after which the thread kept running
    final long[] preempted; // switches away from a thread left ready, not at a quantum end
    final long[][] ranNs; // [cpu][index in threads]
    private final long[] pendingQuantumEnd; // tid whose quantum end awaits its switch, or -1
    private final long[] runningTid;
    private final long[] runningSinceNs;
    long tickerTid = -1;
    private long tickerReadyNs = -1; // when the ticker's last wait ended, until it runs
    long tickerDispatches; // times the ticker went from a satisfied wait to running
    long tickerWaitSumNs;
    long tickerWaitMaxNs;

    EventCounts(int cpus) {
      quantumEnds = new long[cpus];
      roundRobin = new long[cpus];
      toHigher = new long[cpus];
      kept = new long[cpus];
      preempted = new long[cpus];
      ranNs = new long[cpus][5];
      pendingQuantumEnd = new long[cpus];
      runningTid = new long[cpus];
      runningSinceNs = new long[cpus];
      java.util.Arrays.fill(pendingQuantumEnd, -1);
    }

    @Override
    public void emit(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {
      if (kind == TraceKind.UNWAIT && a == tickerTid && tickerReadyNs < 0) {
        tickerReadyNs = timeNs;
      }
      if (cpu < 0 || cpu >= quantumEnds.length) {
        return;
      }
      if (kind == TraceKind.QUANTUM_END) {
        quantumEnds[cpu]++;
        if (c == 0) {
          kept[cpu]++;
        } else {
          pendingQuantumEnd[cpu] = a;
        }
      } else if (kind == TraceKind.CONTEXT_SWITCH) {
        charge(cpu, timeNs);
        runningTid[cpu] = b;
        if (b == tickerTid && tickerReadyNs >= 0) {
          long waitedNs = timeNs - tickerReadyNs;
          tickerDispatches++;
          tickerWaitSumNs += waitedNs;
          tickerWaitMaxNs = Math.max(tickerWaitMaxNs, waitedNs);
          tickerReadyNs = -1;
        }
        if (pendingQuantumEnd[cpu] == a) {
          if (priorityOf(b) > priorityOf(a)) {
            toHigher[cpu]++;
          } else {
            roundRobin[cpu]++;
          }
        } else if ((c & 0xFF) == ThreadState.READY.code()) {
          preempted[cpu]++;
        }
        pendingQuantumEnd[cpu] = -1;
      }
    }

    private void charge(int cpu, long nowNs) {
      int i = indexOf(runningTid[cpu]);
      if (i >= 0) {
        ranNs[cpu][i] += nowNs - runningSinceNs[cpu];
      }
      runningSinceNs[cpu] = nowNs;
    }

    void closeIntervals(long nowNs) {
      for (int cpu = 0; cpu < runningTid.length; cpu++) {
        charge(cpu, nowNs);
      }
    }

    private int priorityOf(long tid) {
      int i = indexOf(tid);
      return i >= 0 ? threads.get(i).priority() : tid == 0 ? 0 : Integer.MAX_VALUE;
    }

    private int indexOf(long tid) {
      for (int i = 0; i < threads.size(); i++) {
        if (threads.get(i).tid() == tid) {
          return i;
        }
      }
      return -1;
    }
  }
}
