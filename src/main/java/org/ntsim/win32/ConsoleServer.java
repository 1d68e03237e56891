package org.ntsim.win32;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.ntsim.ke.NtStatus;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;

/**
 * The console that guests write to: on Vista, csrss's console server (winsrv), which kernel32
 * reaches through an LPC call (CsrClientCallServer); here a small host-side device whose screen
 * is the host's standard output (the screen buffer) and standard error (what a guest writes to
 * its STD_ERROR_HANDLE).
 *
 * <p>Every process shares the one console and holds its three console handles (the pseudo
 * handles 3, 7 and 0xB, which name console objects in csrss, not objects in the process's handle
 * table). Each line reaches the host marked with the process that wrote it, {@code
 * [image.exe 1c] text} with the PID in hex. Text is held per thread until its newline, so that
 * two threads' lines never mix mid-line; what is left without a newline is written at
 * {@link #flush}.
 *
 * <p>Invariants: nothing here is simulated state: writing costs no simulated time and leaves no
 * trace event, so a guest's output never changes a run's digest. Left out: the LPC round trip and
 * its cost, console input, screen-buffer geometry, modes, attributes and code pages other than
 * the OEM one.
 */
public final class ConsoleServer {
  /** The console handles every process starts with, as Vista's kernel32 hands them out. */
  public static final long INPUT_HANDLE = 0x3;
  public static final long OUTPUT_HANDLE = 0x7;
  public static final long ERROR_HANDLE = 0xB;

  /** A thread's unfinished line on one of the two output streams. */
  private static final class Pending {
    final EThread thread;
    final EProcess process;
    final StringBuilder text = new StringBuilder();

    Pending(EThread thread, EProcess process) {
      this.thread = thread;
      this.process = process;
    }
  }

  private final Map<Long, Pending> pendingOut = new TreeMap<>();
  private final Map<Long, Pending> pendingErr = new TreeMap<>();
  private PrintStream out;
  private PrintStream err;

  /** Where the console's two streams go; {@code null} for the host's current System.out/err. */
  public void redirect(PrintStream stdout, PrintStream stderr) {
    this.out = stdout;
    this.err = stderr;
  }

  /** IsConsoleHandle: kernel32's test that a handle names a console object, not a kernel one. */
  public static boolean isConsoleHandle(long handle) {
    return (handle & 0x10000003L) == 3;
  }

  /**
   * SrvWriteConsole: writes {@code text} on behalf of {@code thread} of {@code process} to the
   * screen buffer or error stream that {@code handle} names. STATUS_INVALID_HANDLE for a handle
   * that names no console output object (the input handle included).
   */
  int writeConsole(EProcess process, EThread thread, long handle, CharSequence text) {
    Map<Long, Pending> pending;
    if (handle == OUTPUT_HANDLE) {
      pending = pendingOut;
    } else if (handle == ERROR_HANDLE) {
      pending = pendingErr;
    } else {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    Pending p = pending.get(thread.tid());
    if (p != null && p.thread != thread) {
      emit(p, pending == pendingErr); // the thread ID was reused: the old line ends here
      p = null;
    }
    if (p == null) {
      p = new Pending(thread, process);
      pending.put(thread.tid(), p);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        emit(p, pending == pendingErr);
      } else {
        p.text.append(c);
      }
    }
    if (p.text.isEmpty()) {
      pending.remove(thread.tid());
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** Writes every unfinished line, in thread-ID order, as if each ended there. */
  public void flush() {
    for (Pending p : pendingOut.values()) {
      emit(p, false);
    }
    pendingOut.clear();
    for (Pending p : pendingErr.values()) {
      emit(p, true);
    }
    pendingErr.clear();
  }

  private void emit(Pending p, boolean toErr) {
    int end = p.text.length();
    if (end > 0 && p.text.charAt(end - 1) == '\r') {
      end--;
    }
    PrintStream s = toErr ? (err != null ? err : System.err) : (out != null ? out : System.out);
    s.println("[" + p.process.imageName() + " " + Long.toHexString(p.process.pid()) + "] "
        + p.text.substring(0, end));
    s.flush();
    p.text.setLength(0);
  }
}
