package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lab, run twice from one seed and on both backends, gives one trace digest, and at seed 7
 * (the default machine, as {@code ./ntsim run LAB --seed 7 --digest} prints it) the digest
 * recorded below: a change that only reshapes code keeps every one of them; a change of
 * behaviour updates them here and says in its commit why they moved.
 */
class LabsDeterminismTest {
  private static final Map<String, String> DIGESTS_AT_SEED_7 = Map.ofEntries(
      Map.entry("abandoned-mutex", "4f93f087161692d5"),
      Map.entry("apc", "23701b673f35de39"),
      Map.entry("cpu-accounting", "1c0a795416510988"),
      Map.entry("dpc-wait", "7a6448d9b0525964"),
      Map.entry("kqueue", "d17dfd7327034413"),
      Map.entry("page-tables", "3304d6c96525c677"),
      Map.entry("quickstart", "9c6c742645136a8c"),
      Map.entry("stress", "6ee6ba47e86070e2"),
      Map.entry("sync-stress", "a5ce8692a28078ba"),
      Map.entry("testlimit", "7b20ef666f6a796a"),
      Map.entry("vm-stress", "fbc69673a521ccec"),
      Map.entry("waits", "884720b839949e20"),
      Map.entry("working-set", "0d7651f31af61aa2"));

  static java.util.List<String> labs() {
    return Labs.names();
  }

  private record Outcome(String digest, String report, boolean finished) {}

  private static Outcome run(String name, long seed, String backend) {
    MachineConfig c = new MachineConfig();
    c.seed = seed;
    c.backend = backend;
    Ntos os = new Ntos(c);
    try {
      Lab lab = Labs.create(name);
      lab.start(os);
      Labs.runToEnd(lab, os, lab.timeLimitNs());
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      lab.report(os, new PrintStream(buf, true, StandardCharsets.UTF_8));
      return new Outcome(os.machine.tracer.digestHex(), buf.toString(StandardCharsets.UTF_8),
          lab.finished(os));
    } finally {
      os.shutdown();
    }
  }

  @ParameterizedTest
  @MethodSource("labs")
  void sameSeedSameDigestAndReport(String lab) {
    Outcome a = run(lab, 7, "continuation");
    Outcome b = run(lab, 7, "continuation");
    assertThat(a.finished()).as("lab finishes within its time limit").isTrue();
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(b.report()).isEqualTo(a.report());
    assertThat(a.digest()).as("the digest recorded for " + lab + " at seed 7")
        .isEqualTo(DIGESTS_AT_SEED_7.get(lab));
  }

  @ParameterizedTest
  @MethodSource("labs")
  void bothBackendsGiveOneDigest(String lab) {
    assertThat(run(lab, 7, "threads").digest()).isEqualTo(run(lab, 7, "continuation").digest());
  }

  @ParameterizedTest
  @MethodSource("labs")
  void anotherSeedGivesAnotherDigest(String lab) {
    assertThat(run(lab, 8, "continuation").digest())
        .isNotEqualTo(run(lab, 7, "continuation").digest());
  }
}
