package org.ntsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A mistake in a command's arguments gets one line on standard error and exit status 2. */
class UsageErrorTest {
  @ParameterizedTest
  @ValueSource(strings = {"run no-such-lab", "run quickstart --cpus 0",
      "run quickstart --memory 5G", "run quickstart --memory abc", "run quickstart --time abc",
      "run quickstart --time 0s", "run quickstart --backend foo", "kd no-such-lab",
      "fuzz --hang abc", "fuzz --hang 0s", "fuzz --backend foo", "fuzz --calls 0",
      "fuzz --seed 9223372036854775807 --seeds 2"})
  void aMistakeIsOneLineAndStatusTwo(String command) {
    PrintStream savedErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      status = new CommandLine(new Main()).execute(command.split(" "));
    } finally {
      System.setErr(savedErr);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(status).isEqualTo(2);
    assertThat(text.lines().count()).as(text).isEqualTo(1);
    assertThat(text).startsWith("ntsim ").doesNotContain("Exception");
  }
}
