package org.ntsim.win32;

/**
 * A user-mode program: its {@code main} runs on the first thread of a new process. As with the C
 * runtime on Windows, returning from main ends the whole process (ExitProcess) with the returned
 * value as exit code.
 */
@FunctionalInterface
public interface GuestProgram {
  int main(GuestContext ctx);
}
