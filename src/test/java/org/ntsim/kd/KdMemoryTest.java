package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Kernel32;

/**
 * The memory manager's debugger commands: {@code !pte} with the self-map addresses of seed 004
 * slides 28-30 and the flag letters WinDbg prints, each invalid format decoded, {@code !pfn},
 * {@code !vad}, {@code !memusage}, {@code !vm}, {@code dd}/{@code db}/{@code dq} and
 * {@code .process}; and {@code !process} with DirBase and VadRoot.
 */
class KdMemoryTest {
  private static final long MS = KdSession.MS;

  /** A process holding: a written page, a reserved page, a decommitted page, a trimmed page. */
  private static final class Fixture {
    long base;
    boolean ready;
  }

  private static KdSession sessionWithMemory(Fixture f) {
    KdSession s = new KdSession(1, 1_000 * MS);
    s.demo = s.os.launch("mem.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      f.base = k.VirtualAlloc(0x00400000L, 0x10000, Kernel32.MEM_RESERVE, Kernel32.PAGE_READWRITE);
      k.VirtualAlloc(f.base, 0x4000, Kernel32.MEM_COMMIT, Kernel32.PAGE_READWRITE);
      ctx.writeInt(f.base, 0x44434241); // "ABCD"
      ctx.writeLong(f.base + 8, 0x1122334455667788L);
      ctx.writeInt(f.base + 0x1000, 7);
      k.VirtualFree(f.base + 0x2000, 0x1000, Kernel32.MEM_DECOMMIT);
      ctx.writeInt(f.base + 0x3000, 9);
      k.VirtualAlloc(f.base + 0x3000, 0x1000, Kernel32.MEM_RESET, Kernel32.PAGE_NOACCESS);
      k.VirtualProtect(f.base + 0x3000, 0x1000, Kernel32.PAGE_READWRITE | Kernel32.PAGE_GUARD,
          new int[1]);
      k.VirtualAlloc(0x00500000L, 0x2000, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READONLY);
      k.VirtualFree(0x00501000L, 0x1000, Kernel32.MEM_DECOMMIT);
      f.ready = true;
      while (true) {
        k.Sleep(10);
      }
    });
    s.run("g 5ms");
    assertThat(f.ready).isTrue();
    s.run(".process " + Long.toHexString(s.demo.address));
    return s;
  }

  @Test
  void pteOfSlide30sAddressGivesTheSelfMapAddresses() {
    try (KdSession s = new KdSession(1, MS)) {
      String out = s.run("!pte e4321000");
      assertThat(out).contains("VA e4321000")
          .contains("PDE at C0300E40            PTE at C0390C84");
    }
  }

  @Test
  void pteOfThePageDirectoryGivesC0300C00Twice() {
    try (KdSession s = new KdSession(1, MS)) {
      String out = s.run("!pte c0300c00");
      assertThat(out).contains("VA c0300000").contains("PDE at C0300C00            PTE at C0300C00")
          .containsPattern("pfn 0 +---DA--KWEV  pfn 0 +---DA--KWEV");
    }
  }

  @Test
  void pteOfAValidUserPageShowsBothEntriesWithTheirFlagLetters() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      String out = s.run("!pte 400000");
      assertThat(out).contains("VA 00400000").contains("PDE at C0300004            PTE at C0001000")
          .containsPattern("contains [0-9A-F]{5}067          contains [0-9A-F]{5}067")
          .containsPattern("pfn [0-9a-f]+ +---DA--UWEV  pfn [0-9a-f]+ +---DA--UWEV");
    }
  }

  @Test
  void pteDecodesDemandZeroDecommittedTransitionAndZeroPtes() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      // 500000 committed at reservation (a zero PTE: the VAD commits it), 501000 decommitted
      // inside it (MM_DECOMMIT), 402000 decommitted in a region committed later (a zero PTE
      // again), 403000 guarded while resident (a transition PTE), 404000 reserved, 7f000000
      // nothing at all (7ff00000 shares the page table of the PEB and TEB pages).
      assertThat(s.run("!pte 500000")).contains("contains 00000000")
          .contains("committed at reservation: demand zero");
      assertThat(s.run("!pte 501000")).contains("contains 00000200").contains("not valid")
          .contains("Decommitted").contains("Protect: 10 - Decommitted");
      assertThat(s.run("!pte 402000")).contains("contains 00000000")
          .contains("reserved: not committed");
      assertThat(s.run("!pte 404000")).contains("contains 00000000").contains("not valid")
          .contains("reserved: not committed");
      String guard = s.run("!pte 403000");
      assertThat(guard).contains("not valid").contains("Transition:")
          .contains("Protect: 14 - ReadWrite Guard");
      assertThat(s.run("!pte 7f000000")).contains("the page table does not exist yet")
          .contains("no VAD");
    }
  }

  @Test
  void pfnOfAPageShowsItsPteAddressAndContainingPage() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      EProcess p = s.demo;
      long pd = p.addressSpace().directoryTableBase();
      int pde = s.os.machine.memory.readInt(pd + (0x00400000L >>> 22) * 4);
      int pte = s.os.machine.memory.readInt(((long) (pde >>> 12) << 12));
      long frame = pte >>> 12;
      String out = s.run("!pfn " + Long.toHexString(frame));
      assertThat(out).contains(String.format("PFN %08X at address %08X", frame,
          0x82000000L + frame * 0x18)).contains("pteaddress C0001000").contains("Active")
          .contains("restore pte 00000080").contains("Modified");
      assertThat(s.run("!pfn 0")).contains("pteaddress C0300C00");
      assertThat(s.run("!pfn fffffff")).contains("above the highest physical page");
    }
  }

  @Test
  void vadListsTheRegionsWithCommitAndProtection() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      String out = s.run("!vad");
      assertThat(out).startsWith("VAD     level      start      end    commit\n")
          .containsPattern("[0-9a-f]{8} \\( [01]\\)        400      40f         3 Private"
              + "      READWRITE")
          .containsPattern("[0-9a-f]{8} \\( [0-9]\\)        500      501         1 Private"
              + "      READONLY")
          .containsPattern("[0-9a-f]{8} \\( [01]\\)      7ffde    7ffde         1 Private"
              + "      READWRITE")
          .containsPattern("[0-9a-f]{8} \\( [01]\\)      7ffdf    7ffdf         1 Private"
              + "      READWRITE")
          .contains("Total VADs:     4");
    }
  }

  @Test
  void ddDbDqShowTheProcessesMemoryAndQuestionMarksWhereNothingIsMapped() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      assertThat(s.run("dd 400000 L4")).isEqualTo("00400000  44434241 00000000 55667788 11223344\n");
      assertThat(s.run("db 400000 L10")).isEqualTo(
          "00400000  41 42 43 44 00 00 00 00-88 77 66 55 44 33 22 11  ABCD.....wfUD3\".\n");
      assertThat(s.run("dq 400008 L1")).isEqualTo("00400008  11223344`55667788\n");
      assertThat(s.run("dd 402000 L2")).isEqualTo("00402000  ???????? ????????\n");
    }
  }

  // dd's address is an expression, as in WinDbg (DOCS/d--da--db--dc--dd--dd--df--dp--dq--du--dw--dw--dyb--dyd--display-memor).
  @Test
  void ddTakesAnExpressionForItsAddress() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      assertThat(s.run("dd 3ff000+1000+8 L2")).isEqualTo("00400008  55667788 11223344\n");
      assertThat(s.run("dd poi(400008)-55267788 L1")).isEqualTo("00400000  44434241\n");
      assertThat(s.run("dd 40zz")).startsWith("Couldn't resolve error at '40zz'");
    }
  }

  @Test
  void processShowsDirBaseVadRootAndCommit() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      String out = s.run("!process " + Long.toHexString(s.demo.address) + " 1");
      long dirBase = s.demo.addressSpace().directoryTableBase();
      assertThat(out).contains(String.format("DirBase: %08x", dirBase))
          .containsPattern("VadRoot [0-9a-f]{8} Vads 4 Clone 0 Private \\d+\\.")
          .containsPattern("CommitCharge +6") // 3 + 1 pages, the PEB and the TEB
          .contains("Working Set Sizes (now,min,max)").contains("PageFaultCount")
          .containsPattern("ntsim: WsUnusedEstimate +\\d+ ");
    }
  }

  @Test
  void memusageAndVmCountEveryFrame() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      String mem = s.run("!memusage");
      int frames = s.os.mm.pfnDatabase().frameCount();
      assertThat(mem).contains("Zeroed:").contains("Active/Valid:")
          .containsPattern("TOTAL: +" + frames + " ");
      String vm = s.run("!vm");
      assertThat(vm).contains("*** Virtual Memory Usage ***").contains("Commit limit:")
          .contains("mem.exe").containsPattern("working set \\d+ pages, estimated unused \\d+");
    }
  }

  @Test
  void vmShowsThePoolsAndTheSystemWorkingSetAndPteAndDdReadAPoolPage() {
    Fixture f = new Fixture();
    try (KdSession s = sessionWithMemory(f)) {
      long object = s.demo.address;
      assertThat(object).as("the EPROCESS body is in non-paged pool")
          .isBetween(org.ntsim.ex.Pool.NONPAGED_POOL_START, org.ntsim.ex.Pool.NONPAGED_POOL_END);
      var sp = s.os.mm.systemPoolPages();
      var sws = s.os.mm.systemWorkingSet();
      String vm = s.run("!vm");
      assertThat(vm).containsPattern("NonPagedPool Usage: +" + sp.nonPagedPages() + " ")
          .containsPattern("PagedPool Usage: +" + sp.pagedPages() + " ")
          .contains("ntsim: system working set: current " + sws.count() + ", minimum "
              + sws.minimumPages() + ", maximum " + sws.maximumPages() + ", peak " + sws.peak());
      String pte = s.run("!pte " + Long.toHexString(object));
      assertThat(pte).containsPattern("pfn [0-9a-f]+ +-G-DA--KWEV").doesNotContain("not valid")
          .contains("non-paged pool");
      String dd = s.run("dd " + Long.toHexString(object & ~0xFL) + " L4");
      assertThat(dd).startsWith(String.format("%08x ", object & ~0xFL)).doesNotContain("?");
    }
  }

  @Test
  void badInputGetsAnErrorAndTheSessionGoesOn() {
    try (KdSession s = new KdSession(1, MS)) {
      assertThat(s.run("!pte")).contains("Usage");
      assertThat(s.run("!pfn")).contains("Usage");
      assertThat(s.run("dd")).contains("needs an address");
      assertThat(s.run("dd zz")).contains("Couldn't resolve");
      assertThat(s.run("dd 1000 Lzz")).contains("Couldn't resolve");
      assertThat(s.run(".process 1234567")).contains("Unable to read _EPROCESS");
      assertThat(s.run("!pte 0")).contains("VA 00000000");
    }
  }
}
