package org.ntsim.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.Prng;
import org.ntsim.hal.TimeCategory;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;
import org.ntsim.win32.ThreadProc;

/**
 * How the host cost of simulation grows with the number of threads: 10, 1,000 and 100,000 guest
 * threads on the default machine (2 CPUs, continuation backend), each looping "sleep 10..100 ms
 * (drawn from a split stream of the machine's generator), then compute 3,000 instructions".
 *
 * <p>Method. First a throwaway machine runs the same code until the JIT has compiled it (a
 * thread keeps the frames it started with, interpreted ones included, for its whole life; see
 * BENCHMARKS.md). Then one machine per case: the host time to create its threads (a main thread
 * at THREAD_PRIORITY_HIGHEST calls CreateThread for each, so that creation is not interleaved
 * with its own preemption), and a simulated warm-up. Then measured rounds, the cases taking
 * turns round by round so that a slow stretch of the host weighs on all of them alike.
 *
 * <p>Reported per case, as the median over rounds: host ns per simulated second, and host ns per
 * simulated event, where an event is a context switch or a wake-up (a worker's loop iteration),
 * and per trace event. The target compares the cost per event at 100,000 threads with that at
 * 1,000, round by round (median of the per-round ratios): within 2x. At 100,000 threads the two
 * CPUs are saturated (the threads ask for about 3.5 times the CPU time there is), so that case
 * also exercises long ready queues and a large timer table.
 */
final class ScaleBenchmark {
  static final String NAME = "scale";
  static final double TARGET_RATIO = 2.0;
  static final int WORK_INSTRUCTIONS = 3_000;
  static final int MIN_SLEEP_MS = 10;
  static final int MAX_SLEEP_MS = 100;

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final int ROUNDS = 9;

  /** Simulated time: warm-up after creation, then each measured round. */
  private record Case(int threads, long warmupNs, long roundNs) {}

  private static final Case[] CASES = {
    new Case(10, 2 * S, 20 * S),
    new Case(1_000, 2 * S, 10 * S),
    new Case(100_000, 1 * S, 1 * S),
  };

  /** Before any case: a machine that runs the same code long enough for the JIT to compile it. */
  private static final Case JIT_WARMUP = new Case(2_000, 3 * S, 0);

  /** The guest's side of the workload: counters the benchmark reads between rounds. */
  private static final class Workload {
    boolean created;
    long wakeups;
  }

  /** Counters at one instant of a run. */
  private record Sample(long hostNs, long simNs, long switches, long wakeups, long traceEvents,
      long idleNs) {}

  /** One case's machine and what has been measured on it. */
  private static final class Run {
    final Case c;
    final Ntos os;
    final Workload w = new Workload();
    long createHostNs;
    long createSimNs;
    Sample first;
    Sample last;
    long measuredHostNs;
    long measuredSimNs;
    final double[] nsPerSimSecond = new double[ROUNDS];
    final double[] nsPerEvent = new double[ROUNDS];
    final double[] nsPerTraceEvent = new double[ROUNDS];

    Run(Case c) {
      this.c = c;
      this.os = new Ntos(new MachineConfig());
    }

    /** Creates the threads (timed) and warms up. */
    void start() {
      long t0 = System.nanoTime();
      startWorkload(os, c.threads(), w);
      while (!w.created) {
        step(os, MS);
      }
      createHostNs = System.nanoTime() - t0;
      createSimNs = os.machine.nowNs();
      step(os, c.warmupNs());
      first = sample();
      last = first;
    }

    void round(int r) {
      Sample before = sample(); // not `last`: another case's round ran in between
      step(os, c.roundNs());
      Sample after = sample();
      long hostNs = after.hostNs() - before.hostNs();
      measuredHostNs += hostNs;
      measuredSimNs += after.simNs() - before.simNs();
      long events = after.switches() - before.switches() + after.wakeups() - before.wakeups();
      nsPerSimSecond[r] = hostNs * 1e9 / (after.simNs() - before.simNs());
      nsPerEvent[r] = (double) hostNs / events;
      nsPerTraceEvent[r] = (double) hostNs / (after.traceEvents() - before.traceEvents());
      last = after;
    }

    Sample sample() {
      long switches = 0;
      for (int i = 0; i < os.kernel.processorCount(); i++) {
        switches += os.kernel.prcb(i).contextSwitches();
      }
      long idle = 0;
      for (int i = 0; i < os.machine.cpuCount(); i++) {
        idle += os.machine.cpu(i).exactNs(TimeCategory.IDLE);
      }
      return new Sample(System.nanoTime(), os.machine.nowNs(), switches, w.wakeups,
          os.machine.tracer.eventCount(), idle);
    }
  }

  private ScaleBenchmark() {}

  static Json run() {
    Run warmup = new Run(JIT_WARMUP);
    warmup.start();
    warmup.os.shutdown();
    System.gc(); // before the measured machines exist, so that it moves none of their objects

    List<Run> runs = new ArrayList<>();
    try {
      for (Case c : CASES) {
        Run run = new Run(c);
        runs.add(run);
        run.start();
      }
      for (int r = 0; r < ROUNDS; r++) {
        for (Run run : runs) {
          run.round(r);
        }
      }
      long heapBytes = usedHeapAfterGc(); // after the rounds: a full GC moves stack chunks to the old generation
      List<Json> rows = new ArrayList<>();
      for (Run run : runs) {
        rows.add(describe(run));
      }
      double[] ratios = new double[ROUNDS];
      for (int r = 0; r < ROUNDS; r++) {
        ratios[r] = find(runs, 100_000).nsPerEvent[r] / find(runs, 1_000).nsPerEvent[r];
      }
      double ratio = SwitchBenchmark.median(ratios);
      return new Json()
          .put("benchmark", NAME)
          .put("workload", "2 CPUs, continuation; each thread loops Sleep(" + MIN_SLEEP_MS + ".."
              + MAX_SLEEP_MS + " ms), compute " + WORK_INSTRUCTIONS + " instructions")
          .put("cases", rows)
          .put("live_heap_mib_all_cases", heapBytes / (double) (1 << 20))
          .put("per_event_ratio_100k_to_1k", ratio)
          .put("per_event_ratio_by_round", roundTo1(ratios))
          .put("target", new Json().put("per_event_ratio_max", TARGET_RATIO))
          .put("met", ratio <= TARGET_RATIO)
          .put("host", HostInfo.describe());
    } finally {
      for (Run run : runs) {
        run.os.shutdown();
      }
    }
  }

  private static Run find(List<Run> runs, int threads) {
    for (Run run : runs) {
      if (run.c.threads() == threads) {
        return run;
      }
    }
    throw new IllegalStateException("no case with " + threads + " threads");
  }

  private static Json describe(Run run) {
    Sample first = run.first;
    Sample last = run.last;
    double busy = 1.0 - (double) (last.idleNs() - first.idleNs())
        / ((double) (last.simNs() - first.simNs()) * run.os.machine.cpuCount());
    return new Json()
        .put("threads", run.c.threads())
        .put("create_host_ms", run.createHostNs / 1e6)
        .put("create_simulated_ms", run.createSimNs / 1e6)
        .put("rounds", ROUNDS)
        .put("simulated_s", run.measuredSimNs / 1e9)
        .put("host_s", run.measuredHostNs / 1e9)
        .put("context_switches", last.switches() - first.switches())
        .put("wakeups", last.wakeups() - first.wakeups())
        .put("trace_events", last.traceEvents() - first.traceEvents())
        .put("cpu_busy_percent", busy * 100)
        .put("host_ns_per_simulated_second", (double) Math.round(median(run.nsPerSimSecond)))
        .put("host_ns_per_event", median(run.nsPerEvent))
        .put("host_ns_per_trace_event", median(run.nsPerTraceEvent))
        .put("host_ns_per_event_by_round", roundTo1(run.nsPerEvent));
  }

  private static List<Double> roundTo1(double[] values) {
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(Math.round(v * 10) / 10.0);
    }
    return out;
  }

  private static double median(double[] values) {
    return SwitchBenchmark.median(values);
  }

  private static void startWorkload(Ntos os, int threads, Workload w) {
    Prng sleeps = os.machine.prng.split("bench.scale.sleep");
    os.launch("scale.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.SetThreadPriority(k32.GetCurrentThread(), Kernel32.THREAD_PRIORITY_HIGHEST);
      ThreadProc worker = p -> {
        while (true) {
          k32.Sleep(MIN_SLEEP_MS + sleeps.nextInt(MAX_SLEEP_MS - MIN_SLEEP_MS + 1));
          ctx.compute(WORK_INSTRUCTIONS);
          w.wakeups++;
        }
      };
      for (int i = 0; i < threads; i++) {
        long h = k32.CreateThread(null, 0, worker, i, 0, null);
        if (h == 0) {
          throw new IllegalStateException("CreateThread failed: " + k32.GetLastError());
        }
        k32.CloseHandle(h);
      }
      w.created = true;
      k32.Sleep(Kernel32.INFINITE);
      return 0;
    });
  }

  private static void step(Ntos os, long ns) {
    os.runFor(ns);
    if (os.machine.stopped()) {
      throw new IllegalStateException("machine stopped: " + os.machine.stopReason());
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  static void printTable(Json result, PrintStream out) {
    out.println("scale: host cost as the number of threads grows (median of rounds)");
    out.println("  " + result.get("workload"));
    out.printf(Locale.ROOT, "  %9s %10s %8s %8s %11s %11s %6s %15s %9s %9s%n", "threads",
        "create", "sim", "host", "switches", "wakeups", "busy", "host ns/sim s", "ns/event",
        "ns/trace");
    @SuppressWarnings("unchecked")
    List<Json> rows = (List<Json>) result.get("cases");
    for (Json r : rows) {
      out.printf(Locale.ROOT, "  %,9d %8.0fms %7.0fs %7.2fs %,11d %,11d %5.1f%% %,15.0f %9.1f %9.1f%n",
          (Integer) r.get("threads"), (Double) r.get("create_host_ms"),
          (Double) r.get("simulated_s"), (Double) r.get("host_s"),
          (Long) r.get("context_switches"), (Long) r.get("wakeups"),
          (Double) r.get("cpu_busy_percent"), (Double) r.get("host_ns_per_simulated_second"),
          (Double) r.get("host_ns_per_event"), (Double) r.get("host_ns_per_trace_event"));
    }
    out.printf(Locale.ROOT, "  live heap with all three machines: %.0f MiB%n",
        (Double) result.get("live_heap_mib_all_cases"));
    out.printf(Locale.ROOT,
        "  ns/event at 100,000 threads / at 1,000: %.2fx   (target <= %.1fx: %s)%n",
        (Double) result.get("per_event_ratio_100k_to_1k"), TARGET_RATIO,
        (Boolean) result.get("met") ? "met" : "MISSED");
  }
}
