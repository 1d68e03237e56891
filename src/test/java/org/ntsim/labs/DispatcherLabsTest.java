package org.ntsim.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsim.hal.MachineConfig;
import org.ntsim.win32.Ntos;

/** The key results of the kqueue, waits, apc and abandoned-mutex labs, over several seeds. */
class DispatcherLabsTest {
  private static String run(Lab lab, long seed, int cpus) {
    MachineConfig c = new MachineConfig();
    c.seed = seed;
    c.cpus = cpus;
    Ntos os = new Ntos(c);
    try {
      lab.start(os);
      Labs.runToEnd(lab, os, lab.timeLimitNs());
      assertThat(lab.finished(os)).as("finishes within its time limit").isTrue();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      lab.report(os, new PrintStream(buf, true, StandardCharsets.UTF_8));
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      os.shutdown();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 7, 8, 42})
  void kqueueActiveCountReachesTwoWithALimitOfOne(long seed) {
    for (int cpus : new int[] {1, 2, 4}) {
      KQueueLab lab = new KQueueLab();
      String report = run(lab, seed, cpus);
      assertThat(lab.maxActive()).as("cpus=" + cpus).isEqualTo(2);
      assertThat(report).contains("highest active count: 2 with a limit of 1");
      assertThat(lab.steps()).anySatisfy(s -> {
        assertThat(s.what()).contains("wakes: its read is done");
        assertThat(s.active()).isEqualTo(2);
      });
      assertThat(lab.steps()).anySatisfy(s -> {
        assertThat(s.what()).contains("takes request B");
        assertThat(s.active()).isEqualTo(1); // released only because the first one blocked
      });
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 8})
  void apcsRunInFifoOrderOnlyInAlertableWaits(long seed) {
    ApcLab lab = new ApcLab();
    run(lab, seed, 2);
    assertThat(lab.delivered()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(lab.rows()).extracting(ApcLab.Row::result).containsExactly("-",
        "returns; APCs run: 0", "WAIT_IO_COMPLETION (0xC0) after 0.000 ms; APCs run: [1, 2, 3]",
        "WAIT_IO_COMPLETION (0xC0); APCs run: 4", "WAIT_OBJECT_0 (0)", "0");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 8})
  void theWaiterOfAnAbandonedMutexGetsWaitAbandoned(long seed) {
    AbandonedMutexLab lab = new AbandonedMutexLab();
    run(lab, seed, 2);
    assertThat(lab.rows()).extracting(r -> r.who() + ": " + r.result()).containsExactly(
        "owner: WAIT_OBJECT_0 (0)", "main: FALSE, GetLastError 288",
        "owner: -", "waiter: 0x80 = WAIT_ABANDONED_0 (0x80)", "waiter: TRUE",
        "main: WAIT_OBJECT_0 (0)");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 8})
  void waitsKeepsTheBufferBoundedAndTheWaitAllWaitsForTheEvent(long seed) {
    String report = run(new WaitsLab(), seed, 2);
    assertThat(report).contains("items produced 60, consumed 60");
    assertThat(report).contains("buffer at most 4 (yes); WaitAll WAIT_OBJECT_0, not before the"
        + " event (yes)");
  }
}
