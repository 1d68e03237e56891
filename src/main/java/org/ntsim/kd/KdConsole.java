package org.ntsim.kd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KernelInternalError;
import org.ntsim.win32.Ntos;

/**
 * The kernel debugger console (DESIGN.md section 7): it holds a booted system stopped between
 * machine slices, runs WinDbg-style commands against it whose output follows kdexts' layout, and
 * resumes the machine with {@code g}.
 *
 * <p>Models a kd session on an x86 Vista SP1 target: a current processor (the one that broke in,
 * changed with {@code ~N}, shown in the prompt once it matters), extension commands that only
 * read kernel state, {@code g} that runs simulated time, and the break-in notice kd prints when a
 * bug check stops the machine. Output is built per command and written in one piece; lines that
 * show what WinDbg cannot (exact simulated times, queue rates) start with {@code ntsim:}.
 *
 * <p>Invariants: commands other than {@code g} never change the simulated system; everything
 * printed is a function of the system's state and the commands typed (no host clock, no hash
 * order), so a script gives the same transcript on every run; bad input prints the error WinDbg
 * would and the session goes on. Only a failure of ntsim's own kernel during {@code g}
 * ({@link KernelInternalError}) leaves {@link #execute}.
 *
 * <p>Left out: breakpoints, stepping, register and stack commands ({@code r}, {@code k}): the
 * model keeps no stacks. Each subsystem brings its own extensions.
 */
public final class KdConsole {
  private static final String HELP = """
      ntsim kd commands (output laid out as WinDbg's kdexts prints it on an x86 target):
        g                       run until the lab's programs finish, a bug check, or the time limit
        g <time>                run that much simulated time: 100ms, 2s, 500us, 1000ns
        q                       quit
        ~N                      make processor N the current processor
        .time, !time            simulated time since boot (System Uptime) and the tick count
        vertarget               the target's version line and configuration
        !running [-i] [-t]      CurrentThread and NextThread of each busy (-i: every) processor
        !ready [flags]          ready threads per processor, highest priority first
        !thread [-t] [addr|-1 [flags]]
                                a thread (default: the current processor's); -t: addr is a TID
        !process [0|-1|addr|cid [flags [image]]]
                                processes; 0 = all, flags 1 times, 2 threads and waits, 4 details
        !dpcs [cpu]             DPC queues with queue depth and request rate
        !pcr [cpu]              KPCR/KPRCB: threads, IRQL, DPC queue, interrupt and DPC counts
        !irql [cpu]             the IRQL a processor was stopped at
        !timer                  the timer table: due times and what each timer releases
        !object <addr> [flags]  an object's type, header, handle and pointer counts, name
        !handle [h [flags [process [type]]]]
                                a process's handles (default: current process; process 0: all);
                                flags 1 handle, object and access, 2 the object's header
        !apc [proc|thre <addr>] queued APCs per thread: KAPC address, kind, routine
        !locks [-v] [addr]      held mutants with owner, recursion and waiters (-v: all known)
        !pool <addr> [flags]    the pool page holding addr: each block's header, addr's marked;
                                flags 2 only addr's block
        !poolused [flags [tag]] pool use per tag, non-paged and paged; flags 1 allocations and
                                frees, 2 sort by non-paged, 4 by paged bytes; tag may use * and ?
        .process [addr|cid]     the process whose memory !pte, !vad, dd... read (0: default)
        !pte <va|pte address>   the PDE and PTE of an address through the self-map, decoded
        !pfn <n>                one entry of the PFN database
        !vad                    the current process's VAD tree
        !memusage               the page lists and the frames in use
        !vm                     physical memory, commit, faults, each process's commit
        dd|db|dq <va> [L<n>]    the current process's memory as dwords, bytes or qwords
        !analyze [-v]           the bug check that stopped the machine, with recent trace events
        help, ?                 this list
      Numbers are hexadecimal unless written 0n<decimal>.""";

  private final Ntos os;
  private final PrintStream out;
  private final BooleanSupplier finished;
  private final long timeLimitNs;
  private final KdTarget target;
  private final ThreadExtension threads;
  private final ProcessExtension processes;
  private final SchedulerExtensions scheduler;
  private final ProcessorExtensions processors;
  private final BugCheckAnalysis analysis;
  private final ObjectExtension objects;
  private final DispatcherExtensions dispatcher;
  private final PoolExtensions pools;
  private final MemoryExtensions memory;
  private boolean showProcessor; // the user has chosen a processor with ~N

  /**
   * finished: true when the lab's programs are done; timeLimitNs: how far a bare {@code g} may
   * run (each bare {@code g} may run that long; zero or less means no limit).
   */
  public KdConsole(Ntos os, PrintStream out, BooleanSupplier finished, long timeLimitNs) {
    this.os = os;
    this.out = out;
    this.finished = finished;
    this.timeLimitNs = timeLimitNs > 0 ? timeLimitNs : Long.MAX_VALUE;
    this.target = new KdTarget(os);
    this.threads = new ThreadExtension(target);
    this.processes = new ProcessExtension(target, threads);
    this.scheduler = new SchedulerExtensions(target, threads);
    this.processors = new ProcessorExtensions(target);
    this.analysis = new BugCheckAnalysis(target);
    this.objects = new ObjectExtension(target, processes);
    this.dispatcher = new DispatcherExtensions(target);
    this.pools = new PoolExtensions(target);
    this.memory = new MemoryExtensions(target);
    if (os.kernel.bugCheck() != null) {
      target.setCurrentCpu(os.kernel.bugCheck().cpu());
    }
  }

  /**
   * The prompt: {@code kd> } until a processor is chosen (with {@code ~N}, or by a bug check
   * breaking in on a processor other than 0), then {@code N: kd> }.
   */
  String prompt() {
    return showProcessor || target.currentCpu() != 0 ? target.currentCpu() + ": kd> " : "kd> ";
  }

  /** Executes one command line; returns false when the user quits (q). */
  public boolean execute(String line) {
    String command = line == null ? "" : line.strip();
    if (command.isEmpty()) {
      return true;
    }
    Listing listing = new Listing();
    boolean more = true;
    try {
      more = dispatch(listing, command);
    } catch (KdError e) {
      listing.line(e.getMessage());
    } catch (KernelInternalError e) {
      flush(listing);
      throw e;
    } catch (RuntimeException e) {
      listing.line("ntsim kd: the command failed inside the console: " + e);
    }
    flush(listing);
    return more;
  }

  private void flush(Listing listing) {
    out.print(listing);
    out.flush();
  }

  private boolean dispatch(Listing o, String command) {
    List<String> words = Arrays.asList(command.split("\\s+"));
    String verb = words.get(0).toLowerCase(Locale.ROOT);
    List<String> args = words.subList(1, words.size());
    if (verb.startsWith("~")) {
      switchProcessor(o, command.substring(1).strip());
      return true;
    }
    switch (verb) {
      case "q", "qq", "qd" -> {
        return false;
      }
      case "g" -> go(o, args);
      case ".time", "!time" -> time(o);
      case "vertarget" -> version(o);
      case "!running" -> scheduler.running(o, args);
      case "!ready" -> scheduler.ready(o, args);
      case "!thread" -> threads.run(o, args);
      case "!process" -> processes.run(o, args);
      case "!dpcs" -> processors.dpcs(o, args);
      case "!pcr" -> processors.pcr(o, args);
      case "!irql" -> processors.irql(o, args);
      case "!timer" -> processors.timer(o);
      case "!analyze" -> analysis.analyze(o, args);
      case "!object" -> objects.object(o, args);
      case "!handle" -> objects.handle(o, args);
      case "!apc" -> dispatcher.apc(o, args);
      case "!locks", "!mutant" -> dispatcher.locks(o, args);
      case "!pool" -> pools.pool(o, args);
      case "!poolused" -> pools.poolused(o, args);
      case ".process" -> memory.process(o, args);
      case "!pte" -> memory.pte(o, args);
      case "!pfn" -> memory.pfn(o, args);
      case "!vad" -> memory.vad(o, args);
      case "!memusage" -> memory.memusage(o);
      case "!vm" -> memory.vm(o);
      case "dd", "db", "dq" -> memory.dump(o, verb, args);
      case "help", "?", ".help" -> o.line(HELP);
      default -> unknown(verb);
    }
    return true;
  }

  private static void unknown(String verb) {
    if (verb.startsWith("!") && verb.length() > 1) {
      throw new KdError("No export " + verb.substring(1) + " found");
    }
    throw KdError.unresolved(verb);
  }

  /** {@code ~N} (also {@code ~Ns}): makes processor N current; {@code ~} alone names it. */
  private void switchProcessor(Listing o, String text) {
    String number = text.endsWith("s") || text.endsWith("S")
        ? text.substring(0, text.length() - 1).strip() : text;
    if (number.isEmpty()) {
      o.format("ntsim: processor %d of %d is current", target.currentCpu(), target.cpuCount());
      return;
    }
    long n = KdFormat.number(number);
    if (n < 0 || n >= target.cpuCount()) {
      throw new KdError("Invalid processor number " + number + " (the target has "
          + target.cpuCount() + ")");
    }
    target.setCurrentCpu((int) n);
    showProcessor = true;
  }

  // ------------------------------------------------------------------ g

  /** {@code g [time]}: runs the machine, then says where it stopped and why. */
  private void go(Listing o, List<String> args) {
    Machine m = os.machine;
    if (m.stopped()) {
      BugCheck bc = os.kernel.bugCheck();
      throw new KdError(bc != null
          ? String.format(Locale.ROOT, "The machine has stopped with bug check 0x%x (%s); it "
              + "cannot run on. !analyze -v says why.", bc.code(), bc.name())
          : "The machine has stopped (" + m.stopReason() + "); it cannot run on.");
    }
    if (args.size() > 1) {
      throw KdError.unresolved(args.get(1));
    }
    String why = args.isEmpty() ? runUntilFinished(m) : runFor(m, duration(args.get(0)));
    if (!why.isEmpty()) {
      o.line(why);
    }
    o.format("Simulated time: %s (%d ns)", KdFormat.hmmss(m.nowNs()), m.nowNs());
    BugCheck bc = os.kernel.bugCheck();
    if (bc != null) {
      o.blank();
      BugCheckAnalysis.fatalNotice(o, bc);
      target.setCurrentCpu(bc.cpu());
    }
  }

  private static long duration(String text) {
    long ns;
    try {
      ns = MachineConfig.parseDurationNs(text);
    } catch (IllegalArgumentException e) { // not a duration
      throw KdError.unresolved(text);
    }
    if (ns <= 0) {
      throw new KdError("ntsim: g needs a positive time, like 100ms, 2s, 500us or 1000ns");
    }
    return ns;
  }

  private static long endAfter(long now, long duration) {
    long end = now + duration;
    return end < now ? Long.MAX_VALUE : end;
  }

  private String runFor(Machine m, long durationNs) {
    m.runUntil(endAfter(m.nowNs(), durationNs));
    return stopText(m);
  }

  /** Runs a clock interval at a time until the lab finishes, the machine stops or time runs out. */
  private String runUntilFinished(Machine m) {
    if (finished.getAsBoolean()) {
      return "ntsim: the lab's programs have finished; g <time> runs the machine on.";
    }
    long end = endAfter(m.nowNs(), timeLimitNs);
    long step = m.config.clockIntervalNs;
    while (!finished.getAsBoolean() && !m.stopped() && m.nowNs() < end) {
      m.runUntil(Math.min(end, endAfter(m.nowNs(), step)));
    }
    if (m.stopped()) {
      return stopText(m);
    }
    if (finished.getAsBoolean()) {
      return "ntsim: the lab's programs have finished.";
    }
    return "ntsim: time limit reached (" + KdFormat.hmmss(timeLimitNs) + " of simulated time).";
  }

  private String stopText(Machine m) {
    if (m.stopped() && os.kernel.bugCheck() == null) {
      return "ntsim: the machine stopped: " + m.stopReason();
    }
    return "";
  }

  // ------------------------------------------------------------------ time and version

  private void time(Listing o) {
    long now = os.machine.nowNs();
    o.line("System Uptime: " + KdFormat.uptime(now));
    o.format("ntsim: simulated time %d ns, tick count %d (clock interval %s)", now,
        os.kernel.tickCount(), KdFormat.exactMs(os.machine.config.clockIntervalNs));
  }

  private void version(Listing o) {
    MachineConfig c = os.machine.config;
    o.line(versionLine());
    o.format("ntsim: seed %d, %d MB, clock interval %s, slice %d ns, %s backend", c.seed,
        c.memoryBytes >> 20, KdFormat.exactMs(c.clockIntervalNs), c.sliceNs,
        os.machine.backend.name());
    o.line("System Uptime: " + KdFormat.uptime(os.machine.nowNs()));
  }

  private String versionLine() {
    int n = os.machine.cpuCount();
    return String.format(Locale.ROOT,
        "Windows Vista Kernel Version 6001 (Service Pack 1) %s (%d procs) Free x86 compatible",
        n == 1 ? "UP" : "MP", n);
  }

  // ------------------------------------------------------------------ the session

  /**
   * Reads commands until q or end of input: with JLine (prompt "kd> ", history) when terminal is
   * true, else plain lines from in, echoing each command after the prompt like WinDbg's output log
   * "kd> !ready" so scripts produce readable transcripts. The line editor works on the process's
   * own terminal, so it is used only when {@code in} is {@code System.in}.
   */
  public void run(InputStream in, boolean terminal) {
    Listing banner = new Listing();
    banner.line(versionLine());
    banner.format("ntsim: simulated time %s; type help for the commands",
        KdFormat.hmmss(os.machine.nowNs()));
    if (os.kernel.bugCheck() != null) {
      banner.blank();
      BugCheckAnalysis.fatalNotice(banner, os.kernel.bugCheck());
    }
    flush(banner);
    if (terminal && in == System.in && runWithLineEditor()) {
      return;
    }
    runPlain(in);
  }

  private void runPlain(InputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        out.print(prompt() + line + "\n");
        if (!execute(line)) {
          return;
        }
      }
    } catch (IOException e) {
      out.print("ntsim kd: cannot read commands: " + e.getMessage() + "\n");
    }
  }

  /**
   * The interactive session on the process's own terminal; false if none could be opened (the
   * caller falls back to plain lines).
   */
  private boolean runWithLineEditor() {
    Terminal terminal;
    try {
      terminal = TerminalBuilder.builder().system(true).build();
    } catch (IOException e) {
      return false;
    }
    try {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("ntsim kd")
          .build();
      while (readAndExecute(reader)) {
        // one command per turn
      }
    } finally {
      try {
        terminal.close();
      } catch (IOException e) {
        // the session is over; nothing is left to restore
      }
    }
    return true;
  }

  /** One prompt: Ctrl-C discards the line, end of input or q ends the session. */
  private boolean readAndExecute(LineReader reader) {
    String line;
    try {
      line = reader.readLine(prompt());
    } catch (UserInterruptException e) {
      return true;
    } catch (EndOfFileException e) {
      return false;
    }
    return execute(line);
  }
}
