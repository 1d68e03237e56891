package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.TestOs;

/**
 * MmCreatePeb, MmCreateTeb and MmDeleteTeb: the PEB and TEB pages of a user process. Windows
 * Internals 5th ed., ch. 5 ("Process Environment Block", "Thread Environment Block"): the PEB and
 * each TEB are one page of the process's user space, below KUSER_SHARED_DATA (0x7FFE0000); x86's
 * NtCurrentTeb returns fs:[0x18], the TEB's NtTib.Self. Offsets: Vista x86's _PEB and _TEB
 * (VistaX86Types).
 */
class MmPebTebTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  @Test
  void aGuestReadsItsOwnTebSelfClientIdAndPeb() {
    long[] seen = new long[6];
    sys = TestOs.boot(2);
    EProcess p = sys.runProgram("t.exe", ctx -> {
      long teb = ctx.ntdll().NtCurrentTeb();
      seen[0] = teb;
      seen[1] = ctx.readInt(teb + MmPebTeb.TEB_SELF) & 0xFFFFFFFFL;
      seen[2] = ctx.readInt(teb + MmPebTeb.TEB_CLIENT_ID);
      seen[3] = ctx.readInt(teb + MmPebTeb.TEB_CLIENT_ID + 4);
      seen[4] = ctx.kernel32().GetCurrentProcessId();
      seen[5] = ctx.kernel32().GetCurrentThreadId();
      return 0;
    }, 2000 * MS);
    assertThat(p.exitStatus()).isZero();
    assertThat(seen[0]).isEqualTo(0x7FFDE000L);
    assertThat(seen[1]).as("NtTib.Self").isEqualTo(seen[0]);
    assertThat(seen[2]).as("ClientId.UniqueProcess").isEqualTo(seen[4]);
    assertThat(seen[3]).as("ClientId.UniqueThread").isEqualTo(seen[5]);
  }

  @Test
  void thePebHoldsTheVersionTheProcessorCountAndTheSession() {
    int[] seen = new int[5];
    long[] peb = new long[2];
    sys = TestOs.boot(2);
    sys.runProgram("t.exe", ctx -> {
      long teb = ctx.ntdll().NtCurrentTeb();
      peb[0] = ctx.readInt(teb + MmPebTeb.TEB_PROCESS_ENVIRONMENT_BLOCK) & 0xFFFFFFFFL;
      peb[1] = sys.os.ps.currentProcess().pebAddress();
      seen[0] = ctx.readInt(peb[0] + MmPebTeb.PEB_OS_MAJOR_VERSION);
      seen[1] = ctx.readInt(peb[0] + MmPebTeb.PEB_OS_MINOR_VERSION);
      seen[2] = ctx.readInt(peb[0] + MmPebTeb.PEB_OS_BUILD_NUMBER) & 0xFFFF;
      seen[3] = ctx.readInt(peb[0] + MmPebTeb.PEB_NUMBER_OF_PROCESSORS);
      seen[4] = ctx.readInt(peb[0] + MmPebTeb.PEB_SESSION_ID);
      return 0;
    }, 2000 * MS);
    assertThat(peb[0]).isEqualTo(MmPebTeb.PEB_ADDRESS).isEqualTo(peb[1]);
    assertThat(seen).containsExactly(6, 0, 6001, 2, 1);
  }

  /** VirtualQuery on a TEB: one committed read-write private page (MEMORY_BASIC_INFORMATION). */
  @Test
  void eachTebIsOneCommittedReadWritePrivatePageBelowThePeb() {
    List<MemoryBasicInformation> infos = new ArrayList<>();
    long[] second = new long[1];
    sys = TestOs.boot(2);
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long h = k.CreateThread(null, 0, arg -> {
        second[0] = ctx.ntdll().NtCurrentTeb();
        return 0;
      }, 0, 0, null);
      k.WaitForSingleObject(h, Kernel32.INFINITE);
      for (long va : new long[] {MmPebTeb.PEB_ADDRESS, ctx.ntdll().NtCurrentTeb(), second[0]}) {
        MemoryBasicInformation info = new MemoryBasicInformation();
        k.VirtualQuery(va, info, MemoryBasicInformation.SIZE);
        infos.add(info);
      }
      return 0;
    }, 2000 * MS);
    assertThat(second[0]).isEqualTo(0x7FFDD000L);
    assertThat(infos.get(0).RegionSize).isEqualTo(0x1000);
    assertThat(infos.get(0).State).isEqualTo(MemoryBasicInformation.MEM_COMMIT);
    assertThat(infos.get(0).Protect).isEqualTo(Kernel32.PAGE_READWRITE);
    assertThat(infos.get(0).Type).isEqualTo(MemoryBasicInformation.MEM_PRIVATE);
    assertThat(infos.get(1).BaseAddress).isEqualTo(0x7FFDE000L);
    assertThat(infos.get(1).RegionSize).isEqualTo(0x1000);
    assertThat(infos.get(1).State).isEqualTo(MemoryBasicInformation.MEM_COMMIT);
    assertThat(infos.get(2).State).as("the ended thread's TEB is freed")
        .isEqualTo(MemoryBasicInformation.MEM_FREE);
  }

  /** The process's regions go with its last thread: the PEB's too; System and Idle have none. */
  @Test
  void thePebGoesWithTheProcessAndTheSystemProcessHasNone() {
    sys = TestOs.boot(1);
    long[] during = new long[1];
    EProcess p = sys.runProgram("t.exe", ctx -> {
      during[0] = sys.os.ps.currentProcess().addressSpace().vads().inOrder().size();
      return 0;
    }, 2000 * MS);
    assertThat(during[0]).as("the PEB's and the TEB's regions").isEqualTo(2);
    assertThat(p.pebAddress()).isEqualTo(MmPebTeb.PEB_ADDRESS);
    assertThat(p.addressSpace().vads().inOrder()).isEmpty();
    assertThat(sys.os.ps.systemProcess().pebAddress()).isZero();
    assertThat(sys.os.ps.idleThreads().get(0).tebAddress()).isZero();
  }
}
