package org.ntsim.kd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.Ntos;

/**
 * A booted system with a debugger console attached whose output a test can read command by
 * command. The standard guest, {@code demo.exe}, has a main thread that starts two CPU-bound
 * threads and one that sleeps ten seconds, then waits for the first cruncher; on one processor
 * that leaves, after a short run, one cruncher running, one ready at priority 8, the sleeper in a
 * DelayExecution wait and main in a UserRequest wait.
 */
final class KdSession implements AutoCloseable {
  static final long MS = 1_000_000L;

  final Ntos os;
  final KdConsole console;
  final long[] tids = new long[3]; // cruncher 1, cruncher 2, sleeper
  EProcess demo;
  /** What the console asks before a bare g: are the lab's programs done? Tests may replace it. */
  BooleanSupplier finished = () -> false;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  KdSession(int cpus, long timeLimitNs) {
    MachineConfig config = new MachineConfig();
    config.cpus = cpus;
    os = new Ntos(config);
    console = new KdConsole(os, new PrintStream(buffer, true, StandardCharsets.UTF_8),
        () -> finished.getAsBoolean(), timeLimitNs);
  }

  /** A session on {@code cpus} processors running demo.exe, whose bare g may run one second. */
  static KdSession withDemo(int cpus) {
    KdSession s = new KdSession(cpus, 1_000 * MS);
    s.demo = s.os.launch("demo.exe", s::demoMain);
    return s;
  }

  private int demoMain(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    int[] tid = new int[1];
    long first = k32.CreateThread(null, 0, p -> crunch(ctx), 0, 0, tid);
    tids[0] = tid[0];
    k32.CreateThread(null, 0, p -> crunch(ctx), 0, 0, tid);
    tids[1] = tid[0];
    k32.CreateThread(null, 0, p -> {
      k32.Sleep(10_000);
      return 0;
    }, 0, 0, tid);
    tids[2] = tid[0];
    k32.WaitForSingleObject(first, Kernel32.INFINITE);
    return 0;
  }

  private static int crunch(GuestContext ctx) {
    while (true) {
      ctx.compute(1_000_000);
    }
  }

  EThread thread(int index) {
    return os.ps.lookupThread(tids[index]);
  }

  /** Executes one command and returns what it printed. */
  String run(String command) {
    buffer.reset();
    console.execute(command);
    return printed();
  }

  /** Feeds {@code lines} to the console as a script (not a terminal) and returns the transcript. */
  String script(String... lines) {
    buffer.reset();
    String input = String.join("\n", lines) + "\n";
    console.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), false);
    return printed();
  }

  private String printed() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  static String hex8(long value) {
    return String.format("%08x", value & 0xFFFFFFFFL);
  }

  @Override
  public void close() {
    os.shutdown();
  }
}
