package org.ntsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A mistake in a command's arguments gets one line on standard error and exit status 2. */
class UsageErrorTest {
  /** What a command printed and returned. */
  record Outcome(int status, String out, String err) {}

  static Outcome execute(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      status = Main.commandLine().execute(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Outcome(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"run no-such-lab", "run quickstart --cpus 0",
      "run quickstart --cpus abc", "run quickstart --memory 0", "run quickstart --memory 5G",
      "run quickstart --memory abc", "run quickstart --clock 0ms", "run quickstart --slice 0",
      "run quickstart --slice 20ms", "run quickstart --time abc", "run quickstart --time 0s",
      "run quickstart --backend foo", "run quickstart --quantum-accounting foo",
      "run quickstart --trace /no-such-directory/t.json",
      "run quickstart --trace trace.txt", "run quickstart extra-word", "run --bogus quickstart",
      "run", "kd no-such-lab", "kd quickstart --cpus 0", "kd quickstart --memory 5G",
      "kd quickstart --clock 0ms", "kd quickstart --backend foo",
      "kd quickstart --trace /no-such-directory/t.csv", "bench nosuch", "bench --bogus",
      "labs extra", "fuzz --hang abc", "fuzz --hang 0s", "fuzz --backend foo", "fuzz --calls 0",
      "fuzz --seed 9223372036854775807 --seeds 2", "fuzz --bogus", "nosuch-command", "new",
      "new guest 1abc", "new guest Hello --directory /no-such-directory", "run NoSuchFile.java"})
  void aMistakeIsOneLineAndStatusTwo(String command) {
    Outcome o = execute(command.split(" "));
    assertThat(o.status()).as(o.err()).isEqualTo(2);
    assertThat(o.err().lines().count()).as(o.err()).isEqualTo(1);
    assertThat(o.err()).startsWith("ntsim").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(o.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"run quickstart --cpus 0", "run quickstart --memory 5G",
      "run quickstart --clock 0ms", "run quickstart --slice 0", "run quickstart --time abc",
      "run quickstart --backend foo", "run quickstart --quantum-accounting foo",
      "run quickstart --trace trace.txt"})
  void theLineNamesTheOptionAndItsValues(String command) {
    String option = command.split(" ")[2];
    assertThat(execute(command.split(" ")).err()).contains(option).contains("use ");
  }

  @Test
  void ntsimAloneprintsItsUsageWithStatusTwo() {
    Outcome o = execute();
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).startsWith("Usage: ntsim");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "kd", "bench", "fuzz", "labs", "new"})
  void everySubcommandHasHelp(String command) {
    Outcome o = execute(command, "--help");
    assertThat(o.status()).isZero();
    assertThat(o.out()).startsWith("Usage: ntsim " + command);
    assertThat(o.err()).isEmpty();
  }

  @Test
  void versionIsThePomsVersion() {
    Outcome o = execute("--version");
    assertThat(o.status()).isZero();
    assertThat(o.out().strip()).matches("ntsim \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
