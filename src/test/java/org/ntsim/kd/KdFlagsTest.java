package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Extension flags take any value WinDbg takes: kdexts reads the bits it knows and ignores the
 * rest, so "!process 0 1f" (bit 0x8 stacks, 0x10 the process context: learn.microsoft.com,
 * "!process") and "!process 0 ffffffff" are valid. ntsim models bits 0x1, 0x2 and 0x4 of
 * !process, 0x2 and 0x4 of !thread, 0x1 and 0x2 of !handle; the others change nothing.
 */
class KdFlagsTest {
  @Test
  void processFlags1fAreTheModelledBits7() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      assertThat(s.run("!process 0 1f")).isEqualTo(s.run("!process 0 7"))
          .doesNotContain("Couldn't resolve");
    }
  }

  @Test
  void processFlagsFfffffffAreAccepted() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      assertThat(s.run("!process 0 ffffffff")).isEqualTo(s.run("!process 0 7"));
    }
  }

  @Test
  void threadFlags1fAreTheModelledBits6() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      String t = Long.toHexString(s.thread(2).address);
      assertThat(s.run("!thread " + t + " 1f")).isEqualTo(s.run("!thread " + t + " 6"))
          .contains("THREAD ");
    }
  }

  @Test
  void handleFlagsFAreTheModelledBits3() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      assertThat(s.run("!handle 0 f")).isEqualTo(s.run("!handle 0 3")).contains("Type: ");
    }
  }
}
