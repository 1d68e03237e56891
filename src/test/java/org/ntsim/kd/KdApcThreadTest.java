package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code !apc thre <address>} on a thread with no APCs queued: kdexts lists only threads that
 * have some, so the one-thread form printed nothing at all; ntsim says so on an ntsim: line.
 */
class KdApcThreadTest {
  @Test
  void apcOfAThreadWithNoApcsSaysSo() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      String t = KdSession.hex8(s.thread(0).address);
      assertThat(s.run("!apc thre " + t))
          .isEqualTo("ntsim: thread " + t + " has no kernel or user APCs queued\n");
    }
  }
}
