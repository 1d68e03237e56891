package org.ntsim.kd;

import java.util.List;
import java.util.Locale;
import org.ntsim.hal.Irql;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KThread;

/**
 * What the debugger says about a stop error: the notice kd prints when a bug check breaks in, and
 * {@code !analyze [-v]}: the bug check's name and code, what it means, what its four parameters
 * are, and the context (process, IRQL, time), followed by the last trace events, which stand in
 * for the stack that WinDbg would print.
 *
 * <p>Models the explanations and parameter meanings of the stop codes ntsim raises, as the bug
 * check reference documents them; other codes print as unknown, as WinDbg does without symbols.
 *
 * <p>Left out: stacks, symbols, bucket IDs, and the heuristics that name a faulting driver.
 */
final class BugCheckAnalysis {
  private static final int RECENT_EVENTS = 20;
  private static final String STARS = "*".repeat(79);

  /** What one stop code means and what each of its parameters holds. */
  private record Description(String explanation, String... arguments) {}

  private final KdTarget target;

  BugCheckAnalysis(KdTarget target) {
    this.target = target;
  }

  /** Registers {@code !analyze}. */
  static void register(KdCommands table) {
    BugCheckAnalysis e = new BugCheckAnalysis(table.target());
    table.register("!analyze", "!analyze [-v]",
        "the bug check that stopped the machine, with recent trace events", e::analyze);
    table.example("!analyze", "!analyze -v");
  }

  /** What kd prints when a bug check stops the machine and the debugger breaks in. */
  static void fatalNotice(Listing out, BugCheck bc) {
    out.block("", bc.stopLine());
    out.blank();
    out.format("*** Fatal System Error: 0x%08x", bc.code());
    out.format("                       (0x%08X,0x%08X,0x%08X,0x%08X)", bc.p1() & 0xFFFFFFFFL,
        bc.p2() & 0xFFFFFFFFL, bc.p3() & 0xFFFFFFFFL, bc.p4() & 0xFFFFFFFFL);
    out.blank();
    out.line("Break instruction exception - code 80000003 (first chance)");
    out.blank();
    out.line("A fatal system error has occurred.");
    out.line("Debugger entered on first try; Bugcheck callbacks have not been invoked.");
    out.blank();
    out.line("Use !analyze -v to get detailed debugging information.");
  }

  /** {@code !analyze [-v]}. */
  void analyze(Listing out, List<String> args) {
    boolean verbose = false;
    for (String a : args) {
      if (!a.equalsIgnoreCase("-v")) {
        throw new KdError("Unknown option '" + a + "'");
      }
      verbose = true;
    }
    BugCheck bc = target.kernel().bugCheck();
    if (bc == null) {
      banner(out, "Exception Analysis");
      out.format("ntsim: no bug check has occurred; the machine is stopped in the debugger at %s.",
          KdFormat.hmmss(target.machine().nowNs()));
      recentEvents(out);
      return;
    }
    banner(out, "Bugcheck Analysis");
    if (verbose) {
      verbose(out, bc);
      recentEvents(out);
      return;
    }
    out.line("Use !analyze -v to get detailed debugging information.");
    out.blank();
    out.format("BugCheck %X, {%x, %x, %x, %x}", bc.code(), bc.p1() & 0xFFFFFFFFL,
        bc.p2() & 0xFFFFFFFFL, bc.p3() & 0xFFFFFFFFL, bc.p4() & 0xFFFFFFFFL);
    out.blank();
    out.line("ntsim: " + bc.detail());
  }

  private void recentEvents(Listing out) {
    out.blank();
    out.line("NTSIM_RECENT_EVENTS:  (the last trace events, oldest first, in place of a stack)");
    out.block("", target.machine().tracer.describeRecent(RECENT_EVENTS));
  }

  private static void banner(Listing out, String title) {
    out.line(STARS);
    out.line("*" + " ".repeat(77) + "*");
    out.format("*%-77s*", " ".repeat(24) + title);
    out.line("*" + " ".repeat(77) + "*");
    out.line(STARS);
    out.blank();
  }

  private void verbose(Listing out, BugCheck bc) {
    Description d = describe(bc.code());
    out.format("%s (%x)", bc.name(), bc.code());
    out.block("", d.explanation());
    out.line("Arguments:");
    long[] params = {bc.p1(), bc.p2(), bc.p3(), bc.p4()};
    for (int i = 0; i < 4; i++) {
      String meaning = i < d.arguments().length ? d.arguments()[i] : "";
      out.format("Arg%d: %s%s", i + 1, KdFormat.hex8(params[i]),
          meaning.isEmpty() ? "" : ", " + meaning);
    }
    out.blank();
    out.line("Debugging Details:");
    out.line("------------------");
    out.blank();
    out.format("BUGCHECK_STR:  0x%X", bc.code());
    out.blank();
    KThread t = target.prcb(bc.cpu()).currentThread();
    out.line("PROCESS_NAME:  " + KdTarget.imageOf(t.kprocess()));
    out.blank();
    int irql = target.prcb(bc.cpu()).cpu.irql();
    out.format("CURRENT_IRQL:  %x (%s)", irql, Irql.name(irql));
    out.blank();
    out.format("NTSIM_STOP:  processor %d, thread %s, at %s (%d ns)", bc.cpu(),
        KdFormat.hex8(t.address), KdFormat.hmmss(bc.timeNs()), bc.timeNs());
    out.blank();
    out.line("NTSIM_DETAIL:  " + bc.detail());
  }

  private static Description describe(int code) {
    return switch (code) {
      case BugCheck.IRQL_NOT_LESS_OR_EQUAL -> new Description("""
          An attempt was made to access a pageable (or completely invalid) address at an
          interrupt request level (IRQL) that is too high.  This is usually
          caused by drivers using improper addresses.
          If a kernel debugger is available get the stack backtrace.""",
          "memory referenced", "IRQL", "bitfield :\n\tbit 0 : value 0 = read operation, "
              + "1 = write operation\n\tbit 3 : value 0 = not an execute operation, "
              + "1 = execute operation", "address which referenced memory");
      case BugCheck.KMODE_EXCEPTION_NOT_HANDLED -> new Description("""
          This is a very common bugcheck.  Usually the exception address pinpoints
          the driver/function that caused the problem.  Always note this address
          as well as the link date of the driver/image that contains this address.""",
          "The exception code that was not handled", "The address that the exception occurred at",
          "Parameter 0 of the exception", "Parameter 1 of the exception");
      case BugCheck.PAGE_FAULT_IN_NONPAGED_AREA -> new Description("""
          Invalid system memory was referenced.  This cannot be protected by try-except,
          it must be protected by a Probe.  Typically the address is just plain bad or it
          is pointing at freed memory.""",
          "memory referenced.", "value 0 = read operation, 1 = write operation.",
          "If non-zero, the instruction address which referenced the bad memory address.",
          "(reserved)");
      case BugCheck.ATTEMPTED_SWITCH_FROM_DPC -> new Description("""
          A wait operation, attach process, or yield was attempted from a DPC routine.
          This is an illegal operation and the stack track will lead to the offending
          code and original DPC routine.""",
          "Original thread which is the cause of the failure", "New thread",
          "Stack address of the original thread", "");
      case BugCheck.BAD_POOL_CALLER -> new Description("""
          The current thread is making a bad pool request.  Typically this is at a bad IRQL level
          or double freeing the same allocation, etc.""",
          "type of pool violation the caller is guilty of.", "", "", "");
      case BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION -> new Description("""
          A device driver attempting to corrupt the system has been caught.  This is
          because the driver was specified in the registry as being suspect (by the
          administrator) and the kernel has enabled substantial checking of this driver.""",
          "the violation code", "", "", "");
      case BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL -> new Description("""
          An attempt was made to access a pageable (or completely invalid) address at an
          interrupt request level (IRQL) that is too high.  This is usually
          caused by drivers using improper addresses.
          If kernel debugger is available get stack backtrace.""",
          "memory referenced", "IRQL", "value 0 = read operation, 1 = write operation",
          "address which referenced memory");
      default -> new Description(String.format(Locale.ROOT,
          "Unknown bugcheck code (%x)\nUnknown bugcheck description", code));
    };
  }
}
