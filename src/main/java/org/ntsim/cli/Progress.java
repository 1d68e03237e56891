package org.ntsim.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on standard error for a run that takes more than a few seconds of host time:
 * the simulated time reached and the limit, rewritten in place about once a second, and erased
 * when the run ends. Shown only when the process has a terminal (redirected output stays clean).
 * Reads the host clock, which only the command line may; the simulation never sees it.
 */
final class Progress implements Runnable {
  private static final long QUIET_NS = 3_000_000_000L;
  private static final long EVERY_NS = 1_000_000_000L;

  private final PrintStream err;
  private final LongSupplier simulatedNs;
  private final long limitNs;
  private final long startNs = System.nanoTime();
  private long nextNs = startNs + QUIET_NS;
  private boolean shown;

  private Progress(PrintStream err, LongSupplier simulatedNs, long limitNs) {
    this.err = err;
    this.simulatedNs = simulatedNs;
    this.limitNs = limitNs;
  }

  /** A progress line for a run of at most {@code limitNs}, or none without a terminal. */
  static Progress forTerminal(LongSupplier simulatedNs, long limitNs) {
    boolean terminal = System.console() != null && System.console().isTerminal();
    return terminal ? new Progress(System.err, simulatedNs, limitNs) : null;
  }

  /** A progress line on {@code err} whatever the terminal, for tests. */
  static Progress always(PrintStream err, LongSupplier simulatedNs, long limitNs, long quietNs) {
    Progress p = new Progress(err, simulatedNs, limitNs);
    p.nextNs = p.startNs + quietNs;
    return p;
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    if (now < nextNs) {
      return;
    }
    nextNs = now + EVERY_NS;
    shown = true;
    err.printf(Locale.ROOT, "\rntsim: %.3f s of simulated time (limit %.3f s), %.0f s of host"
        + " time ", simulatedNs.getAsLong() / 1e9, limitNs / 1e9, (now - startNs) / 1e9);
    err.flush();
  }

  /** Erases the line if it was shown. */
  void done() {
    if (shown) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
