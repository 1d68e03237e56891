package org.ntsim.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * The {@code ntsim bench} benchmarks (DESIGN.md section 6: speed is measured here, never by timed
 * assertions in tests). Figures and the machine they came from are in BENCHMARKS.md.
 *
 * <ul>
 *   <li>{@code switch}: simulated context switches per host second on each coroutine backend;
 *   <li>{@code scale}: host cost per simulated second and per simulated event at 10, 1,000 and
 *       100,000 threads;
 *   <li>{@code wait}, {@code waitall}: simulated wait/signal round trips per host second, an
 *       event ping-pong and a WaitAll over 64 objects, two threads on two CPUs;
 *   <li>{@code pool}: ExAllocatePoolWithTag + ExFreePoolWithTag pairs per host second.
 *   <li>{@code memory}, {@code faults}: simulated memory accesses on the TLB-hit path, and
 *       demand-zero and soft faults, per host second; host bytes per frame.
 * </ul>
 *
 * <p>Unlike the simulation packages, this one reads the host clock: that is what it measures.
 * Each benchmark boots its own machines, so one never warms or pollutes another's heap beyond
 * the JIT.
 */
public final class Benchmarks {
  private Benchmarks() {}

  public static List<String> names() {
    return List.of(SwitchBenchmark.NAME, ScaleBenchmark.NAME, WaitBenchmark.WAIT,
        WaitBenchmark.WAIT_ALL, PoolBenchmark.NAME, MemoryBenchmark.MEMORY,
        MemoryBenchmark.FAULTS);
  }

  /**
   * Runs one benchmark (or all when name is null), printing a human table or, if json, one JSON
   * object per benchmark; returns 0 on success, 2 for an unknown name.
   */
  public static int run(String name, boolean json, PrintStream out) {
    return run(name, json, out, null);
  }

  /**
   * As {@link #run(String, boolean, PrintStream)}, naming each benchmark on {@code progress}
   * (one line rewritten in place, erased at the end) while it runs, if {@code progress} is given.
   */
  public static int run(String name, boolean json, PrintStream out, PrintStream progress) {
    if (name != null && !names().contains(name)) {
      out.println("unknown benchmark '" + name + "' (use one of " + String.join(", ", names())
          + ")");
      return 2;
    }
    boolean first = true;
    for (String n : names()) {
      if (name != null && !name.equals(n)) {
        continue;
      }
      if (progress != null) {
        progress.print("\r\033[Kntsim bench: " + n + " (" + (names().indexOf(n) + 1) + " of "
            + names().size() + ") ...");
        progress.flush();
      }
      Json result = switch (n) {
        case SwitchBenchmark.NAME -> SwitchBenchmark.run();
        case ScaleBenchmark.NAME -> ScaleBenchmark.run();
        case PoolBenchmark.NAME -> PoolBenchmark.run();
        case MemoryBenchmark.MEMORY, MemoryBenchmark.FAULTS -> MemoryBenchmark.run(n);
        default -> WaitBenchmark.run(n);
      };
      if (progress != null) {
        progress.print("\r\033[K");
        progress.flush();
      }
      if (json) {
        out.println(result);
      } else {
        if (!first) {
          out.println();
        }
        switch (n) {
          case SwitchBenchmark.NAME -> SwitchBenchmark.printTable(result, out);
          case ScaleBenchmark.NAME -> ScaleBenchmark.printTable(result, out);
          case PoolBenchmark.NAME -> PoolBenchmark.printTable(result, out);
          case MemoryBenchmark.MEMORY, MemoryBenchmark.FAULTS ->
              MemoryBenchmark.printTable(result, out);
          default -> WaitBenchmark.printTable(result, out);
        }
        out.println("  host: " + HostInfo.oneLine((Json) result.get("host")));
      }
      out.flush();
      first = false;
    }
    return 0;
  }
}
