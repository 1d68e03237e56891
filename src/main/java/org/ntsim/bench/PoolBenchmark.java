package org.ntsim.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.Kernel;

/**
 * Host cost of the executive pool: ExAllocatePoolWithTag + ExFreePoolWithTag pairs per host
 * second, called directly (no guest, no simulated time). A ring of 4,096 live allocations in both
 * pools; each step frees the oldest and allocates a new one whose size comes from a fixed cycle
 * (mostly 16..1,000 bytes, every 16th a one- to three-page allocation), so free lists, splitting,
 * merging and page release are all on the path.
 */
final class PoolBenchmark {
  static final String NAME = "pool";
  private static final int LIVE = 4096;
  private static final int ROUNDS = 5;
  private static final int PER_ROUND = 2_000_000;
  private static final int WARMUP = 1_000_000;

  private PoolBenchmark() {}

  /** The pool under test and its ring of live allocations. */
  private static final class Ring {
    final Pool pool;
    final long[] address = new long[LIVE];
    final int[] tag = new int[LIVE];
    final int[] tags = {PoolTag.of("Even"), PoolTag.of("Thre"), PoolTag.of("Irp "),
        PoolTag.of("MmSt")};
    long step;

    Ring(Pool pool) {
      this.pool = pool;
      for (int i = 0; i < LIVE; i++) {
        allocate(i);
      }
    }

    void allocate(int slot) {
      long s = step++;
      long bytes = s % 16 == 15 ? Pool.PAGE_SIZE * (1 + s / 16 % 3) : 16 + (s * 97) % 1000;
      PoolType type = (s & 1) == 0 ? PoolType.NonPagedPool : PoolType.PagedPool;
      tag[slot] = tags[(int) (s % tags.length)];
      address[slot] = pool.allocatePoolWithTag(type, bytes, tag[slot]);
    }

    void run(long pairs) {
      for (long i = 0; i < pairs; i++) {
        int slot = (int) (step % LIVE);
        pool.freePoolWithTag(address[slot], tag[slot]);
        allocate(slot);
      }
    }
  }

  static Json run() {
    Machine machine = new Machine(new MachineConfig());
    Ring ring = new Ring(new Pool(new Kernel(machine)));
    ring.run(WARMUP);
    double[] rates = new double[ROUNDS];
    long[] hostNs = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long t0 = System.nanoTime();
      ring.run(PER_ROUND);
      hostNs[i] = System.nanoTime() - t0;
      rates[i] = PER_ROUND * 1e9 / hostNs[i];
    }
    ring.pool.verify();
    double median = SwitchBenchmark.median(rates);
    return new Json()
        .put("benchmark", NAME)
        .put("workload", "4,096 live allocations in both pools; free the oldest, allocate 16..1,015"
            + " bytes (every 16th: 1..3 pages), 4 tags")
        .put("rounds", ROUNDS)
        .put("pairs", (long) PER_ROUND * ROUNDS)
        .put("host_ms", Arrays.stream(hostNs).sum() / 1e6)
        .put("pairs_per_host_second", Math.round(median))
        .put("pairs_per_host_second_min", Math.round(Arrays.stream(rates).min().orElse(0)))
        .put("pairs_per_host_second_max", Math.round(Arrays.stream(rates).max().orElse(0)))
        .put("host_ns_per_pair", 1e9 / median)
        .put("host", HostInfo.describe());
  }

  static void printTable(Json result, PrintStream out) {
    out.println(NAME + ": ExAllocatePoolWithTag + ExFreePoolWithTag pairs per host second"
        + " (median of rounds)");
    out.println("  " + result.get("workload"));
    out.printf(Locale.ROOT, "  %13s %9s %16s %23s %12s%n", "pairs", "host", "pairs/host s",
        "range", "host ns/pair");
    out.printf(Locale.ROOT, "  %,13d %7.0fms %,16d %,11d..%,-10d %12.1f%n",
        (Long) result.get("pairs"), (Double) result.get("host_ms"),
        (Long) result.get("pairs_per_host_second"), (Long) result.get("pairs_per_host_second_min"),
        (Long) result.get("pairs_per_host_second_max"), (Double) result.get("host_ns_per_pair"));
  }
}
