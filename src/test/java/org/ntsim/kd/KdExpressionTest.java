package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code ? expr}: WinDbg's MASM evaluator. The line is WinDbg's on an x86 target, the value in
 * signed decimal, then as eight hex digits: "0:000> ? +1" / "Evaluate expression: 1 = 00000001"
 * (cnblogs.com/hgy413/p/3693419.html, a WinDbg transcript of MASM expressions); the default radix
 * is 16 and 0n, 0x, 0y are decimal, hex and binary (learn.microsoft.com, "MASM Numbers and
 * Operators").
 */
class KdExpressionTest {
  @Test
  void sumPrintsDecimalThenEightHexDigits() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("? 1+2")).isEqualTo("Evaluate expression: 3 = 00000003\n");
    }
  }

  @Test
  void numbersAreHexByDefaultWithDecimalHexAndBinaryPrefixes() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("? 10")).isEqualTo("Evaluate expression: 16 = 00000010\n");
      assertThat(s.run("? 0n10 + 0x10 + 0y101")).isEqualTo("Evaluate expression: 31 = 0000001f\n");
    }
  }

  @Test
  void operatorsFollowMasmPrecedenceAndParentheses() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("? 2+3*4")).isEqualTo("Evaluate expression: 14 = 0000000e\n");
      assertThat(s.run("? (2+3)*4")).isEqualTo("Evaluate expression: 20 = 00000014\n");
      assertThat(s.run("? 1 << 4 | 3 & 1 ^ 0n20 % 7 / 2"))
          .isEqualTo("Evaluate expression: 18 = 00000012\n");
      assertThat(s.run("? ~0")).isEqualTo("Evaluate expression: -1 = ffffffff\n");
      assertThat(s.run("? 100 >> 4")).isEqualTo("Evaluate expression: 16 = 00000010\n");
    }
  }

  @Test
  void resultsWrapAtThirtyTwoBits() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("? ffffffff + 2")).isEqualTo("Evaluate expression: 1 = 00000001\n");
      assertThat(s.run("? 0-1")).isEqualTo("Evaluate expression: -1 = ffffffff\n");
    }
  }

  @Test
  void pseudoRegistersGiveTheCurrentThreadProcessAndPrcb() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      var t = s.os.kernel.prcb(0).currentThread();
      assertThat(s.run("? @$thread")).endsWith(" = " + KdSession.hex8(t.address) + "\n");
      assertThat(s.run("? @$proc")).endsWith(" = " + KdSession.hex8(s.demo.address) + "\n");
      assertThat(s.run("? @$prcb")).isEqualTo("Evaluate expression: -2121110240 = 81926d20\n");
    }
  }

  @Test
  void poiReadsTheDwordDdShows() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      String address = KdSession.hex8(s.os.kernel.prcb(0).currentThread().address + 8);
      String dword = s.run("dd " + address + " L1").substring(10, 18);
      assertThat(s.run("? poi(" + address + ")")).endsWith(" = " + dword + "\n");
      assertThat(s.run("? poi(@$thread+8)")).endsWith(" = " + dword + "\n");
    }
  }

  @Test
  void poiOfUnmappedMemoryIsAMemoryAccessError() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("? poi(10)")).isEqualTo("Memory access error at 'poi(10)'\n");
    }
  }

  @Test
  void divisionByZeroAndBadTextAreErrors() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("? 1/0")).isEqualTo("Divide by zero error at '/0'\n");
      assertThat(s.run("? 1+zz")).isEqualTo("Couldn't resolve error at 'zz'\n");
    }
  }

  @Test
  void questionMarkAloneStillListsTheCommands() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("?")).contains("g [<time>] - run until");
    }
  }

  @Test
  void ddNearTheTopOfMemoryWrapsAtThirtyTwoBits() {
    try (KdSession s = KdSession.withDemo(1)) {
      assertThat(s.run("dd fffffffc L8")).isEqualTo(
          "fffffffc  ???????? ???????? ???????? ????????\n"
          + "0000000c  ???????? ???????? ???????? ????????\n");
    }
  }
}
