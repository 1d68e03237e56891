package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.win32.Kernel32;

/**
 * {@code g} is bounded and can be interrupted: a {@code g <time>} longer than the session's time
 * limit runs only the limit, and Ctrl-C during {@code g} breaks in between two slices with kd's
 * break-in notice, "Break instruction exception - code 80000003 (first chance)" (the line kd
 * prints when CTRL+C breaks in; learn.microsoft.com, "Break Into Kernel Debugging" / "CTRL+C").
 * A guest thread presses the key here, at a known simulated time, so the transcript is the same
 * on every run.
 */
class KdGoTest {
  private static final long MS = KdSession.MS;

  /** A session whose guest computes forever and, after {@code breakInMs}, presses Ctrl-C. */
  private static KdSession session(long limitMs, long breakInMs) {
    KdSession s = new KdSession(1, limitMs * MS);
    s.demo = s.os.launch("forever.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      if (breakInMs > 0) {
        k32.CreateThread(null, 0, p -> {
          k32.Sleep((int) breakInMs);
          s.console.breakIn();
          return 0;
        }, 0, 0, new int[1]);
      }
      while (true) {
        ctx.compute(1_000_000);
      }
    });
    return s;
  }

  @Test
  void gLongerThanTheTimeLimitRunsOnlyTheLimitAndSaysSo() {
    try (KdSession s = session(250, 0)) {
      assertThat(s.run("g 9000000000s")).isEqualTo(
          "ntsim: g runs at most the time limit, 0:00:00.250 of simulated time, at a time.\n"
          + "ntsim: simulated time 0:00:00.250 (250000000 ns)\n");
    }
  }

  @Test
  void ctrlCDuringGWithATimeBreaksInAndTheSessionGoesOn() {
    try (KdSession s = session(1_000, 100)) {
      String out = s.run("g 500ms");
      assertThat(out).startsWith("Break instruction exception - code 80000003 (first chance)\n"
          + "ntsim: break-in (Ctrl-C): the machine stopped between two slices\n");
      // The presser runs at the busy thread's next quantum end: up to three clock ticks later
      // under Vista's cycle-based quantum.
      assertThat(s.os.machine.nowNs()).isBetween(100 * MS, 250 * MS);
      assertThat(s.os.machine.stopped()).isFalse();
      assertThat(s.run("g 10ms")).doesNotContain("Break instruction");
    }
  }

  @Test
  void ctrlCDuringABareGBreaksIn() {
    try (KdSession s = session(1_000, 100)) {
      assertThat(s.run("g")).startsWith("Break instruction exception");
      assertThat(s.os.machine.nowNs()).isBetween(100 * MS, 250 * MS);
    }
  }
}
