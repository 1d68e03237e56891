package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;

/**
 * {@code --slice} trades host speed only: every lab gives one trace digest whether a processor
 * keeps the host for 1 us, 50 us or 1 ms of simulated time before the loop looks again.
 */
class SliceIndependenceTest {

  static java.util.List<String> labs() {
    return Labs.names();
  }

  private static String digest(String name, long sliceNs) {
    MachineConfig c = new MachineConfig();
    c.seed = 7;
    c.sliceNs = sliceNs;
    Ntos os = new Ntos(c);
    try {
      Lab lab = Labs.create(name);
      lab.start(os);
      Labs.runToEnd(lab, os, lab.timeLimitNs());
      return os.machine.tracer.digestHex();
    } finally {
      os.shutdown();
    }
  }

  @ParameterizedTest
  @MethodSource("labs")
  void theDigestDoesNotDependOnTheSlice(String lab) {
    String normal = digest(lab, 50_000);
    assertThat(digest(lab, 1_000)).as("slice 1 us").isEqualTo(normal);
    assertThat(digest(lab, 1_000_000)).as("slice 1 ms").isEqualTo(normal);
  }
}
