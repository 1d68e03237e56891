package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The console's golden files: one transcript per command under
 * {@code src/test/resources/golden/<name>.txt}, compared byte for byte with what the console
 * prints on the fixed-seed machine of {@link KdGoldenTest}.
 *
 * <p>To rewrite them all after a deliberate change of layout or of the model, run
 * {@code ./ntsim test -Dtest=KdGoldenTest -Dntsim.golden.update=true} and review the diff.
 */
final class GoldenFiles {
  /** The system property that makes {@link #check} write the files instead of comparing. */
  static final String UPDATE_PROPERTY = "ntsim.golden.update";
  static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

  private GoldenFiles() {
  }

  /** Compares {@code transcript} with golden file {@code name}, or rewrites it when updating. */
  static void check(String name, String transcript) {
    Path file = DIRECTORY.resolve(name + ".txt");
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(DIRECTORY);
        Files.writeString(file, transcript, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        fail("no golden file " + file + "; write it with ./ntsim test -Dtest=KdGoldenTest -D"
            + UPDATE_PROPERTY + "=true");
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(transcript).as("golden file %s (rewrite with -D%s=true)", file, UPDATE_PROPERTY)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
