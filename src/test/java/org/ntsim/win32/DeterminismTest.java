package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.Prng;
import org.ntsim.ps.EProcess;

/**
 * DESIGN.md section 6: the same configuration and seed give the same run, event for event (the
 * trace digest), whichever coroutine backend carries the threads; a seed that changes what the
 * workload does changes the run.
 */
class DeterminismTest {

  /** What one run produced: its digest, event count and the workload's exit code. */
  private record Run(String digest, long events, int exitCode, long endNs) {}

  /**
   * A workload drawn from the run's seed: threads at random priority levels that compute random
   * amounts, sleep or yield, and end with random exit codes that main folds into its own.
   */
  private static int workload(GuestContext ctx, Prng rng) {
    Kernel32 k32 = ctx.kernel32();
    int n = 2 + rng.nextInt(4);
    long[] handles = new long[n];
    for (int i = 0; i < n; i++) {
      int iterations = 2 + rng.nextInt(6);
      int exitCode = rng.nextInt(100);
      handles[i] = k32.CreateThread(null, 0, p -> {
        for (int j = 0; j < iterations; j++) {
          ctx.compute(rng.nextLong(10_000, 12_000_000));
          switch (rng.nextInt(3)) {
            case 0 -> k32.Sleep(rng.nextInt(8));
            case 1 -> k32.SwitchToThread();
            default -> { }
          }
        }
        return exitCode;
      }, i, 0, null);
      k32.SetThreadPriority(handles[i], rng.nextInt(5) - 2);
    }
    int folded = 0;
    for (long h : handles) {
      k32.WaitForSingleObject(h, Kernel32.INFINITE);
      int[] code = new int[1];
      k32.GetExitCodeThread(h, code);
      folded = folded * 31 + code[0];
      k32.CloseHandle(h);
    }
    return folded & 0x7FFF_FFFF;
  }

  private static Run run(long seed, String backend) {
    MachineConfig c = new MachineConfig();
    c.cpus = 2;
    c.seed = seed;
    c.backend = backend;
    Ntos os = new Ntos(c);
    try {
      Prng rng = os.machine.prng.split("workload");
      EProcess p = os.launch("random.exe", ctx -> workload(ctx, rng));
      assertThat(os.runUntilExited(2000 * MS, p)).as("SEED=%d backend=%s ends", seed, backend)
          .isTrue();
      return new Run(os.machine.tracer.digestHex(), os.machine.tracer.eventCount(),
          p.exitStatus(), os.machine.nowNs());
    } finally {
      os.shutdown();
    }
  }

  @Property(tries = 4)
  void continuationAndThreadBackendsGiveTheSameRun(@ForAll @LongRange(min = 1) long seed) {
    Run continuation = run(seed, "continuation");
    Run threads = run(seed, "threads");

    assertThat(threads).as("SEED=%d", seed).isEqualTo(continuation);
    assertThat(continuation.events()).isGreaterThan(40);
  }

  @Test
  void sameSeedTwiceGivesTheSameDigest() {
    assertThat(run(42, "continuation")).isEqualTo(run(42, "continuation"));
  }

  @Test
  void seedsThatChangeTheWorkloadGiveDifferentDigests() {
    Run one = run(1, "continuation");
    Run two = run(2, "continuation");

    assertThat(two.digest()).isNotEqualTo(one.digest());
  }
}
