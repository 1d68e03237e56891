package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Client IDs print in hex, four digits at least, as kdexts prints them ("Cid 0014.0018" in
 * !thread, "Cid: 0014 ... ParentCid: 0004" in !process; learn.microsoft.com, "!thread" and
 * "!process"), and a thread ID typed after -t is hex too.
 */
class KdIdsTest {
  @Test
  void threadAndProcessIdsPrintInHex() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      long pid = s.demo.pid();
      long tid = s.tids[2];
      assertThat(tid).as("a TID whose decimal and hex forms differ").isGreaterThan(9);
      String cid = String.format("%04x.%04x", pid, tid);
      assertThat(s.run("!thread -t " + Long.toHexString(tid))).contains("Cid " + cid);
      assertThat(s.run("!process 0 7 demo.exe")).contains(String.format("Cid: %04x", pid))
          .contains("Cid " + cid).doesNotContain(String.format("Cid %04d.%04d", pid, tid));
    }
  }
}
