package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.INFINITE;
import static org.ntsim.win32.TestOs.MS;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.ps.EProcess;

/**
 * GetStdHandle, WriteConsoleW/A and WriteFile on the console, checked against Microsoft's
 * documentation of each function (GetStdHandle: INVALID_HANDLE_VALUE on failure; WriteConsole:
 * fails on a handle that is not a console output handle; WriteFile: the count written is set to
 * zero before any work) and Wine's console tests (dlls/kernel32/tests/console.c); and the
 * console's own rules: each line marked with its process, lines of two threads never mixed.
 */
class Kernel32ConsoleTest {
  private TestOs sys;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private EProcess run(String image, GuestProgram program) {
    sys = TestOs.boot(2);
    sys.os.console.redirect(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    EProcess p = sys.runProgram(image, program, 2000 * MS);
    assertThat(p.exitTimeNs()).as("the program ended").isNotNegative();
    return p;
  }

  private EProcess run(GuestProgram program) {
    EProcess p = run("t.exe", program);
    assertThat(p.unhandledException()).isNull();
    return p;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String mark(EProcess p) {
    return "[" + p.imageName() + " " + Long.toHexString(p.pid()) + "] ";
  }

  @Test
  void getStdHandleGivesTheThreeConsoleHandles() {
    long[] h = new long[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      h[0] = k.GetStdHandle(Kernel32.STD_INPUT_HANDLE);
      h[1] = k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE);
      h[2] = k.GetStdHandle(Kernel32.STD_ERROR_HANDLE);
      return 0;
    });
    assertThat(h).containsExactly(3, 7, 0xB);
  }

  @Test
  void getStdHandleRefusesAnotherNumberWithInvalidHandleValue() {
    long[] h = new long[1];
    int[] e = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      h[0] = k.GetStdHandle(-13);
      e[0] = k.GetLastError();
      return 0;
    });
    assertThat(h[0]).isEqualTo(Kernel32.INVALID_HANDLE_VALUE);
    assertThat(e[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
  }

  @Test
  void writeConsoleWWritesALineMarkedWithTheProcess() {
    int[] written = new int[1];
    boolean[] ok = new boolean[1];
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      ok[0] = k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), "hello\n", 6, written,
          null);
      return 0;
    });
    assertThat(ok[0]).isTrue();
    assertThat(written[0]).isEqualTo(6);
    assertThat(stdout()).isEqualTo(mark(p) + "hello" + System.lineSeparator());
    assertThat(stderr()).isEmpty();
  }

  @Test
  void theMarkNamesTheImageAndThePidInHex() {
    EProcess p = run("hello.exe", ctx -> {
      ctx.printf("x%n");
      return 0;
    });
    assertThat(p.pid()).isGreaterThan(9);
    assertThat(stdout()).startsWith("[hello.exe " + Long.toHexString(p.pid()) + "] x");
  }

  @Test
  void writeConsoleWWritesOnlyTheCharactersAsked() {
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), "abc\nxyz".toCharArray(), 4,
          null, null);
      return 0;
    });
    assertThat(stdout()).isEqualTo(mark(p) + "abc" + System.lineSeparator());
  }

  @Test
  void theErrorHandleWritesToTheHostsStandardError() {
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_ERROR_HANDLE), "oops\r\n", 6, null, null);
      return 0;
    });
    assertThat(stderr()).isEqualTo(mark(p) + "oops" + System.lineSeparator());
    assertThat(stdout()).isEmpty();
  }

  @Test
  void writeConsoleWOnTheInputHandleFailsWithInvalidHandle() {
    boolean[] ok = {true};
    int[] e = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      ok[0] = k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_INPUT_HANDLE), "a\n", 2, null, null);
      e[0] = k.GetLastError();
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(e[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void writeConsoleWOnAKernelHandleFailsWithInvalidHandle() {
    boolean[] ok = {true};
    int[] e = new int[1];
    int[] written = {-1};
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long ev = k.CreateEventW(null, false, false, null);
      ok[0] = k.WriteConsoleW(ev, "a\n", 2, written, null);
      e[0] = k.GetLastError();
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(e[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
    assertThat(written[0]).as("left alone on failure").isEqualTo(-1);
  }

  @Test
  void writeConsoleWOfZeroCharactersSucceedsWithNothingWritten() {
    int[] written = {-1};
    boolean[] ok = new boolean[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      ok[0] = k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), (char[]) null, 0,
          written, null);
      return 0;
    });
    assertThat(ok[0]).isTrue();
    assertThat(written[0]).isZero();
    assertThat(stdout()).isEmpty();
  }

  @Test
  void readingPastTheBufferIsAnAccessViolationInTheGuest() {
    EProcess p = run("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), "ab", 3, null, null);
      return 0;
    });
    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anEmptyCountArrayIsAnAccessViolationInTheGuest() {
    EProcess p = run("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      k.WriteConsoleW(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), "ab", 2, new int[0], null);
      return 0;
    });
    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
  }

  @Test
  void writeFileOnTheOutputHandleWritesBytesInTheOemCodePage() {
    int[] written = {-1};
    boolean[] ok = new boolean[1];
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      byte[] bytes = {'c', (byte) 0x82, 'l', 'a', '\n'}; // 0x82 is e-acute in code page 437
      ok[0] = k.WriteFile(k.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), bytes, bytes.length,
          written, null);
      return 0;
    });
    assertThat(ok[0]).isTrue();
    assertThat(written[0]).isEqualTo(5);
    assertThat(stdout()).isEqualTo(mark(p) + "c\u00e9la" + System.lineSeparator());
  }

  @Test
  void writeFileOnAnotherHandleFailsWithInvalidHandleAndZeroWritten() {
    int[] written = {-1};
    boolean[] ok = {true};
    int[] e = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long ev = k.CreateEventW(null, false, false, null);
      ok[0] = k.WriteFile(ev, new byte[] {'a'}, 1, written, null);
      e[0] = k.GetLastError();
      return 0;
    });
    assertThat(ok[0]).isFalse();
    assertThat(e[0]).isEqualTo(WinError.ERROR_INVALID_HANDLE);
    assertThat(written[0]).as("zeroed before any work").isZero();
  }

  @Test
  void printfFormatsAndWritesThroughTheConsole() {
    int[] n = new int[1];
    EProcess p = run(ctx -> {
      n[0] = ctx.printf("%d + %.1f = %s%n", 1, 2.5, "3.5");
      return 0;
    });
    assertThat(n[0]).isEqualTo(("1 + 2.5 = 3.5" + System.lineSeparator()).length());
    assertThat(stdout()).isEqualTo(mark(p) + "1 + 2.5 = 3.5" + System.lineSeparator());
  }

  @Test
  void printfWithAMalformedFormatEndsTheProcessAsTheCRuntimeDoes() {
    EProcess p = run("t.exe", ctx -> {
      ctx.printf("%d%n", "not a number");
      return 0;
    });
    assertThat(p.exitStatus()).isEqualTo(GuestContext.STATUS_INVALID_CRUNTIME_PARAMETER);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void printfWithANullFormatEndsTheProcessAsTheCRuntimeDoes() {
    EProcess p = run("t.exe", ctx -> {
      ctx.printf(null);
      return 0;
    });
    assertThat(p.exitStatus()).isEqualTo(GuestContext.STATUS_INVALID_CRUNTIME_PARAMETER);
  }

  @Test
  void aLineIsHeldUntilItsNewline() {
    EProcess p = run(ctx -> {
      ctx.printf("one ");
      ctx.kernel32().Sleep(5);
      ctx.printf("two%nthree");
      return 0;
    });
    assertThat(stdout()).isEqualTo(mark(p) + "one two" + System.lineSeparator());
    sys.os.console.flush();
    assertThat(stdout()).endsWith(mark(p) + "three" + System.lineSeparator());
  }

  @Test
  void aThreadsLineIsNotBrokenByAnotherThreadsLine() {
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long started = k.CreateEventW(null, false, false, null);
      long finished = k.CreateEventW(null, false, false, null);
      long other = k.CreateThread(null, 0, param -> {
        k.WaitForSingleObject(started, INFINITE);
        ctx.printf("other line%n");
        k.SetEvent(finished);
        return 0;
      }, 0, 0, null);
      ctx.printf("first half, ");
      k.SetEvent(started);
      k.WaitForSingleObject(finished, INFINITE);
      ctx.printf("second half%n");
      k.WaitForSingleObject(other, INFINITE);
      return 0;
    });
    assertThat(stdout().lines()).containsExactly(mark(p) + "other line",
        mark(p) + "first half, second half");
  }

  @Test
  void plainSystemOutStillWorksInAGuest() {
    PrintStream saved = System.out;
    ByteArrayOutputStream host = new ByteArrayOutputStream();
    System.setOut(new PrintStream(host, true, StandardCharsets.UTF_8));
    try {
      run(ctx -> {
        System.out.println("plain");
        return 0;
      });
    } finally {
      System.setOut(saved);
    }
    assertThat(host.toString(StandardCharsets.UTF_8)).isEqualTo("plain" + System.lineSeparator());
  }
}
