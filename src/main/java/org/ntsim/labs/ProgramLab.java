package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.GuestProgram;
import org.ntsim.win32.Ntos;

/** A user's own guest program run as a lab: launched in one process, reported by exit code. */
final class ProgramLab implements Lab {
  private final String name;
  private final GuestProgram program;
  private EProcess process;

  ProgramLab(String name, GuestProgram program) {
    this.name = name;
    this.program = program;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "guest program " + name;
  }

  @Override
  public void start(Ntos os) {
    String image = name.substring(name.lastIndexOf('.') + 1) + ".exe";
    process = os.launch(image, program);
  }

  @Override
  public boolean finished(Ntos os) {
    return process.exitTimeNs() >= 0;
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.printf("%s: %s%n", process.imageName(), finished(os)
        ? String.format("exited with 0x%08X", process.exitStatus()) : "still running");
    if (process.unhandledException() != null) {
      out.println(process.unhandledException());
    }
  }
}
