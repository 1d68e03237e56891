package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every lab, run twice from one seed and on both backends, gives one trace digest. */
class LabsDeterminismTest {
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
