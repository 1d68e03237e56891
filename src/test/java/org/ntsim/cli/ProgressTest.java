package org.ntsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line: the simulated time and the limit, rewritten in place, erased at the end. */
class ProgressTest {
  @Test
  void showsTheSimulatedTimeAndTheLimitAndErasesItself() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Progress p = Progress.always(err, () -> 1_500_000_000L, 60_000_000_000L, 0);
    p.run();
    p.done();
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("\rntsim: 1.500 s of simulated time (limit 60.000 s)");
    assertThat(text).endsWith("\r\033[K");
    assertThat(text).doesNotContain("\n");
  }

  @Test
  void staysQuietForAShortRun() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Progress p = Progress.always(err, () -> 0, 60_000_000_000L, 60_000_000_000L);
    p.run();
    p.done();
    assertThat(buf.size()).isZero();
  }
}
