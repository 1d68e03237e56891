package org.ntsim.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ntsim.bench.Benchmarks;
import org.ntsim.kd.KdConsole;
import org.ntsim.ke.KernelInternalError;
import org.ntsim.labs.Lab;
import org.ntsim.labs.Labs;
import org.ntsim.win32.Ntos;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code ntsim} command: run a lab, open the debugger on it, list labs, run benchmarks. */
@Command(name = "ntsim", mixinStandardHelpOptions = true, version = "ntsim 0.1",
    description = "An executable, deterministic model of the Windows NT kernel executive.",
    subcommands = {Main.Run.class, Main.Kd.class, Main.ListLabs.class, Main.Bench.class,
        FuzzCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    System.exit(code);
  }

  /** Options for where a run's trace goes. */
  static final class TraceOptions {
    @Option(names = "--trace", paramLabel = "FILE",
        description = "write the trace: FILE.json (Chrome/Perfetto) or FILE.csv")
    Path trace;

    @Option(names = "--digest", description = "print 'digest: <hex>' over all trace events")
    boolean digest;

    @Option(names = "--time", paramLabel = "DURATION",
        description = "stop after this much simulated time (default: the lab's limit)")
    String time;

    /** The simulated time the run may take: --time, or the lab's own limit. */
    long limitNs(Lab lab) {
      if (time == null) {
        return lab.timeLimitNs();
      }
      long ns = org.ntsim.hal.MachineConfig.parseDurationNs(time);
      if (ns <= 0) {
        throw new IllegalArgumentException("--time takes a positive duration, not '" + time + "'");
      }
      return ns;
    }
  }

  /** What run and kd make of their arguments: the lab, the machine, and the time limit. */
  record LabRun(Lab lab, org.ntsim.hal.MachineConfig config, long limitNs) {
    /** Throws IllegalArgumentException, with a message for the user, for a mistake. */
    static LabRun of(String labName, MachineOptions machine, TraceOptions trace) {
      Lab lab = Labs.create(labName);
      return new LabRun(lab, machine.toConfig(trace.trace != null), trace.limitNs(lab));
    }
  }

  /** A mistake in a command's arguments: one line on standard error, and exit status 2. */
  static int usageError(String command, IllegalArgumentException e) {
    System.err.println("ntsim " + command + ": " + e.getMessage());
    return 2;
  }

  @Command(name = "run", description = "Run a lab (or a guest program class) and print its report.")
  static final class Run implements Callable<Integer> {
    @Parameters(paramLabel = "LAB") String labName;
    @Mixin MachineOptions machine;
    @Mixin TraceOptions traceOptions;

    @Override
    public Integer call() throws IOException {
      LabRun setup;
      try {
        setup = LabRun.of(labName, machine, traceOptions);
      } catch (IllegalArgumentException e) {
        return usageError("run", e);
      }
      Lab lab = setup.lab();
      long limit = setup.limitNs();
      Ntos os = new Ntos(setup.config());
      PrintStream out = System.out;
      try {
        lab.start(os);
        Labs.runToEnd(lab, os, limit);
        if (os.kernel.bugCheck() != null) {
          out.println(os.kernel.bugCheck().stopLine());
          out.println();
        }
        lab.report(os, out);
        finish(os, traceOptions, out);
        return 0;
      } catch (KernelInternalError e) {
        System.err.println(e.getMessage());
        e.printStackTrace();
        return 70;
      } finally {
        os.shutdown();
      }
    }
  }

  static void finish(Ntos os, TraceOptions t, PrintStream out) throws IOException {
    if (t.trace != null) {
      if (t.trace.toString().endsWith(".csv")) {
        os.machine.tracer.writeCsv(t.trace);
      } else {
        os.machine.tracer.writeChromeJson(t.trace);
      }
      System.err.printf("trace: %d events written to %s%n", os.machine.tracer.eventCount(),
          t.trace);
    }
    if (t.digest) {
      out.println("digest: " + os.machine.tracer.digestHex());
    }
  }

  @Command(name = "kd", description = "Open the kernel debugger console on a lab, stopped at its"
      + " start (or at the lab's break-in point). Reads commands from standard input when it is not a terminal.")
  static final class Kd implements Callable<Integer> {
    @Parameters(paramLabel = "LAB") String labName;
    @Mixin MachineOptions machine;
    @Mixin TraceOptions traceOptions;

    @Override
    public Integer call() throws IOException {
      LabRun setup;
      try {
        setup = LabRun.of(labName, machine, traceOptions);
      } catch (IllegalArgumentException e) {
        return usageError("kd", e);
      }
      Lab lab = setup.lab();
      long limit = setup.limitNs();
      Ntos os = new Ntos(setup.config());
      try {
        lab.start(os);
        Labs.runToBreakIn(lab, os);
        if (lab.breakInNs() > 0) {
          System.out.printf("ntsim: %s breaks in after %.3f ms of simulated time%n", lab.name(),
              lab.breakInNs() / 1e6);
        }
        KdConsole console = new KdConsole(os, System.out, () -> lab.finished(os), limit);
        console.run(System.in, System.console() != null && System.console().isTerminal());
        finish(os, traceOptions, System.out);
        return 0;
      } catch (KernelInternalError e) {
        System.err.println(e.getMessage());
        e.printStackTrace();
        return 70;
      } finally {
        os.shutdown();
      }
    }
  }

  @Command(name = "labs", description = "List the built-in labs.")
  static final class ListLabs implements Callable<Integer> {
    @Override
    public Integer call() {
      for (String name : Labs.names()) {
        System.out.printf("%-16s %s%n", name, Labs.create(name).description());
      }
      return 0;
    }
  }

  @Command(name = "bench", description = "Run a benchmark (switch, scale) or all of them.")
  static final class Bench implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..1") String name;

    @Option(names = "--json", description = "one JSON object per benchmark")
    boolean json;

    @Override
    public Integer call() {
      return Benchmarks.run(name, json, System.out);
    }
  }
}
