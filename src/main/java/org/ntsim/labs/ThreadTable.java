package org.ntsim.labs;

import java.io.PrintStream;
import java.util.List;
import org.ntsim.ps.EThread;

/**
 * The per-thread table labs end with: priorities, context switches, and CPU time both as NT
 * samples it at clock ticks and as ntsim measures it exactly. Thread IDs are in hex, as the
 * debugger prints them, so that a row can be found with {@code !thread -t TID}.
 */
final class ThreadTable {
  private ThreadTable() {}

  static void print(PrintStream out, List<EThread> threads, List<String> names,
      long clockIntervalNs) {
    out.println("  TID  Thread          Base  Pri  CSwitch    User(ticks)   Kernel(ticks)"
        + "    User(exact)   Kernel(exact)");
    for (int i = 0; i < threads.size(); i++) {
      EThread t = threads.get(i);
      out.printf("  %3x  %-14s  %4d  %3d  %7d  %13s  %14s  %13s  %14s%n",
          t.tid(), names.get(i), t.basePriority(), t.priority(), t.contextSwitches(),
          ms(t.userTicks() * clockIntervalNs), ms(t.kernelTicks() * clockIntervalNs),
          ms(t.exactUserNs()), ms(t.exactKernelNs()));
    }
  }

  /** Nanoseconds as milliseconds with three decimals. */
  static String ms(long ns) {
    return String.format("%d.%03d ms", ns / 1_000_000, (ns / 1_000) % 1_000);
  }

  /** Bytes as mebibytes, or kibibytes below one. */
  static String mb(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }

  /** Nanoseconds as microseconds with three decimals. */
  static String us(long ns) {
    return String.format("%d.%03d us", ns / 1_000, ns % 1_000);
  }
}
