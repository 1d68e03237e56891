package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code !pcr} and {@code !prcb} against golden files (src/test/resources/golden/), each opening
 * with the real output it follows in lines starting with {@code #}. The machine is a freshly
 * booted two-processor one, stopped before it runs, so every value comes from boot alone.
 */
class ProcessorLayoutGoldenTest {
  @Test
  void pcrOfProcessorOneIsLaidOutAsKdextsPrintsIt() throws IOException {
    try (KdSession s = new KdSession(2, KdSession.MS)) {
      String out = s.run("!pcr 1");
      assertThat(out.substring(0, out.indexOf("ntsim: KPRCB"))).isEqualTo(golden("pcr-boot.txt"));
    }
  }

  @Test
  void prcbOfProcessorOneIsLaidOutAsKdextsPrintsIt() throws IOException {
    try (KdSession s = new KdSession(2, KdSession.MS)) {
      assertThat(s.run("!prcb 1")).isEqualTo(golden("prcb.txt"));
    }
  }

  @Test
  void prcbWithoutAProcessorShowsProcessorZero() {
    try (KdSession s = new KdSession(2, KdSession.MS)) {
      s.run("~1");
      assertThat(s.run("!prcb")).startsWith("PRCB for Processor 0 at 81926d20:\n");
    }
  }

  /** A golden file's expected text: its lines that do not start with {@code #}. */
  static String golden(String name) throws IOException {
    try (InputStream in = ProcessorLayoutGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"))
          + "\n";
    }
  }
}
