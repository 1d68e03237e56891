package org.ntsim.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * How many simulated context switches the machine makes per host second, on each coroutine
 * backend: one CPU, one process, two threads that call SwitchToThread in a loop, so that every
 * call but the first ends in a switch to the other thread.
 *
 * <p>Each backend gets a fresh machine, a warm-up (JIT compilation; the hand-off backend's host
 * threads started), then several measured rounds of a fixed number of switches. A round's rate is
 * its switches (the KPRCB count) over its host seconds; a backend's figure is the median round,
 * and the ratio is of the two medians. The hand-off backend costs two host thread hand-offs a
 * switch (thread to loop, loop to the next thread), so it gets far fewer switches.
 */
final class SwitchBenchmark {
  static final String NAME = "switch";
  /** The targets: continuation rate, and its ratio to the threads backend. */
  static final double TARGET_CONTINUATION_PER_SECOND = 2_000_000;
  static final double TARGET_RATIO = 50;

  private static final long CHUNK_NS = 1_000_000; // simulated time per runFor between count checks

  private record Backend(String name, long warmupSwitches, long switchesPerRound, int rounds) {}

  private static final Backend[] BACKENDS = {
    new Backend("continuation", 1_000_000, 2_000_000, 5),
    new Backend("threads", 10_000, 40_000, 5),
  };

  /** The rounds measured on one backend. */
  private record Rounds(String backend, long[] switches, long[] simulatedNs, long[] hostNs) {
    double[] rates() {
      double[] r = new double[hostNs.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = switches[i] * 1e9 / hostNs[i];
      }
      return r;
    }

    double medianRate() {
      return median(rates());
    }

    long totalSwitches() {
      return Arrays.stream(switches).sum();
    }
  }

  private SwitchBenchmark() {}

  static Json run() {
    List<Rounds> measured = new ArrayList<>();
    List<Json> rows = new ArrayList<>();
    for (Backend b : BACKENDS) {
      Rounds r = measure(b);
      measured.add(r);
      double[] rates = r.rates();
      double median = median(rates);
      rows.add(new Json()
          .put("backend", r.backend())
          .put("rounds", rates.length)
          .put("switches", r.totalSwitches())
          .put("simulated_ms", Arrays.stream(r.simulatedNs()).sum() / 1e6)
          .put("host_ms", Arrays.stream(r.hostNs()).sum() / 1e6)
          .put("switches_per_host_second", Math.round(median))
          .put("switches_per_host_second_min", Math.round(Arrays.stream(rates).min().orElse(0)))
          .put("switches_per_host_second_max", Math.round(Arrays.stream(rates).max().orElse(0)))
          .put("host_ns_per_switch", 1e9 / median));
    }
    double continuation = measured.get(0).medianRate();
    double ratio = continuation / measured.get(1).medianRate();
    boolean met = continuation >= TARGET_CONTINUATION_PER_SECOND && ratio >= TARGET_RATIO;
    return new Json()
        .put("benchmark", NAME)
        .put("workload", "1 CPU, 1 process, 2 threads calling SwitchToThread in a loop")
        .put("backends", rows)
        .put("ratio_continuation_to_threads", ratio)
        .put("target", new Json()
            .put("continuation_switches_per_host_second", (long) TARGET_CONTINUATION_PER_SECOND)
            .put("ratio", TARGET_RATIO))
        .put("met", met)
        .put("host", HostInfo.describe());
  }

  private static Rounds measure(Backend b) {
    MachineConfig config = new MachineConfig();
    config.cpus = 1;
    config.backend = b.name();
    Ntos os = new Ntos(config);
    try {
      os.launch("switch.exe", ctx -> {
        Kernel32 k32 = ctx.kernel32();
        long h = k32.CreateThread(null, 0, p -> {
          while (true) {
            k32.SwitchToThread();
          }
        }, 0, 0, null);
        k32.CloseHandle(h);
        while (true) {
          k32.SwitchToThread();
        }
      });
      runUntilSwitches(os, switches(os) + b.warmupSwitches());
      Rounds r = new Rounds(b.name(), new long[b.rounds()], new long[b.rounds()],
          new long[b.rounds()]);
      for (int i = 0; i < b.rounds(); i++) {
        long s0 = switches(os);
        long sim0 = os.machine.nowNs();
        long t0 = System.nanoTime();
        runUntilSwitches(os, s0 + b.switchesPerRound());
        r.hostNs()[i] = System.nanoTime() - t0;
        r.switches()[i] = switches(os) - s0;
        r.simulatedNs()[i] = os.machine.nowNs() - sim0;
      }
      return r;
    } finally {
      os.shutdown();
    }
  }

  private static void runUntilSwitches(Ntos os, long target) {
    while (switches(os) < target) {
      os.runFor(CHUNK_NS);
      if (os.machine.stopped()) {
        throw new IllegalStateException("machine stopped: " + os.machine.stopReason());
      }
    }
  }

  private static long switches(Ntos os) {
    long n = 0;
    for (int i = 0; i < os.kernel.processorCount(); i++) {
      n += os.kernel.prcb(i).contextSwitches();
    }
    return n;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static void printTable(Json result, PrintStream out) {
    out.println("switch: simulated context switches per host second (median of rounds)");
    out.println("  " + result.get("workload"));
    out.printf(Locale.ROOT, "  %-13s %11s %10s %9s %16s %23s %11s%n", "backend", "switches",
        "simulated", "host", "switches/host s", "range", "host ns/sw");
    @SuppressWarnings("unchecked")
    List<Json> rows = (List<Json>) result.get("backends");
    for (Json r : rows) {
      out.printf(Locale.ROOT, "  %-13s %,11d %8.0fms %7.0fms %,16d %,11d..%,-10d %11.1f%n",
          r.get("backend"), (Long) r.get("switches"), (Double) r.get("simulated_ms"),
          (Double) r.get("host_ms"), (Long) r.get("switches_per_host_second"),
          (Long) r.get("switches_per_host_second_min"),
          (Long) r.get("switches_per_host_second_max"), (Double) r.get("host_ns_per_switch"));
    }
    out.printf(Locale.ROOT,
        "  continuation / threads: %.0fx   (targets: continuation >= %,d/s, ratio >= %.0fx: %s)%n",
        (Double) result.get("ratio_continuation_to_threads"),
        (long) TARGET_CONTINUATION_PER_SECOND, TARGET_RATIO,
        (Boolean) result.get("met") ? "met" : "MISSED");
  }
}
