package org.ntsim.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.ntsim.fuzz.FuzzFailure;
import org.ntsim.fuzz.NativeCallFuzzer;
import org.ntsim.hal.MachineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntsim fuzz}: the native-call fuzzer over one or more seeds, with a host-time watchdog
 * that turns a call which never returns into a failure naming it. Prints a line per seed, the
 * first failure with the command that replays it, and the calls made per host second.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = "Call every Kernel32, Ntdll and GuestContext function with hostile"
    + " arguments from several threads and processes, checking the kernel's invariants after"
    + " every call. A failure prints the seed and the command that replays it.")
final class FuzzCommand implements Callable<Integer> {
  @Option(names = "--seed", description = "first seed (default ${DEFAULT-VALUE})",
      defaultValue = "1")
  long seed;

  @Option(names = "--seeds", description = "how many seeds, from --seed on (default"
      + " ${DEFAULT-VALUE})", defaultValue = "1")
  int seeds;

  @Option(names = "--calls", description = "calls per seed (default ${DEFAULT-VALUE})",
      defaultValue = "100000")
  long calls;

  @Option(names = "--verify-every", paramLabel = "N", description = "run the invariant sweeps"
      + " after every N-th call (default ${DEFAULT-VALUE}: after every call)", defaultValue = "1")
  int verifyEvery;

  @Option(names = "--backend", converter = Converters.Backend.class,
      description = "coroutines: continuation or threads (default ${DEFAULT-VALUE})",
      defaultValue = "continuation")
  String backend;

  @Option(names = "--hang", paramLabel = "DURATION",
      converter = Converters.PositiveDuration.class, description = "host time a call may take"
      + " before it counts as a hang (default ${DEFAULT-VALUE})", defaultValue = "60s")
  String hang;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    if (seeds < 1 || calls < 1 || verifyEvery < 1) {
      System.err.println("ntsim fuzz: --seeds, --calls and --verify-every must be at least 1");
      return 2;
    }
    if (seed > Long.MAX_VALUE - seeds) {
      System.err.println("ntsim fuzz: --seed " + seed + " leaves no room for " + seeds
          + " seeds");
      return 2;
    }
    long hangNs = MachineConfig.parseDurationNs(hang); // checked positive while parsing
    long totalCalls = 0;
    long started = System.nanoTime();
    for (long s = seed; s < seed + seeds; s++) {
      NativeCallFuzzer fuzzer;
      try {
        fuzzer = new NativeCallFuzzer(s, calls, verifyEvery, backend, null);
      } catch (IllegalArgumentException e) { // a backend it does not know: before any output
        throw new UsageException(e.getMessage());
      }
      long t0 = System.nanoTime();
      NativeCallFuzzer.Result r = Watchdog.run(fuzzer, hangNs, s);
      double hostS = (System.nanoTime() - t0) / 1e9;
      totalCalls += r.calls();
      out.printf("seed %d (%s): %,d calls, %d processes, %.1f s simulated, %.1f s host"
              + " (%,.0f calls/s)%n", s, fuzzer.machine(), r.calls(), r.processesStarted(),
          r.simulatedNs() / 1e9, hostS, r.calls() / hostS);
      if (r.failure() != null) {
        out.println(r.failure());
        return 1;
      }
    }
    double hostS = (System.nanoTime() - started) / 1e9;
    out.printf("%,d calls over %d seed%s in %.1f s of host time: %,.0f calls/s; no failure%n",
        totalCalls, seeds, seeds == 1 ? "" : "s", hostS, totalCalls / hostS);
    return 0;
  }

  /** Runs a fuzzer while a host thread watches that its calls keep coming. */
  static final class Watchdog {
    private Watchdog() {}

    static NativeCallFuzzer.Result run(NativeCallFuzzer fuzzer, long hangNs, long seed) {
      Thread watcher = new Thread(() -> watch(fuzzer, hangNs, seed), "ntsim-fuzz-watchdog");
      watcher.setDaemon(true);
      watcher.start();
      try {
        return fuzzer.run();
      } finally {
        watcher.interrupt();
      }
    }

    private static void watch(NativeCallFuzzer fuzzer, long hangNs, long seed) {
      long lastCalls = -1;
      long since = System.nanoTime();
      try {
        while (true) {
          Thread.sleep(Math.max(1, Math.min(1000, hangNs / 4_000_000)));
          long calls = fuzzer.callsMade();
          long now = System.nanoTime();
          if (calls != lastCalls) {
            lastCalls = calls;
            since = now;
          } else if (now - since > hangNs) {
            FuzzFailure f = new FuzzFailure(seed, calls, calls, FuzzFailure.Kind.HANG,
                String.valueOf(fuzzer.current()), String.format(
                    "no call has returned for %.1f s of host time", (now - since) / 1e9), "");
            System.out.println(f);
            System.out.flush();
            Runtime.getRuntime().halt(3);
          }
        }
      } catch (InterruptedException e) {
        // the run ended
      }
    }
  }
}
