package org.ntsim.cli;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.ntsim.ke.NtStatus;
import org.ntsim.labs.Lab;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestProgram;
import org.ntsim.win32.Ntos;

/**
 * A user's guest program run from the command line: launched in one process with its arguments,
 * finished when that process exits. Its outcome is one line on standard error (exit code,
 * unhandled exception with its NTSTATUS and the guest frame that raised it, or still running at
 * the time limit) and the command's exit status; the program's own output is its report.
 */
final class GuestLab implements Lab {
  /** Exit status of {@code ntsim run} when the guest is still running at the time limit. */
  static final int STILL_RUNNING = 124;
  /** Exit status when the machine stopped (a bug check) before the guest ended. */
  static final int SYSTEM_STOPPED = 3;

  private final String name;
  private final GuestProgram program;
  private final String[] args;
  private EProcess process;

  GuestLab(String name, GuestProgram program, String[] args) {
    this.name = name;
    this.program = program;
    this.args = args.clone();
  }

  /** The image name the guest's process gets: its class's simple name with .exe. */
  String imageName() {
    return name.substring(name.lastIndexOf('.') + 1) + ".exe";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "guest program " + name;
  }

  /** The guest's process, once started. */
  EProcess process() {
    return process;
  }

  @Override
  public void start(Ntos os) {
    org.ntsim.win32.GuestCpu.bind(os.kernel); // the guest's instrumented code charges this kernel
    process = os.launch(imageName(), program, args);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    // the guest's own output is its report; its outcome goes to standard error (outcome)
  }

  /**
   * Prints how the guest ended as one line on standard error and returns the exit status for
   * {@code ntsim run}: the guest's exit code when it fits in 0..255, else 1.
   */
  int outcome(Ntos os, String limitName) {
    String image = process.imageName();
    if (!finished(os)) {
      if (os.kernel.bugCheck() != null) {
        System.err.println("ntsim: " + image + " did not end: the system stopped with a bug"
            + " check (see above)");
        return SYSTEM_STOPPED;
      }
      System.err.println("ntsim: " + image + " still running at " + limitName + " ("
          + Main.seconds(os.machine.nowNs()) + " simulated); use --time to give it longer");
      return STILL_RUNNING;
    }
    int code = process.exitStatus();
    String trace = process.unhandledException();
    if (trace != null) {
      System.err.println("ntsim: " + image + " ended by an unhandled exception "
          + NtStatus.hex(code) + statusName(code) + describe(trace));
    } else {
      System.err.println("ntsim: " + image + " exited with code " + code
          + (code < 0 || code > 255 ? " (" + NtStatus.hex(code) + statusName(code) + ")" : ""));
    }
    return code >= 0 && code <= 255 ? code : 1;
  }

  /** " (STATUS_X)" for a status NtStatus names, else "". */
  static String statusName(int status) {
    for (Field f : NtStatus.class.getDeclaredFields()) {
      try {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class
            && f.getInt(null) == status && f.getName().startsWith("STATUS_")) {
          return " (" + f.getName() + ")";
        }
      } catch (IllegalAccessException e) {
        // not a public constant
      }
    }
    return "";
  }

  /**
   * From a Java stack trace: " in FRAME: EXCEPTION", the first frame of guest code (not the
   * JDK's, ntsim's or picocli's; none for a fault ntsim raised, which has no stack trace) and the
   * exception's own line.
   */
  static String describe(String trace) {
    String[] lines = trace.split("\\R");
    String frame = null;
    for (String line : lines) {
      String l = line.strip();
      if (!l.startsWith("at ")) {
        continue;
      }
      String f = l.substring(3);
      int paren = f.indexOf('(');
      int slash = f.lastIndexOf('/', paren < 0 ? f.length() : paren);
      if (slash >= 0) {
        f = f.substring(slash + 1);
      }
      if (!f.startsWith("java.") && !f.startsWith("jdk.") && !f.startsWith("sun.")
          && !f.startsWith("picocli.") && !(f.startsWith("org.ntsim.")
          && !f.startsWith("org.ntsim.labs."))) {
        frame = f;
        break;
      }
    }
    // A fault ntsim's API raises for the guest (GuestException) is named by its status alone.
    String what = lines[0].strip().replaceFirst("^org\\.ntsim\\.ke\\.GuestException: ", "");
    return (frame == null ? "" : " in " + frame) + ": " + what;
  }
}
