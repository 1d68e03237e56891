package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.ntsim.hal.Checks;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;

/**
 * The loop the randomized simulation tests share (DESIGN.md section 6): for each seed, a machine
 * whose processor count (and memory) the seed picks, a lab run to its end with the invariants
 * checked after every slice, no bug check, every process ended, then the test's own checks. A
 * failure names the seed and the command that replays it.
 */
public final class SeededRuns {
  /** What a test checks once a seed's lab has run to its end. */
  @FunctionalInterface
  public interface Check<L extends Lab> {
    void check(L lab, Ntos os, String replay);
  }

  private SeededRuns() {}

  /**
   * Runs {@code lab} (made fresh for each seed) for seeds 1..{@code seeds} on
   * {@code 1 + seed % cpuChoices} processors and {@code memoryMb(seed)} MiB (0: the default).
   */
  public static <L extends Lab> void run(int seeds, int cpuChoices,
      java.util.function.LongUnaryOperator memoryMb, Supplier<L> lab, Check<L> check) {
    assertThat(Checks.INVARIANTS).as("tests run with -Dntsim.invariants=true").isTrue();
    for (long seed = 1; seed <= seeds; seed++) {
      int cpus = 1 + (int) (seed % cpuChoices);
      long mb = memoryMb.applyAsLong(seed);
      L l = lab.get();
      String replay = "SEED=" + seed + " cpus=" + cpus + (mb > 0 ? " memory=" + mb + "M" : "")
          + "  (replay: ./ntsim run " + l.name() + " --seed " + seed + " --cpus " + cpus
          + (mb > 0 ? " --memory " + mb + "M" : "") + ")";
      System.out.println(replay);
      MachineConfig c = new MachineConfig();
      c.seed = seed;
      c.cpus = cpus;
      if (mb > 0) {
        c.memoryBytes = mb << 20;
      }
      Ntos os = new Ntos(c);
      try {
        l.start(os);
        Labs.runToEnd(l, os, l.timeLimitNs());
        assertThat(os.kernel.bugCheck()).as(replay).isNull();
        assertThat(l.finished(os)).as("every process ends: " + replay).isTrue();
        check.check(l, os, replay);
      } catch (RuntimeException | Error e) {
        throw new AssertionError(replay, e);
      } finally {
        os.shutdown();
      }
    }
  }
}
