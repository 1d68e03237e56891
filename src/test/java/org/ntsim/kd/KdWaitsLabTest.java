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

/**
 * {@code ntsim kd waits} breaks in when the waits lab's threads are blocked: {@code !process 0 7}
 * lists producers waiting on the free-slots semaphore and the gatekeeper's two wait blocks.
 */
class KdWaitsLabTest {
  @Test
  void atItsBreakInTheWaitsLabShowsThreadsWithTheirWaitBlocks() {
    Ntos os = new Ntos(new MachineConfig());
    try {
      Lab lab = Labs.create("waits");
      lab.start(os);
      Labs.runToBreakIn(lab, os);
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      KdConsole kd = new KdConsole(os, new PrintStream(buf, true, StandardCharsets.UTF_8),
          () -> lab.finished(os), lab.timeLimitNs());
      kd.execute("!process 0 7");
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(out).containsPattern("WAIT: \\(UserRequest\\) UserMode Non-Alertable\n"
          + " {12}[0-9a-f]{8}  Semaphore Limit 0x4\n");
      assertThat(out).containsPattern("WAIT: \\(UserRequest\\) UserMode Non-Alertable\n"
          + " {12}[0-9a-f]{8}  Mutant - owning thread [0-9a-f]{8}\n"
          + " {12}[0-9a-f]{8}  NotificationEvent\n");
    } finally {
      os.shutdown();
    }
  }
}
