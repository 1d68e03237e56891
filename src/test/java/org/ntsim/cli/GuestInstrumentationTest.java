package org.ntsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsim.hal.MachineConfig;
import org.ntsim.labs.Lab;
import org.ntsim.labs.Labs;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestCpu;
import org.ntsim.win32.Ntos;

/**
 * A guest's own Java code is charged and preempted like a compiled program's: a plain loop
 * spinning on a flag that another thread sets after Sleep(20) ends on one processor, its time is
 * user time, as much as ctx.compute charges for as many instructions; a guest that would use the
 * host's threads or clock is refused when it is loaded.
 */
class GuestInstrumentationTest {
  @TempDir Path dir;

  private static final String SPIN = """
      import org.ntsim.win32.*;
      public class Spin implements GuestProgram {
        static volatile boolean flag;
        public int main(GuestContext ctx) {
          Kernel32 k = ctx.kernel32();
          long setter = k.CreateThread(null, 0, p -> { k.Sleep(20); flag = true; return 0; },
              0, 0, null);
          long spins = 0;
          while (!flag) {
            spins++;
          }
          k.WaitForSingleObject(setter, Kernel32.INFINITE);
          return spins > 0 ? 0 : 1;
        }
      }
      """;

  private static final String LOOP = """
      import org.ntsim.win32.*;
      public class Loop implements GuestProgram {
        public int main(GuestContext ctx) {
          if (ctx.args().length > 0) {
            ctx.compute(Long.parseLong(ctx.args()[0]));
            return 0;
          }
          long sum = 0;
          for (int i = 0; i < 2_000_000; i++) {
            sum += i ^ (sum >>> 3);
          }
          return (int) (sum & 1);
        }
      }
      """;

  private Path write(String name, String source) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, source);
    return file;
  }

  /** Runs a guest's source to its end on one processor; returns its main thread's user time. */
  private static long mainThreadUserNs(Path source, String... args) {
    Lab lab = GuestLoader.lab(source.toString(), List.of(args), null);
    MachineConfig c = new MachineConfig();
    c.cpus = 1;
    Ntos os = new Ntos(c);
    try {
      lab.start(os);
      EThread main = ((GuestLab) lab).process().threads().get(0);
      Labs.runToEnd(lab, os, 10_000_000_000L);
      assertThat(lab.finished(os)).as("the guest ended").isTrue();
      return main.exactUserNs();
    } finally {
      os.shutdown();
    }
  }

  @Test
  void aPlainLoopSpinningOnAFlagIsPreemptedSoTheThreadThatSetsItRuns() throws IOException {
    UsageErrorTest.Outcome o = UsageErrorTest.execute("run", write("Spin.java", SPIN).toString(), "--cpus", "1");
    assertThat(o.status()).isZero();
    assertThat(o.err()).isEqualTo("ntsim: Spin.exe exited with code 0\n");
  }

  @Test
  void aPlainLoopIsChargedAsMuchUserTimeAsComputeForAsManyInstructions() throws IOException {
    Path loop = write("Loop.java", LOOP);
    long loopUserNs = mainThreadUserNs(loop);
    long instructions = GuestCpu.charged();
    long computeUserNs = mainThreadUserNs(loop, Long.toString(instructions));
    assertThat(instructions).isGreaterThan(2_000_000L * 5);
    assertThat((double) loopUserNs).isCloseTo((double) computeUserNs,
        org.assertj.core.data.Percentage.withPercentage(5));
  }

  @Test
  void aGuestThatStartsAHostThreadIsRefusedNamingTheCall() throws IOException {
    Path bad = write("Bad.java", """
        import org.ntsim.win32.*;
        public class Bad implements GuestProgram {
          public int main(GuestContext ctx) {
            new Thread(() -> {}).start();
            return 0;
          }
        }
        """);
    UsageErrorTest.Outcome o = UsageErrorTest.execute("run", bad.toString());
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).contains("java.lang.Thread.<init>").hasLineCount(1);
  }

  @Test
  void aGuestThatReadsTheHostClockIsRefusedNamingTheCall() throws IOException {
    Path bad = write("Clock.java", """
        import org.ntsim.win32.*;
        public class Clock implements GuestProgram {
          public int main(GuestContext ctx) {
            return (int) System.nanoTime();
          }
        }
        """);
    UsageErrorTest.Outcome o = UsageErrorTest.execute("run", bad.toString());
    assertThat(o.status()).isEqualTo(2);
    assertThat(o.err()).contains("java.lang.System.nanoTime").hasLineCount(1);
  }
}
