package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ke.KThread;
import org.ntsim.ps.EProcess;
import org.ntsim.ps.EThread;

/**
 * {@code dt}: Vista x86 layouts and the modelled values at an address, printed as WinDbg prints
 * them. The layout lines follow real {@code dt} output of ntoskrnl 6.0.6000.16386
 * (computer.forensikblog.de/2007/01/ethread-6-0-6000-16386.html: {@code +0x04f Priority : Char},
 * {@code +0x05c State : UChar}, {@code +0x064 WaitBlockList : Ptr32 to}); WinDbg's value forms
 * ({@code   +0x000 Header           : _DISPATCHER_HEADER}, {@code 0y1} for bits, {@code (null)})
 * follow published sessions such as gist mvankuipers/a1324eab... ({@code dt nt!_MMPTE -b}).
 */
class DisplayTypeCommandTest {
  @Test
  void aTypeAloneListsItsMembersWithTheirTypes() {
    try (KdSession s = new KdSession(1, KdSession.MS)) {
      String out = s.run("dt nt!_KTHREAD");
      assertThat(out).startsWith("nt!_KTHREAD\n   +0x000 Header           : _DISPATCHER_HEADER\n")
          .contains("   +0x04f Priority         : Char\n")
          .contains("   +0x05c State            : UChar\n")
          .contains("   +0x064 WaitBlockList    : Ptr32 _KWAIT_BLOCK\n")
          .contains("   +0x068 Alertable        : Pos 5, 1 Bit\n")
          .contains("   +0x084 Teb              : Ptr32 Void\n")
          .contains("   +0x144 Process          : Ptr32 _KPROCESS\n")
          .contains("   +0x1c4 ThreadListEntry  : _LIST_ENTRY\n");
    }
  }

  @Test
  void theEprocessHasVistasOffsets() {
    try (KdSession s = new KdSession(1, KdSession.MS)) {
      assertThat(s.run("dt _EPROCESS")).contains("   +0x09c UniqueProcessId  : Ptr32 Void\n")
          .contains("   +0x0a0 ActiveProcessLinks : _LIST_ENTRY\n")
          .contains("   +0x0dc ObjectTable      : Ptr32 _HANDLE_TABLE\n")
          .contains("   +0x14c ImageFileName    : [16] UChar\n")
          .contains("   +0x188 Peb              : Ptr32 _PEB\n")
          .contains("   +0x238 VadRoot          : _MM_AVL_TABLE\n");
    }
  }

  @Test
  void recursionOpensEmbeddedStructuresThreeColumnsIn() {
    try (KdSession s = new KdSession(1, KdSession.MS)) {
      assertThat(s.run("dt -r1 nt!_KEVENT")).isEqualTo("""
          nt!_KEVENT
             +0x000 Header           : _DISPATCHER_HEADER
                +0x000 Type             : UChar
                +0x001 Abandoned        : UChar
                +0x001 Absolute         : UChar
                +0x001 NpxIrql          : UChar
                +0x001 Signalling       : UChar
                +0x002 Size             : UChar
                +0x002 Hand             : UChar
                +0x003 Inserted         : UChar
                +0x003 DebugActive      : UChar
                +0x003 DpcActive        : UChar
                +0x000 Lock             : Int4B
                +0x004 SignalState      : Int4B
                +0x008 WaitListHead     : _LIST_ENTRY
          """);
    }
  }

  @Test
  void theCurrentThreadShowsTheModelsValues() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 50ms");
      KThread t = s.os.kernel.prcb(0).currentThread();
      String out = s.run("dt nt!_KTHREAD @$thread");
      assertThat(out).doesNotStartWith("nt!_KTHREAD")
          .contains("   +0x000 Header           : _DISPATCHER_HEADER\n")
          .contains("   +0x04f Priority         : " + t.priority() + " ''\n")
          .contains("   +0x05c State            : 0x2 ''\n") // Running
          .contains("   +0x144 Process          : 0x" + KdSession.hex8(t.kprocess().address)
              + " _KPROCESS\n");
    }
  }

  @Test
  void aWaitingThreadShowsItsWaitBlockAndTheObject() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 200ms");
      EThread sleeper = s.demo.threads().stream()
          .filter(t -> t.state() == org.ntsim.ke.ThreadState.WAITING
              && !t.currentWaitBlocks().isEmpty()).findFirst().orElseThrow();
      String a = Long.toHexString(sleeper.address);
      String out = s.run("dt -r1 nt!_ETHREAD " + a);
      assertThat(out).contains("      +0x05c State            : 0x5 ''\n") // Waiting
          .contains("      +0x064 WaitBlockList    : 0x" + KdSession.hex8(sleeper.address + 0xb8)
              + " _KWAIT_BLOCK\n")
          .contains("   +0x20c Cid              : _CLIENT_ID\n")
          .contains("      +0x004 UniqueThread     : 0x" + KdSession.hex8(sleeper.tid())
              + " Void\n");
    }
  }

  @Test
  void theProcessShowsItsNameIdAndLinks() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 5ms");
      EProcess p = s.demo;
      String out = s.run("dt nt!_EPROCESS " + Long.toHexString(p.address));
      assertThat(out).contains("   +0x09c UniqueProcessId  : 0x" + KdSession.hex8(p.pid())
          + " Void\n").contains("   +0x14c ImageFileName    : [16]  \"demo.exe\"\n")
          .containsPattern("   \\+0x0a0 ActiveProcessLinks : _LIST_ENTRY \\[ 0x[0-9a-f]{8} - "
              + "0x[0-9a-f]{8} \\]\n");
    }
  }

  @Test
  void aMemberNameLimitsTheListingToIt() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 5ms");
      assertThat(s.run("dt nt!_EPROCESS " + Long.toHexString(s.demo.address) + " ImageFileName"))
          .isEqualTo("   +0x14c ImageFileName    : [16]  \"demo.exe\"\n");
    }
  }

  @Test
  void aWideBitFieldShowsItsValueAfterTheBits() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 5ms");
      long header = s.demo.header().poolBlock() - 8; // the POOL_HEADER before the allocation
      assertThat(s.run("dt nt!_POOL_HEADER " + Long.toHexString(header) + " PoolType"))
          .isEqualTo("   +0x002 PoolType         : 0y0000001 (0x1)\n");
    }
  }

  @Test
  void anUnknownTypeOrAnUnreadableAddressIsOneLine() {
    try (KdSession s = new KdSession(1, KdSession.MS)) {
      assertThat(s.run("dt nt!_NOSUCH")).isEqualTo("Symbol nt!_NOSUCH not found.\n");
      assertThat(s.run("dt nt!_KTHREAD 10")).isEqualTo("Memory read error 00000010\n");
      assertThat(s.run("dt")).startsWith("dt needs a type");
      assertThat(s.run("dt -rx _KTHREAD")).startsWith("dt: -rx is not -r or -r<depth>");
    }
  }

  @Test
  void theKpcrThatPcrNamesHoldsItsOwnAddressAndThePrcb() {
    try (KdSession s = new KdSession(2, KdSession.MS)) {
      assertThat(s.run("dd 807c4000 L9")).startsWith(
          "807c4000  00000000 00000000 00000000 00000000\n"
          + "807c4010  00000000 00000002 00000000 807c4000\n"
          + "807c4020  807c4120\n");
    }
  }
}
