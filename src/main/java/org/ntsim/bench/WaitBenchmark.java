package org.ntsim.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * Host cost of waits and signals: simulated wait/signal round trips per host second, through the
 * Win32 API, on two CPUs (continuation backend), each of two threads bound to its own processor.
 *
 * <ul>
 *   <li>{@code wait}: event ping-pong. The pinger sets event 1 and waits on event 2; the ponger
 *       waits on event 1 and sets event 2 (auto-reset events). A round trip is two waits
 *       satisfied by two signals, two wake-ups across processors.
 *   <li>{@code waitall}: the ponger waits for all of 64 auto-reset events (MAXIMUM_WAIT_OBJECTS,
 *       so its wait blocks are the large array, not the thread's built-in three); the pinger sets
 *       the 64, then waits on a reply event the ponger sets once its WaitAll is satisfied.
 * </ul>
 *
 * <p>Each case gets a fresh machine, a warm-up, then rounds of a fixed number of round trips; the
 * figure is the median round's rate.
 */
final class WaitBenchmark {
  static final String WAIT = "wait";
  static final String WAIT_ALL = "waitall";
  private static final int OBJECTS = 64;
  private static final int ROUNDS = 5;
  private static final long CHUNK_NS = 1_000_000;

  private WaitBenchmark() {}

  /** Round trips counted by the pinger, read by the benchmark between slices. */
  private static final class Counter {
    long roundTrips;
  }

  static Json run(String name) {
    boolean all = name.equals(WAIT_ALL);
    long warmup = all ? 20_000 : 200_000;
    long perRound = all ? 20_000 : 300_000;
    MachineConfig config = new MachineConfig();
    config.cpus = 2;
    config.backend = "continuation";
    Ntos os = new Ntos(config);
    Counter counter = new Counter();
    double[] rates = new double[ROUNDS];
    long[] simNs = new long[ROUNDS];
    long[] hostNs = new long[ROUNDS];
    try {
      os.launch(name + ".exe", ctx -> {
        Kernel32 k32 = ctx.kernel32();
        int n = all ? OBJECTS : 1;
        long[] forward = new long[n];
        for (int i = 0; i < n; i++) {
          forward[i] = k32.CreateEventW(null, false, false, null);
        }
        long reply = k32.CreateEventW(null, false, false, null);
        long ponger = k32.CreateThread(null, 0, p -> {
          k32.SetThreadAffinityMask(k32.GetCurrentThread(), 2);
          while (true) {
            if (all) {
              k32.WaitForMultipleObjects(n, forward, true, Kernel32.INFINITE);
            } else {
              k32.WaitForSingleObject(forward[0], Kernel32.INFINITE);
            }
            k32.SetEvent(reply);
          }
        }, 0, 0, null);
        k32.CloseHandle(ponger);
        k32.SetThreadAffinityMask(k32.GetCurrentThread(), 1);
        while (true) {
          for (long h : forward) {
            k32.SetEvent(h);
          }
          k32.WaitForSingleObject(reply, Kernel32.INFINITE);
          counter.roundTrips++;
        }
      });
      runUntil(os, counter, warmup);
      for (int i = 0; i < ROUNDS; i++) {
        long c0 = counter.roundTrips;
        long sim0 = os.machine.nowNs();
        long t0 = System.nanoTime();
        runUntil(os, counter, c0 + perRound);
        hostNs[i] = System.nanoTime() - t0;
        simNs[i] = os.machine.nowNs() - sim0;
        rates[i] = (counter.roundTrips - c0) * 1e9 / hostNs[i];
      }
    } finally {
      os.shutdown();
    }
    double median = SwitchBenchmark.median(rates);
    long trips = perRound * ROUNDS;
    return new Json()
        .put("benchmark", name)
        .put("workload", all
            ? "2 CPUs, continuation; SetEvent x64, then a WaitAll over 64 auto-reset events on"
                + " the other CPU, and a reply event"
            : "2 CPUs, continuation; two threads on two CPUs ping-pong on two auto-reset events")
        .put("rounds", ROUNDS)
        .put("round_trips", trips)
        .put("simulated_ms", Arrays.stream(simNs).sum() / 1e6)
        .put("host_ms", Arrays.stream(hostNs).sum() / 1e6)
        .put("round_trips_per_host_second", Math.round(median))
        .put("round_trips_per_host_second_min", Math.round(Arrays.stream(rates).min().orElse(0)))
        .put("round_trips_per_host_second_max", Math.round(Arrays.stream(rates).max().orElse(0)))
        .put("host_ns_per_round_trip", 1e9 / median)
        .put("simulated_ns_per_round_trip", (double) Arrays.stream(simNs).sum() / trips)
        .put("host", HostInfo.describe());
  }

  private static void runUntil(Ntos os, Counter counter, long target) {
    while (counter.roundTrips < target) {
      os.runFor(CHUNK_NS);
      if (os.machine.stopped()) {
        throw new IllegalStateException("machine stopped: " + os.machine.stopReason());
      }
    }
  }

  static void printTable(Json result, PrintStream out) {
    out.println(result.get("benchmark") + ": simulated wait/signal round trips per host second"
        + " (median of rounds)");
    out.println("  " + result.get("workload"));
    out.printf(Locale.ROOT, "  %11s %10s %9s %16s %23s %11s %11s%n", "round trips", "simulated",
        "host", "trips/host s", "range", "host ns/rt", "sim ns/rt");
    out.printf(Locale.ROOT, "  %,11d %8.0fms %7.0fms %,16d %,11d..%,-10d %11.1f %11.1f%n",
        (Long) result.get("round_trips"), (Double) result.get("simulated_ms"),
        (Double) result.get("host_ms"), (Long) result.get("round_trips_per_host_second"),
        (Long) result.get("round_trips_per_host_second_min"),
        (Long) result.get("round_trips_per_host_second_max"),
        (Double) result.get("host_ns_per_round_trip"),
        (Double) result.get("simulated_ns_per_round_trip"));
  }
}
