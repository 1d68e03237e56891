package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;
import static org.ntsim.win32.TestOs.US;

import org.junit.jupiter.api.Test;
import org.ntsim.hal.CostModel;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ps.EProcess;

/**
 * One simulated time across processors: two threads pinned to two processors hand a token back
 * and forth through two auto-reset events. What one processor does reaches the other at the
 * sender's time (plus the modelled IPI and dispatch costs), whatever the slice the host runs the
 * processors in, so the run takes the same simulated time for every slice.
 */
class CrossProcessorTimeTest {
  private static final int ROUNDS = 1_000;

  /** Simulated time of {@code ROUNDS} round trips, and the run's trace digest. */
  private record PingPong(long elapsedNs, String digest) {}

  private static PingPong pingPong(int cpus, long sliceNs) {
    MachineConfig config = TestOs.config(cpus);
    config.sliceNs = sliceNs;
    long[] elapsed = new long[1];
    try (TestOs sys = TestOs.boot(config)) {
      EProcess p = sys.runProgram("pingpong.exe", ctx -> {
        Kernel32 k32 = ctx.kernel32();
        long ping = k32.CreateEventW(null, false, false, null);
        long pong = k32.CreateEventW(null, false, false, null);
        long other = k32.CreateThread(null, 0, arg -> {
          for (int i = 0; i <= ROUNDS; i++) {
            k32.WaitForSingleObject(ping, Kernel32.INFINITE);
            k32.SetEvent(pong);
          }
          return 0;
        }, 0, Kernel32.CREATE_SUSPENDED, null);
        k32.SetThreadAffinityMask(other, cpus == 1 ? 1 : 2);
        k32.SetThreadAffinityMask(k32.GetCurrentThread(), 1);
        k32.ResumeThread(other);
        k32.SetEvent(ping); // a first round trip, while the other thread starts up
        k32.WaitForSingleObject(pong, Kernel32.INFINITE);
        long start = ctx.nowNs();
        for (int i = 0; i < ROUNDS; i++) {
          k32.SetEvent(ping);
          k32.WaitForSingleObject(pong, Kernel32.INFINITE);
        }
        elapsed[0] = ctx.nowNs() - start;
        k32.WaitForSingleObject(other, Kernel32.INFINITE);
        return 0;
      }, 10_000 * MS);
      assertThat(p.exitTimeNs()).as("the program ended").isNotNegative();
      return new PingPong(elapsed[0], sys.os.machine.tracer.digestHex());
    }
  }

  @Test
  void pingPongTakesTheSameSimulatedTimeForEverySlice() {
    PingPong fine = pingPong(2, 1 * US);
    PingPong normal = pingPong(2, 50 * US);
    PingPong coarse = pingPong(2, 1 * MS);

    assertThat(normal.elapsedNs()).isEqualTo(fine.elapsedNs());
    assertThat(coarse.elapsedNs()).isEqualTo(fine.elapsedNs());
    assertThat(normal.digest()).isEqualTo(fine.digest());
    assertThat(coarse.digest()).isEqualTo(fine.digest());
  }

  /**
   * A round trip costs what the cost model charges along its critical path, with no slice in it:
   * each way, the system call that sets the event (KeSetEvent readies the waiter and hands it to
   * the other processor, which is idle) and the context switch there; the waiter's return from
   * its wait and the setter's own wait overlap with the other side. The 1,000 round trips take
   * less than a clock interval, so at most one clock interrupt per processor (its dispatch and
   * its ISR) lands on the path. The slice-based loop took some 50 us a round trip.
   */
  @Test
  void aRoundTripCostsTheSystemCallAndTheContextSwitchEachWay() {
    CostModel cost = new MachineConfig().cost;
    long oneWay = cost.systemCallNs + cost.contextSwitchNs;
    PingPong twoCpus = pingPong(2, 50 * US);

    long clockInterrupt = cost.interruptDispatchNs + cost.clockIsrNs;
    assertThat(twoCpus.elapsedNs()).isBetween(ROUNDS * 2 * oneWay,
        ROUNDS * 2 * oneWay + 2 * clockInterrupt);
  }

  @Test
  void onOneProcessorTheRoundTripIsTheSameForEverySlice() {
    assertThat(pingPong(1, 1 * US).elapsedNs()).isEqualTo(pingPong(1, 1 * MS).elapsedNs());
  }
}
