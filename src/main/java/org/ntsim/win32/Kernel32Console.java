package org.ntsim.win32;

import java.nio.charset.Charset;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;

/**
 * kernel32's console output functions (GetStdHandle, WriteConsoleW/A, and WriteFile on a console
 * handle), built as Vista's kernel32.dll builds them: a standard handle is read from the
 * process's parameters without a system call, and a write to a console handle is a request to
 * the console server (ntdll's CsrClientCallServer, {@link Ntdll#CsrWriteConsole}), not an
 * NtWriteFile. {@link Kernel32} extends it, so that they are Kernel32's public methods.
 *
 * <p>Every process is a console process with the standard handles of {@link ConsoleServer}.
 * Left out: SetStdHandle, console input, the screen-buffer functions, files (WriteFile on any
 * handle that is not a console handle fails with ERROR_INVALID_HANDLE, as ntsim has no file
 * objects).
 */
abstract class Kernel32Console extends Kernel32Memory {
  /** winbase.h's standard device numbers, ((DWORD)-10), -11 and -12. */
  public static final int STD_INPUT_HANDLE = -10;
  public static final int STD_OUTPUT_HANDLE = -11;
  public static final int STD_ERROR_HANDLE = -12;
  /** INVALID_HANDLE_VALUE, ((HANDLE)(LONG_PTR)-1). */
  public static final long INVALID_HANDLE_VALUE = -1;

  /** The console's output code page: the OEM code page of a US-English Vista. */
  private static final Charset OEM_CODE_PAGE = Charset.forName("IBM437");

  private final Ntdll ntdll;

  Kernel32Console(Ntdll ntdll) {
    super(ntdll);
    this.ntdll = ntdll;
  }

  private boolean fail(int win32Error) {
    ntdll.RtlSetLastWin32Error(win32Error);
    return false;
  }

  private static void accessViolation(String what) {
    throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, "access violation " + what);
  }

  /** Writes an optional DWORD out-parameter: nothing for NULL, a fault for an empty array. */
  private static void writeOptional(int[] out, int value, String what) {
    if (out == null) {
      return;
    }
    if (out.length < 1) {
      accessViolation("writing " + what);
    }
    out[0] = value;
  }

  /**
   * GetStdHandle: the process's standard input, output or error handle (the console handles 3,
   * 7 and 0xB); INVALID_HANDLE_VALUE with ERROR_INVALID_HANDLE for another {@code nStdHandle}.
   */
  public long GetStdHandle(int nStdHandle) {
    switch (nStdHandle) {
      case STD_INPUT_HANDLE:
        return ConsoleServer.INPUT_HANDLE;
      case STD_OUTPUT_HANDLE:
        return ConsoleServer.OUTPUT_HANDLE;
      case STD_ERROR_HANDLE:
        return ConsoleServer.ERROR_HANDLE;
      default:
        fail(WinError.ERROR_INVALID_HANDLE);
        return INVALID_HANDLE_VALUE;
    }
  }

  /**
   * WriteConsoleW: writes the first {@code nNumberOfCharsToWrite} characters of {@code lpBuffer}
   * to the console output that {@code hConsoleOutput} names and stores their number in
   * {@code lpNumberOfCharsWritten} (optional). The buffer is captured first, so reading past it
   * raises STATUS_ACCESS_VIOLATION in the guest whatever the handle; then the console server
   * refuses a handle that names no console output (the input handle included): FALSE with
   * ERROR_INVALID_HANDLE. {@code lpReserved} must be NULL and is not checked.
   */
  public boolean WriteConsoleW(long hConsoleOutput, char[] lpBuffer, int nNumberOfCharsToWrite,
      int[] lpNumberOfCharsWritten, Object lpReserved) {
    return writeConsole(hConsoleOutput,
        lpBuffer == null ? null : java.nio.CharBuffer.wrap(lpBuffer), nNumberOfCharsToWrite,
        lpNumberOfCharsWritten);
  }

  /** WriteConsoleW with the buffer as a String (an LPCWSTR the guest already holds). */
  public boolean WriteConsoleW(long hConsoleOutput, String lpBuffer, int nNumberOfCharsToWrite,
      int[] lpNumberOfCharsWritten, Object lpReserved) {
    return writeConsole(hConsoleOutput, lpBuffer, nNumberOfCharsToWrite, lpNumberOfCharsWritten);
  }

  /**
   * WriteConsoleA: WriteConsoleW of {@code lpBuffer}'s first {@code nNumberOfCharsToWrite} bytes
   * read in the console's output code page (437); the count written is in bytes.
   */
  public boolean WriteConsoleA(long hConsoleOutput, byte[] lpBuffer, int nNumberOfCharsToWrite,
      int[] lpNumberOfCharsWritten, Object lpReserved) {
    CharSequence text = null;
    if (lpBuffer != null && Integer.compareUnsigned(nNumberOfCharsToWrite, lpBuffer.length) <= 0) {
      text = new String(lpBuffer, 0, nNumberOfCharsToWrite, OEM_CODE_PAGE);
    }
    if (text == null && nNumberOfCharsToWrite != 0) {
      accessViolation("reading the buffer");
    }
    return writeConsole(hConsoleOutput, text == null ? "" : text, nNumberOfCharsToWrite,
        lpNumberOfCharsWritten);
  }

  private boolean writeConsole(long handle, CharSequence buffer, int count, int[] written) {
    if (Integer.compareUnsigned(count, buffer == null ? 0 : buffer.length()) > 0) {
      accessViolation("reading the buffer");
    }
    CharSequence text = count == 0 ? "" : buffer.subSequence(0, count);
    int status = ntdll.CsrWriteConsole(handle, text);
    if (status != NtStatus.STATUS_SUCCESS) {
      return fail(WinError.fromNtStatus(status));
    }
    writeOptional(written, count, "the number of characters written");
    return true;
  }

  /**
   * WriteFile, for the console: sets {@code lpNumberOfBytesWritten} to zero first, then writes a
   * console handle's bytes as WriteConsoleA does. Another handle fails with
   * ERROR_INVALID_HANDLE (ntsim has no files, pipes or devices to write to). As in Vista's
   * kernel32, a console write is synchronous: {@code lpOverlapped} is passed on to WriteConsoleA,
   * which ignores it, and a NULL {@code lpNumberOfBytesWritten} is accepted.
   */
  public boolean WriteFile(long hFile, byte[] lpBuffer, int nNumberOfBytesToWrite,
      int[] lpNumberOfBytesWritten, Object lpOverlapped) {
    writeOptional(lpNumberOfBytesWritten, 0, "the number of bytes written");
    if (!ConsoleServer.isConsoleHandle(hFile)) {
      return fail(WinError.ERROR_INVALID_HANDLE);
    }
    return WriteConsoleA(hFile, lpBuffer, nNumberOfBytesToWrite, lpNumberOfBytesWritten, null);
  }
}
