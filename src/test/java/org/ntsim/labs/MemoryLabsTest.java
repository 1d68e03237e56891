package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;

/** The key results of the page-tables, testlimit and working-set labs, over several seeds. */
class MemoryLabsTest {
  private static String run(Lab lab, long seed, int cpus, long memoryBytes) {
    MachineConfig c = new MachineConfig();
    c.seed = seed;
    c.cpus = cpus;
    c.memoryBytes = memoryBytes;
    Ntos os = new Ntos(c);
    try {
      lab.start(os);
      Labs.runToEnd(lab, os, lab.timeLimitNs());
      assertThat(lab.finished(os)).as("finishes within its time limit").isTrue();
      assertThat(os.kernel.bugCheck()).isNull();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      lab.report(os, new PrintStream(buf, true, StandardCharsets.UTF_8));
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      os.shutdown();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 7})
  void theWalkThroughTheSelfMapAgreesWithPteAndTheData(long seed) {
    String report = run(new PageTablesLab(), seed, 2, 256L << 20);
    assertThat(report).contains("all seen.").contains("matches CR3")
        .contains("slide 30: PTE of E4321000 at c0390c84, PDE at c0300e40");
    // the debugger's PDE and PTE addresses are the ones the walk computed
    String walkPde = report.replaceAll("(?s).*PDE at C0300000 \\+ \\(VA >> 22\\) \\* 4  = "
        + "([0-9a-f]{8}).*", "$1");
    String walkPte = report.replaceAll("(?s).*PTE at C0000000 \\+ \\(VA >> 12\\) \\* 4  = "
        + "([0-9a-f]{8}).*", "$1");
    assertThat(report).contains("PDE at " + walkPde.toUpperCase() + "            PTE at "
        + walkPte.toUpperCase());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 5})
  void testlimitStopsAtTheAddressSpaceThenAtTheCommitLimit(long seed) {
    TestLimitLab lab = new TestLimitLab();
    String report = run(lab, seed, 1, 64L << 20);
    assertThat(report).containsPattern("reserved 20[0-4]\\d MB of address space \\(VirtualAlloc"
        + " failed with ERROR_NOT_ENOUGH_MEMORY\\)")
        .containsPattern("leaked (5\\d|6[0-2]) MB of private memory, never touched \\(failed with"
            + " ERROR_COMMITMENT_LIMIT\\); commit limit 62 MB")
        .containsPattern("leaked and touched (5\\d|6[0-2]) MB \\(failed with"
            + " ERROR_COMMITMENT_LIMIT\\)");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 3})
  void anIdleWorkingSetIsTrimmedUnderPressureAndComesBackBySoftFaults(long seed) {
    String report = run(new WorkingSetLab(), seed, 2, 64L << 20);
    assertThat(report).contains("capped.exe at its peak: 1000 pages (hard maximum 1000)")
        .contains("idle.exe at its smallest between 2 s and 5 s: 50 pages")
        .containsPattern("again: (\\d+) faults, \\1 of them soft \\(transition\\) faults")
        .contains("exit codes 00000000 00000000 00000000")
        .contains("seen here: the hard maximum held (peak 1000)")
        .contains("every fault back was soft");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 3})
  void underPressureTheWorkingSetWithTheLargestUnusedEstimateIsTrimmedFirst(long seed) {
    // idle.exe (some 3500 pages unused) goes before capped.exe (1000 unused): the first pass
    // under pressure meets its goal with idle.exe alone; capped.exe follows a pass later.
    // hog.exe's working set: the 9216 pages it touched, its PEB and its TEB.
    String report = run(new WorkingSetLab(), seed, 2, 64L << 20);
    assertThat(report).containsPattern("2\\.1s +1000 +50 +9218")
        .containsPattern("3\\.2s +100 +50 +9218");
  }

  /** At 1 MB no guest gets its memory: the report says so instead of what should have happened. */
  @ParameterizedTest
  @ValueSource(longs = {1, 7})
  void aWorkingSetRunWithoutMemorySaysWhatFailed(long seed) {
    String report = run(new WorkingSetLab(), seed, 1, 1L << 20);
    assertThat(report).contains("capped.exe exited at")
        .contains("a VirtualAlloc failed with ERROR_COMMITMENT_LIMIT")
        .contains("hard maximum not tested (capped.exe touched 0 pages)")
        .contains("idle.exe was not trimmed")
        .doesNotContain("the hard maximum held").doesNotContain("every fault back was soft");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 7})
  void aPageTableWalkWithoutMemorySaysWhatFailed(long seed) {
    String report = run(new PageTablesLab(), seed, 1, 1L << 20);
    assertThat(report).contains("the walk did not happen: VirtualAlloc of")
        .contains("failed with ERROR_COMMITMENT_LIMIT")
        .contains("pagetables.exe exited at").contains("(not seen in this run)")
        .doesNotContain("all seen");
  }
}
