package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.ntsim.ps.EProcess;

/**
 * What the synchronisation tests share: a guest program run to its end on a booted two-processor
 * machine, with the checks that it ended and raised nothing.
 */
abstract class SyncTestSupport {
  protected TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  /** Runs {@code program} to its end (at most 2 s of simulated time) and returns its process. */
  protected EProcess run(GuestProgram program) {
    sys = TestOs.boot(2);
    EProcess p = sys.runProgram("t.exe", program, 2000 * MS);
    assertThat(p.exitTimeNs()).as("the program ended").isNotNegative();
    assertThat(p.unhandledException()).isNull();
    return p;
  }

  /** Runs {@code program} and returns its exit code (which the program uses as its result). */
  protected int exitCodeOf(GuestProgram program) {
    return run(program).exitStatus();
  }
}
