package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsim.hal.MachineConfig;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.Ntos;

/**
 * A lab's lines about what happened must agree with the run: each test runs a lab where its
 * old fixed text would have been false, and checks the report against the trace or the
 * kernel's own counters, which the lab does not use for that line.
 */
class LabClaimsTest {
  private record Run(String report, Ntos os) {}

  private static Run run(Lab lab, long seed, int cpus) {
    MachineConfig c = new MachineConfig();
    c.seed = seed;
    c.cpus = cpus;
    c.recordTrace = true;
    Ntos os = new Ntos(c);
    lab.start(os);
    Labs.runToEnd(lab, os, lab.timeLimitNs());
    assertThat(lab.finished(os)).as("finishes within its time limit").isTrue();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    lab.report(os, new PrintStream(buf, true, StandardCharsets.UTF_8));
    return new Run(buf.toString(StandardCharsets.UTF_8), os);
  }

  /**
   * The quickstart's quantum ends, by outcome, add up to the scheduler's own count, and those
   * after which the thread kept its CPU are the trace's QUANTUM_END events that gave nothing up.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void quickstartCountsEveryQuantumEndByOutcome(int cpus) {
    Run r = run(new QuickstartLab(), 1, cpus);
    try {
      long quantumEnds = total(r.report(), "quantum ends");
      assertThat(quantumEnds).isEqualTo(r.os().kernel.quantumEnds());
      long[] keptInTrace = {0};
      r.os().machine.tracer.replay((t, cpu, kind, a, b, c) -> {
        if (kind == TraceKind.QUANTUM_END && c == 0) {
          keptInTrace[0]++;
        }
      });
      assertThat(total(r.report(), "... the thread kept the CPU")).isEqualTo(keptInTrace[0]);
      assertThat(total(r.report(), "... the CPU went to an equal-priority thread")
          + total(r.report(), "... the CPU went to a higher-priority thread")
          + total(r.report(), "... the thread kept the CPU")).isEqualTo(quantumEnds);
    } finally {
      r.os().shutdown();
    }
  }

  /**
   * Which crunchers shared a processor comes from the context switches: on one processor all
   * three take turns (no "kept it"); on three, each keeps its own.
   */
  @Test
  void quickstartSaysWhichCrunchersTookTurnsFromTheRun() {
    Run one = run(new QuickstartLab(), 1, 1);
    one.os().shutdown();
    assertThat(one.report())
        .contains("CPU 0: cruncher-A, cruncher-B, cruncher-C took turns")
        .doesNotContain("kept it");
    Run three = run(new QuickstartLab(), 1, 3);
    three.os().shutdown();
    assertThat(three.report()).doesNotContain("took turns");
    for (String cruncher : List.of("cruncher-A", "cruncher-B", "cruncher-C")) {
      assertThat(three.report()).containsPattern("CPU \\d: " + cruncher + " kept it");
    }
  }

  /**
   * The apc lab's first row counts the APCs queued by then; the trace's APC_QUEUED events (user
   * APCs) at or before that row's time must give the same number.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 7, 8})
  void apcRowsCountTheApcsTheTraceShowsQueued(long seed) {
    ApcLab lab = new ApcLab();
    Run r = run(lab, seed, 2);
    try {
      List<Long> queuedAt = new ArrayList<>();
      r.os().machine.tracer.replay((t, cpu, kind, a, b, c) -> {
        if (kind == TraceKind.APC_QUEUED && c == 2) {
          queuedAt.add(t);
        }
      });
      for (ApcLab.Row row : lab.rows()) {
        long n = queuedAt.stream().filter(t -> t <= row.timeNs()).count();
        assertThat(row.apcs()).as(row.call()).startsWith("queued " + n + ",");
      }
      assertThat(lab.rows().get(0).apcs()).startsWith("queued 3,"); // queued while computing
    } finally {
      r.os().shutdown();
    }
  }

  /** The number in the column of processor {@code label}'s row whose last field is the total. */
  private static long total(String report, String label) {
    for (String line : report.split("\n")) {
      if (line.trim().startsWith(label + " ") || line.trim().equals(label)) {
        String[] fields = line.trim().split(" +");
        return Long.parseLong(fields[fields.length - 1]);
      }
    }
    throw new AssertionError("no line " + label + " in\n" + report);
  }
}
