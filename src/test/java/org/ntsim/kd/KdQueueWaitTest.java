package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.labs.Lab;
import org.ntsim.labs.Labs;
import org.ntsim.win32.Ntos;

/** Threads waiting in KeRemoveQueue show as WrQueue waits on a QueueObject (the kqueue lab). */
class KdQueueWaitTest {
  @Test
  void workersWaitingOnTheQueueShowWrQueueAndQueueObject() {
    Ntos os = new Ntos(new MachineConfig());
    try {
      Lab lab = Labs.create("kqueue");
      lab.start(os);
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      KdConsole kd = new KdConsole(os, new PrintStream(buf, true, StandardCharsets.UTF_8),
          () -> lab.finished(os), lab.timeLimitNs());
      kd.execute("g 2ms"); // before the first request arrives
      buf.reset();
      kd.execute("!process 0 2 System");
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(out.split("WAIT: \\(WrQueue\\) KernelMode Non-Alertable\n            [0-9a-f]{8}"
          + "  QueueObject\n", -1)).hasSize(3);
      buf.reset();
      kd.execute("g");
      assertThat(buf.toString(StandardCharsets.UTF_8)).contains("have finished");
    } finally {
      os.shutdown();
    }
  }
}
