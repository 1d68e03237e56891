package org.ntsim.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * Host cost of the memory manager's hot paths.
 *
 * <ul>
 *   <li>{@code memory}: simulated memory accesses per host second on the TLB-hit path: one
 *       guest thread reads ints from 16 committed, resident pages (the TLB holds them all) in a
 *       loop; every access is a translation and a simulation point. Also reported: the host
 *       bytes each frame costs (PFN database entry and the frame's slot in physical memory) on a
 *       4 GiB machine, and how long such a machine takes to boot.
 *   <li>{@code faults}: demand-zero faults per host second (the figure the target is about),
 *       and soft (transition) faults per host second, each on its own machine: the guest commits
 *       1,024 pages and touches each, then per pass either decommits and recommits them (every
 *       touch a demand-zero fault; the zero page thread refills the zeroed list on the other
 *       processor) or empties its working set (the pages go to the modified list; every touch a
 *       transition fault).
 * </ul>
 *
 * <p>Each case gets a fresh machine, a warm-up, then rounds; the figure is the median round's.
 */
final class MemoryBenchmark {
  static final String MEMORY = "memory";
  static final String FAULTS = "faults";
  private static final int ROUNDS = 5;
  private static final long CHUNK_NS = 10_000_000;
  private static final int PAGES = 1024;

  private MemoryBenchmark() {}

  /** Work done so far, counted by the guest or read from the memory manager between slices. */
  private static final class Counter {
    long accesses;
  }

  static Json run(String name) {
    return name.equals(MEMORY) ? memory() : faults();
  }

  private static Json memory() {
    MachineConfig config = new MachineConfig();
    config.cpus = 1;
    Ntos os = new Ntos(config);
    Counter counter = new Counter();
    double[] rates = new double[ROUNDS];
    long[] hostNs = new long[ROUNDS];
    try {
      os.launch("memory.exe", ctx -> {
        long base = commit(ctx, 16);
        while (true) {
          for (int i = 0; i < 4096; i++) {
            ctx.readInt(base + ((i * 4100L) & 0xFFFC));
          }
          counter.accesses += 4096;
        }
      });
      runUntil(os, counter, 20_000_000);
      for (int i = 0; i < ROUNDS; i++) {
        long c0 = counter.accesses;
        long t0 = System.nanoTime();
        runUntil(os, counter, c0 + 50_000_000);
        hostNs[i] = System.nanoTime() - t0;
        rates[i] = (counter.accesses - c0) * 1e9 / hostNs[i];
      }
    } finally {
      os.shutdown();
    }
    double median = SwitchBenchmark.median(rates);
    long bootNs = bootFourGigabytes();
    return new Json()
        .put("benchmark", MEMORY)
        .put("workload", "1 CPU; one thread reads ints from 16 resident pages (TLB hits)")
        .put("accesses_per_host_second", Math.round(median))
        .put("accesses_per_host_second_min", Math.round(Arrays.stream(rates).min().orElse(0)))
        .put("accesses_per_host_second_max", Math.round(Arrays.stream(rates).max().orElse(0)))
        .put("host_ns_per_access", 1e9 / median)
        .put("target_accesses_per_host_second", 100_000_000L)
        .put("met", median >= 100_000_000)
        .put("bytes_per_frame", BYTES_PER_FRAME)
        .put("target_bytes_per_frame", 32L)
        .put("boot_4gib_ms", bootNs / 1e6)
        .put("host", HostInfo.describe());
  }

  /**
   * Host bytes per frame: the PFN database's five int arrays, two short arrays and two byte
   * arrays (26), and the frame's slot in physical memory's array of lazily made frames (4 with
   * compressed references, the JVM's default below 32 GiB of heap).
   */
  static final long BYTES_PER_FRAME = 5 * 4 + 2 * 2 + 2 + 4;

  private static long bootFourGigabytes() {
    MachineConfig config = new MachineConfig();
    config.memoryBytes = 4L << 30;
    long t0 = System.nanoTime();
    Ntos os = new Ntos(config);
    long ns = System.nanoTime() - t0;
    os.shutdown();
    return ns;
  }

  private static Json faults() {
    double[] demandZero = faultRates(true);
    double[] soft = faultRates(false);
    double median = SwitchBenchmark.median(demandZero);
    double softMedian = SwitchBenchmark.median(soft);
    return new Json()
        .put("benchmark", FAULTS)
        .put("workload", "2 CPUs; 1,024 committed pages touched, then per pass decommitted and"
            + " recommitted (demand-zero faults) or, in a second machine, their working set"
            + " emptied (soft faults), and touched again")
        .put("faults_per_host_second", Math.round(median))
        .put("faults_per_host_second_min", Math.round(Arrays.stream(demandZero).min().orElse(0)))
        .put("faults_per_host_second_max", Math.round(Arrays.stream(demandZero).max().orElse(0)))
        .put("host_ns_per_fault", 1e9 / median)
        .put("soft_faults_per_host_second", Math.round(softMedian))
        .put("host_ns_per_soft_fault", 1e9 / softMedian)
        .put("target_faults_per_host_second", 1_000_000L)
        .put("met", median >= 1_000_000)
        .put("host", HostInfo.describe());
  }

  /**
   * Faults of one kind per host second, per round: demand-zero faults (each pass decommits and
   * recommits the pages, so every touch takes a zeroed or freshly zeroed frame; the host time of
   * the decommit is counted too) or soft faults (each pass empties the working set, so every
   * touch takes its page back from the modified list).
   */
  private static double[] faultRates(boolean demandZero) {
    MachineConfig config = new MachineConfig();
    config.cpus = 2;
    Ntos os = new Ntos(config);
    double[] rates = new double[ROUNDS];
    Counter counter = new Counter();
    try {
      os.launch("faults.exe", ctx -> {
        Kernel32 k = ctx.kernel32();
        k.SetThreadAffinityMask(k.GetCurrentThread(), 1);
        long base = commit(ctx, PAGES);
        for (int pass = 0; ; pass++) {
          if (demandZero) {
            k.VirtualFree(base, PAGES * 4096L, Kernel32.MEM_DECOMMIT);
            k.VirtualAlloc(base, PAGES * 4096L, Kernel32.MEM_COMMIT, Kernel32.PAGE_READWRITE);
          } else {
            k.EmptyWorkingSet(k.GetCurrentProcess());
          }
          for (int i = 0; i < PAGES; i++) {
            ctx.writeInt(base + i * 4096L, pass);
          }
          counter.accesses = demandZero ? os.mm.faults().demandZeroFaults()
              : os.mm.faults().transitionFaults();
        }
      });
      runUntil(os, counter, 200_000);
      for (int i = 0; i < ROUNDS; i++) {
        long c0 = counter.accesses;
        long t0 = System.nanoTime();
        runUntil(os, counter, c0 + 1_000_000);
        rates[i] = (counter.accesses - c0) * 1e9 / (System.nanoTime() - t0);
      }
    } finally {
      os.shutdown();
    }
    return rates;
  }

  private static long commit(GuestContext ctx, int pages) {
    long base = ctx.kernel32().VirtualAlloc(0, pages * 4096L,
        Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT, Kernel32.PAGE_READWRITE);
    for (int i = 0; i < pages; i++) {
      ctx.writeInt(base + i * 4096L, i);
    }
    return base;
  }

  private static void runUntil(Ntos os, Counter counter, long target) {
    while (counter.accesses < target) {
      os.runFor(CHUNK_NS);
      if (os.machine.stopped()) {
        throw new IllegalStateException("machine stopped: " + os.machine.stopReason());
      }
    }
  }

  static void printTable(Json result, PrintStream out) {
    boolean memory = MEMORY.equals(result.get("benchmark"));
    String unit = memory ? "accesses" : "faults";
    out.println(result.get("benchmark") + ": simulated " + unit + " per host second (median of"
        + " rounds)");
    out.println("  " + result.get("workload"));
    out.printf(Locale.ROOT, "  %,d %s per host second (range %,d..%,d), %.1f host ns each;"
        + " target %,d: %s%n", (Long) result.get(unit + "_per_host_second"), unit,
        (Long) result.get(unit + "_per_host_second_min"),
        (Long) result.get(unit + "_per_host_second_max"),
        (Double) result.get("host_ns_per_" + (memory ? "access" : "fault")),
        (Long) result.get("target_" + unit + "_per_host_second"),
        (Boolean) result.get("met") ? "met" : "NOT met");
    if (!memory) {
      out.printf(Locale.ROOT, "  (demand-zero above); soft faults: %,d per host second, %.1f host"
          + " ns each%n", (Long) result.get("soft_faults_per_host_second"),
          (Double) result.get("host_ns_per_soft_fault"));
    }
    if (memory) {
      out.printf(Locale.ROOT, "  %d host bytes per frame (target %d); a 4 GiB machine boots in"
          + " %.0f ms%n", (Long) result.get("bytes_per_frame"),
          (Long) result.get("target_bytes_per_frame"), (Double) result.get("boot_4gib_ms"));
    }
  }
}
