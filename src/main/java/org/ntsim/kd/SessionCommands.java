package org.ntsim.kd;

import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.SystemTime;
import org.ntsim.win32.Ntos;

/**
 * The debugger's own commands that steer the session rather than read kernel structures:
 * {@code g} (run simulated time, then say where the machine stopped and why), {@code q},
 * {@code ~N} (the current processor), {@code vertarget}, and {@code .time} / {@code !time}.
 *
 * <p>Invariants: only {@code g} changes the simulated system; a {@code g} runs at most the
 * session's time limit (a longer {@code g <time>} is cut to it, with a line that says so), one
 * clock interval at a time so that it stops soon after the lab's programs finish or the user
 * breaks in with Ctrl-C; it always stops between two slices, never inside one.
 *
 * <p>Left out: {@code g} to an address, {@code gh}/{@code gn}, stepping.
 */
final class SessionCommands {
  /** What kd prints when Ctrl-C breaks in, then where the machine was stopped. */
  private static final String BREAK_IN = "Break instruction exception - code 80000003 (first "
      + "chance)\nntsim: break-in (Ctrl-C): the machine stopped between two slices";
  private final KdTarget target;
  private final Ntos os;
  private final BooleanSupplier finished;
  private final long timeLimitNs; // how far a g may run; Long.MAX_VALUE: no limit
  private final BooleanSupplier breakIn; // true once per Ctrl-C typed during g

  private SessionCommands(KdTarget target, BooleanSupplier finished, long timeLimitNs,
      BooleanSupplier breakIn) {
    this.target = target;
    this.os = target.os;
    this.finished = finished;
    this.timeLimitNs = timeLimitNs;
    this.breakIn = breakIn;
  }

  /**
   * Registers g, q, ~, vertarget, .time and !time. finished: true when the lab's programs are
   * done; timeLimitNs: how far each {@code g} may run (Long.MAX_VALUE: no limit); breakIn: true
   * when the user has asked to break in since it was last asked (Ctrl-C); quit: what {@code q}
   * does.
   */
  static void register(KdCommands table, BooleanSupplier finished, long timeLimitNs,
      BooleanSupplier breakIn, Runnable quit) {
    SessionCommands s = new SessionCommands(table.target(), finished, timeLimitNs, breakIn);
    table.register("g", "g [<time>]", "run until the lab's programs finish, a bug check or the "
        + "time limit; with <time>, that much simulated time", s::go);
    table.register("q", "q", "quit", (o, a) -> quit.run());
    table.alias("qq", "q");
    table.alias("qd", "q");
    table.register("~", "~<n>", "make processor <n> the current processor (~ alone: which is)",
        (o, a) -> s.switchProcessor(o, String.join(" ", a)));
    table.register("vertarget", "vertarget", "the target's version line and configuration",
        (o, a) -> s.version(o));
    table.register(".time", ".time", "simulated time since boot (System Uptime) and the tick "
        + "count", (o, a) -> s.time(o));
    table.register("!time", "!time", "as .time: System Uptime and the tick count",
        (o, a) -> s.time(o));
    table.example("g", "g 100ms");
    table.example("q", "q");
    table.example("~", "~1");
    table.example("vertarget", "vertarget");
    table.example(".time", ".time");
    table.example("!time", "!time");
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
    target.selectProcessor((int) n);
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
    breakIn.getAsBoolean(); // a Ctrl-C typed before this g is not for it
    long duration = args.isEmpty() ? 0 : duration(args.get(0));
    if (duration > timeLimitNs) {
      o.format("ntsim: g runs at most the time limit, %s of simulated time, at a time.",
          KdFormat.hmmss(timeLimitNs));
      duration = timeLimitNs;
    }
    String why = args.isEmpty() ? runUntilFinished(m) : runFor(m, duration);
    if (!why.isEmpty()) {
      o.line(why);
    }
    o.format("ntsim: simulated time %s (%d ns)", KdFormat.hmmss(m.nowNs()), m.nowNs());
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

  /** Runs {@code durationNs}, a clock interval at a time, unless the user breaks in. */
  private String runFor(Machine m, long durationNs) {
    long end = endAfter(m.nowNs(), durationNs);
    long step = m.config.clockIntervalNs;
    while (!m.stopped() && m.nowNs() < end) {
      m.runUntil(Math.min(end, endAfter(m.nowNs(), step)));
      if (m.nowNs() < end && breakIn.getAsBoolean()) {
        return BREAK_IN;
      }
    }
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
      if (m.nowNs() < end && breakIn.getAsBoolean()) {
        return BREAK_IN;
      }
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
    o.line("Debug session time: " + KdFormat.sessionTime(SystemTime.of(os.kernel).bootTime(), now));
    o.line("System Uptime: " + KdFormat.uptime(now));
    o.format("ntsim: simulated time %d ns, tick count %d (clock interval %s)", now,
        os.kernel.tickCount(), KdFormat.exactMs(os.machine.config.clockIntervalNs));
  }

  private void version(Listing o) {
    MachineConfig c = os.machine.config;
    o.line(versionLine(os));
    o.format("ntsim: seed %d, %d MB, clock interval %s, slice %d ns, %s backend", c.seed,
        c.memoryBytes >> 20, KdFormat.exactMs(c.clockIntervalNs), c.sliceNs,
        os.machine.backend.name());
    o.line("Debug session time: " + KdFormat.sessionTime(SystemTime.of(os.kernel).bootTime(),
        os.machine.nowNs()));
    o.line("System Uptime: " + KdFormat.uptime(os.machine.nowNs()));
  }

  /**
   * The version line kd prints on connecting and for {@code vertarget}: {@code MP (2 procs)} on
   * a multiprocessor target, {@code UP} alone on a uniprocessor one.
   */
  static String versionLine(Ntos os) {
    int n = os.machine.cpuCount();
    return "Windows Vista Kernel Version 6001 (Service Pack 1) "
        + (n == 1 ? "UP" : String.format(Locale.ROOT, "MP (%d procs)", n))
        + " Free x86 compatible";
  }
}
