package org.ntsim.kd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.ntsim.ke.KernelInternalError;
import org.ntsim.win32.Ntos;

/**
 * The kernel debugger console (DESIGN.md section 7): it holds a booted system stopped between
 * machine slices, runs WinDbg-style commands against it whose output follows kdexts' layout, and
 * resumes the machine with {@code g}.
 *
 * <p>Models a kd session on an x86 Vista SP1 target: a current processor (the one that broke in,
 * changed with {@code ~N}, shown in the prompt on a multiprocessor target), extension commands
 * that only read kernel state, {@code g} that runs simulated time, and the break-in notice kd
 * prints when a bug check stops the machine. Output is built per command and written in one
 * piece; lines that show what WinDbg cannot (exact simulated times, queue rates) start with
 * {@code ntsim:}.
 *
 * <p>Invariants: commands other than {@code g} never change the simulated system; everything
 * printed is a function of the system's state and the commands typed (no host clock, no hash
 * order), so a script gives the same transcript on every run; bad input prints the error WinDbg
 * would and the session goes on. Only a failure of ntsim's own kernel during {@code g}
 * ({@link KernelInternalError}) leaves {@link #execute}.
 *
 * <p>The commands are a table ({@link KdCommands}): the session's own ({@link SessionCommands}),
 * each component's extension class ({@link KdExtensions}), and the three lists {@code ?},
 * {@code .help} and {@code !help}; the console only reads lines, runs them through the table and
 * prints what they produced.
 *
 * <p>Left out: breakpoints, stepping, register and stack commands ({@code r}, {@code k}): the
 * model keeps no stacks.
 */
public final class KdConsole {
  private final Ntos os;
  private final PrintStream out;
  private final KdTarget target;
  private final KdCommands commands;
  private boolean quitting; // the command being executed is q
  private volatile boolean breakInRequested; // set by Ctrl-C's handler, read between slices

  /**
   * finished: true when the lab's programs are done; timeLimitNs: how far a bare {@code g} may
   * run (each bare {@code g} may run that long; zero or less means no limit).
   */
  public KdConsole(Ntos os, PrintStream out, BooleanSupplier finished, long timeLimitNs) {
    this.os = os;
    this.out = out;
    this.target = new KdTarget(os);
    this.commands = new KdCommands(target);
    SessionCommands.register(commands, finished,
        timeLimitNs > 0 ? timeLimitNs : Long.MAX_VALUE, this::takeBreakIn, () -> quitting = true);
    KdExtensions.registerAll(commands);
    commands.registerLists();
    if (os.kernel.bugCheck() != null) {
      target.setCurrentCpu(os.kernel.bugCheck().cpu());
    }
  }

  /**
   * The KD break-in key (Ctrl-C typed during {@code g}): the running {@code g} stops at the end
   * of the clock interval it is in and the prompt comes back. Safe to call from a signal handler.
   */
  public void breakIn() {
    breakInRequested = true;
  }

  private boolean takeBreakIn() {
    boolean requested = breakInRequested;
    breakInRequested = false;
    return requested;
  }

  /** The console's commands: a component's kd extension registers its own here. */
  public KdCommands commands() {
    return commands;
  }

  /**
   * The prompt, as kd shows it: {@code N: kd> } on a multiprocessor target, N the current
   * processor, and {@code kd> } on a uniprocessor one.
   */
  String prompt() {
    return target.cpuCount() > 1 ? target.currentCpu() + ": kd> " : "kd> ";
  }

  /** Executes one command line; returns false when the user quits (q). */
  public boolean execute(String line) {
    String command = line == null ? "" : line.strip();
    if (command.isEmpty()) {
      return true;
    }
    Listing listing = new Listing();
    int column = prompt().length() + line.indexOf(command.charAt(0));
    quitting = false;
    try {
      commands.execute(listing, command, column);
    } catch (KdError e) {
      listing.line(e.getMessage());
    } catch (KernelInternalError e) {
      flush(listing);
      throw e;
    } catch (RuntimeException e) {
      listing.line("ntsim kd: the command failed inside the console: " + e);
    }
    flush(listing);
    return !quitting;
  }

  private void flush(Listing listing) {
    out.print(listing);
    out.flush();
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
    banner.line(SessionCommands.versionLine(os));
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

  /**
   * One prompt: Ctrl-C discards the line, end of input or q ends the session. While the command
   * runs, Ctrl-C breaks in (stops a {@code g}) instead of ending the program.
   */
  private boolean readAndExecute(LineReader reader) {
    String line;
    try {
      line = reader.readLine(prompt());
    } catch (UserInterruptException e) {
      return true;
    } catch (EndOfFileException e) {
      return false;
    }
    Terminal terminal = reader.getTerminal();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> breakIn());
    try {
      return execute(line);
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
    }
  }
}
