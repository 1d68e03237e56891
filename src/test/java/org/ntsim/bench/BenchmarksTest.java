package org.ntsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the command line relies on: the names, the exit code for an unknown name, and JSON that is
 * one well-formed object a line. The benchmarks themselves are measured by running them (DESIGN.md
 * section 6: speed is never asserted in tests).
 */
class BenchmarksTest {

  @Test
  void namesAreSwitchScaleWaitWaitAllPoolMemoryAndFaults() {
    assertThat(Benchmarks.names()).containsExactly("switch", "scale", "wait", "waitall", "pool",
        "memory", "faults");
  }

  @Test
  void unknownNameReturns2AndListsTheNames() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = Benchmarks.run("nope", true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("switch").contains("scale");
  }

  @Test
  void jsonKeepsFieldOrderAndEscapes() {
    Json j = new Json().put("b", 1).put("a", "x\"y\n").put("list", List.of(1.5, true))
        .put("nested", new Json().put("n", Double.NaN));
    assertThat(j.toString())
        .isEqualTo("{\"b\":1,\"a\":\"x\\\"y\\n\",\"list\":[1.500,true],\"nested\":{\"n\":null}}");
  }
}
