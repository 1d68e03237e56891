package org.ntsim.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code ntsim} command: run a lab, open the debugger on it, list labs, run benchmarks. A
 * mistake on the command line is one line on standard error naming the option and the values it
 * takes, with exit status 2; {@code ntsim} alone prints the usage, also with status 2.
 */
@Command(name = "ntsim", mixinStandardHelpOptions = true,
    versionProvider = Converters.Version.class,
    description = "An executable, deterministic model of the Windows NT kernel executive.",
    subcommands = {Main.Run.class, Main.Kd.class, Main.ListLabs.class, Main.Bench.class,
        FuzzCommand.class, NewCommand.class})
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return 2;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with ntsim's handling of usage errors. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(Main::parameterError);
    cl.setExecutionExceptionHandler(Main::executionError);
    // A guest's own options (-v) go to the guest, after its name as before it is named.
    cl.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
    cl.getSubcommands().get("kd").setUnmatchedOptionsArePositionalParams(true);
    return cl;
  }

  /** A mistake picocli found while parsing: one line, status 2. */
  private static int parameterError(ParameterException e, String[] args) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    System.err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": "
        + message.strip().replaceAll("\\s*\\R\\s*", "; "));
    return 2;
  }

  /** A mistake found after parsing (UsageException): one line, status 2; anything else rises. */
  private static int executionError(Exception e, CommandLine cl, ParseResult parsed)
      throws Exception {
    if (e instanceof UsageException) {
      System.err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      return 2;
    }
    throw e;
  }

  /** Options for where a run's trace goes, and how long the run may take. */
  static final class TraceOptions {
    @Option(names = "--trace", paramLabel = "FILE", converter = Converters.TraceFile.class,
        description = "write the trace: FILE.json (Chrome/Perfetto) or FILE.csv")
    Path trace;

    @Option(names = "--digest", description = "print 'digest: <hex>' over all trace events")
    boolean digest;

    @Option(names = "--time", paramLabel = "DURATION",
        converter = Converters.PositiveDuration.class,
        description = "stop after this much simulated time (default: the lab's limit,"
        + " 60s for a guest)")
    String time;

    /** The simulated time the run may take: --time, or the lab's own limit. */
    long limitNs(Lab lab) {
      return time == null ? lab.timeLimitNs() : org.ntsim.hal.MachineConfig.parseDurationNs(time);
    }

    /** How the limit is named in a report: the option, or the lab's own. */
    String limitName(Lab lab) {
      return time == null ? "the time limit of " + seconds(lab.timeLimitNs())
          : "the time limit of --time " + time;
    }
  }

  static String seconds(long ns) {
    return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
  }

  /** What run and kd make of their arguments: the lab, the machine, and the time limit. */
  record LabRun(Lab lab, org.ntsim.hal.MachineConfig config, long limitNs) {
    /** Throws UsageException, with a message for the user, for a mistake. */
    static LabRun of(String labName, List<String> args, String classPath,
        MachineOptions machine, TraceOptions trace) {
      if (labName.startsWith("-") && !labName.equals("-")) {
        throw new UsageException("unknown option '" + labName + "'");
      }
      Lab lab;
      if (Labs.names().contains(labName)) {
        if (!args.isEmpty()) {
          throw new UsageException("the lab " + labName + " takes no arguments, not '"
              + String.join(" ", args) + "'");
        }
        lab = Labs.create(labName);
      } else {
        lab = GuestLoader.lab(labName, args, classPath);
      }
      try {
        return new LabRun(lab, machine.toConfig(trace.trace != null), trace.limitNs(lab));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a lab, or a guest program (a class or a .java file), and print its"
      + " report. ntsim's options may come before or after the name; other words after it,"
      + " and everything after --, go to the guest.",
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {"0:a lab finished, or the guest exited with 0",
          "n:the guest's exit code n (1 when it does not fit in 0..255)",
          "2:a usage error", "3:the system stopped (a bug check) before the guest ended",
          "124:the guest was still running at the time limit",
          "70:an internal error of ntsim"})
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LAB|CLASS|FILE.java",
        description = "a built-in lab (ntsim labs), a guest class, or a guest's source file")
    String labName;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the guest's arguments")
    List<String> args = new ArrayList<>();

    @Mixin GuestLoader.Options guestOptions;
    @Mixin MachineOptions machine;
    @Mixin TraceOptions traceOptions;

    @Override
    public Integer call() throws IOException {
      LabRun setup = LabRun.of(labName, args, guestOptions.classPath, machine, traceOptions);
      Lab lab = setup.lab();
      long limit = setup.limitNs();
      Ntos os = new Ntos(setup.config());
      PrintStream out = System.out;
      try {
        lab.start(os);
        long started = os.machine.nowNs();
        Progress progress = Progress.forTerminal(() -> os.machine.nowNs() - started, limit);
        Labs.runToEnd(lab, os, limit, progress != null ? progress : () -> {});
        if (progress != null) {
          progress.done();
        }
        if (os.kernel.bugCheck() != null) {
          out.println(os.kernel.bugCheck().stopLine());
          out.println();
        }
        lab.report(os, out);
        finish(os, traceOptions, out);
        if (lab instanceof GuestLab guest) {
          return guest.outcome(os, traceOptions.limitName(lab));
        }
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
      if (t.trace.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
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

  @Command(name = "kd", mixinStandardHelpOptions = true,
      description = "Open the kernel debugger console on a lab or guest, stopped at its"
      + " start (or at the lab's break-in point). Reads commands from standard input when it is"
      + " not a terminal.")
  static final class Kd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LAB|CLASS|FILE.java") String labName;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the guest's arguments")
    List<String> args = new ArrayList<>();

    @Mixin GuestLoader.Options guestOptions;
    @Mixin MachineOptions machine;
    @Mixin TraceOptions traceOptions;

    @Override
    public Integer call() throws IOException {
      LabRun setup = LabRun.of(labName, args, guestOptions.classPath, machine, traceOptions);
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

  @Command(name = "labs", mixinStandardHelpOptions = true, description = "List the built-in labs.")
  static final class ListLabs implements Callable<Integer> {
    @Override
    public Integer call() {
      for (String name : Labs.names()) {
        System.out.printf("%-16s %s%n", name, Labs.create(name).description());
      }
      return 0;
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Run a benchmark, or all of them.")
  static final class Bench implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..1",
        description = "one of ${COMPLETION-CANDIDATES} (default: all)",
        completionCandidates = BenchNames.class)
    String name;

    @Option(names = "--json", description = "one JSON object per benchmark")
    boolean json;

    @Override
    public Integer call() {
      if (name != null && !Benchmarks.names().contains(name)) {
        throw new UsageException("unknown benchmark '" + name + "' (use one of "
            + String.join(", ", Benchmarks.names()) + ")");
      }
      boolean terminal = System.console() != null && System.console().isTerminal();
      return Benchmarks.run(name, json, System.out, terminal ? System.err : null);
    }
  }

  /** The benchmarks' names, for bench's help. */
  static final class BenchNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Benchmarks.names().iterator();
    }
  }
}
