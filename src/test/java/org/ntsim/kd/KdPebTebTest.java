package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ps.EThread;
import org.ntsim.win32.Kernel32;

/**
 * {@code dt nt!_PEB} and {@code dt nt!_TEB} on a user process's PEB and TEB pages (MmCreatePeb,
 * MmCreateTeb), read in the process's context as {@code .process} sets it. Field names and
 * offsets: Vista x86's _PEB and _TEB (Windows Internals 5th ed., ch. 5, {@code dt nt!_PEB} and
 * {@code dt nt!_TEB}); the version fields match {@code vertarget}'s Vista SP1 (build 6001).
 */
class KdPebTebTest {
  private static final long MS = KdSession.MS;

  private static KdSession sleeper(long[] tid) {
    KdSession s = new KdSession(2, 1_000 * MS);
    s.demo = s.os.launch("peb.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      tid[0] = k.GetCurrentThreadId();
      k.SetLastError(1234);
      while (true) {
        k.Sleep(10);
      }
    });
    s.run("g 5ms");
    s.run(".process " + Long.toHexString(s.demo.address));
    return s;
  }

  @Test
  void dtPebShowsTheVersionProcessorsAndSession() {
    try (KdSession s = sleeper(new long[1])) {
      String out = s.run("dt nt!_PEB 7ffdf000");
      assertThat(out).contains("   +0x002 BeingDebugged    : 0 ''")
          .contains("   +0x018 ProcessHeap      : (null)")
          .contains("   +0x064 NumberOfProcessors : 0x2")
          .contains("   +0x0a4 OSMajorVersion   : 0x6")
          .contains("   +0x0a8 OSMinorVersion   : 0")
          .contains("   +0x0ac OSBuildNumber    : 0x1771")
          .contains("   +0x1d4 SessionId        : 0x1");
      assertThat(s.run("!process " + Long.toHexString(s.demo.address) + " 0"))
          .contains("Peb: 7ffdf000");
    }
  }

  @Test
  void dtTebShowsSelfClientIdPebAndTheLastError() {
    long[] tid = new long[1];
    try (KdSession s = sleeper(tid)) {
      EThread t = s.os.ps.lookupThread(tid[0]);
      assertThat(t.tebAddress()).isEqualTo(0x7ffde000L);
      String out = s.run("dt nt!_TEB 7ffde000");
      assertThat(out).contains("   +0x030 ProcessEnvironmentBlock : 0x7ffdf000 _PEB")
          .contains("   +0x034 LastErrorValue   : 0x4d2");
      assertThat(s.run("dt nt!_TEB 7ffde000 -r1 NtTib")).contains("Self             : 0x7ffde000");
      assertThat(s.run("dd 7ffde020 L2")).isEqualTo(
          "7ffde020  " + KdSession.hex8(s.demo.pid()) + " " + KdSession.hex8(tid[0]) + "\n");
    }
  }
}
