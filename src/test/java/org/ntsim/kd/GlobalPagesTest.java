package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.hal.Mmu;
import org.ntsim.ps.EProcess;

/**
 * System pages shared by every process carry the PTE's global bit, so that a CR3 load keeps their
 * TLB entries (Intel SDM vol. 3, 4.10.2.4: with CR4.PGE, global translations survive a MOV to
 * CR3); the self-mapped page tables and hyperspace, which differ per process, do not. {@code !pte}
 * shows the bit as the G flag letter, as WinDbg does; a real kernel PTE read with
 * {@code dt nt!_MMPTE -b} shows {@code Global : 0y1} (gist mvankuipers/a1324eab..., a system page
 * of a Windows kernel target).
 */
class GlobalPagesTest {
  private static final long MS = KdSession.MS;

  @Test
  void aPoolPageHasTheGlobalFlagInPte() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 5ms");
      String out = s.run("!pte " + Long.toHexString(s.demo.address));
      assertThat(out).containsPattern("pfn [0-9a-f]+ +---DA--KWEV  pfn [0-9a-f]+ +-G-DA--KWEV");
    }
  }

  @Test
  void thePageDirectoryAndHyperspaceAreNotGlobal() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 5ms");
      s.run(".process " + Long.toHexString(s.demo.address));
      assertThat(s.run("!pte c0300000")).doesNotContainPattern("pfn [0-9a-f]+ +-G");
      assertThat(s.run("!pte c0400000")).doesNotContainPattern("pfn [0-9a-f]+ +-G");
    }
  }

  @Test
  void aUserPageIsNotGlobal() {
    try (KdSession s = new KdSession(1, MS)) {
      long[] base = new long[1];
      s.demo = s.os.launch("user.exe", ctx -> {
        base[0] = ctx.kernel32().VirtualAlloc(0, 0x1000,
            org.ntsim.win32.Kernel32.MEM_COMMIT | org.ntsim.win32.Kernel32.MEM_RESERVE,
            org.ntsim.win32.Kernel32.PAGE_READWRITE);
        ctx.writeInt(base[0], 1);
        while (true) {
          ctx.kernel32().Sleep(10);
        }
      });
      s.run("g 5ms");
      s.run(".process " + Long.toHexString(s.demo.address));
      assertThat(s.run("!pte " + Long.toHexString(base[0])))
          .containsPattern("pfn [0-9a-f]+ +---DA--UWEV");
    }
  }

  @Test
  void aPoolPagesTlbEntrySurvivesASwitchOfAddressSpace() {
    try (KdSession s = KdSession.withDemo(1)) {
      s.run("g 5ms");
      EProcess demo = s.demo;
      EProcess system = s.os.ps.activeProcesses().get(0);
      Mmu mmu = s.os.machine.cpu(0).mmu;
      mmu.loadDirectoryBase(demo.directoryTableBase());
      long pool = demo.address; // the EPROCESS lives in non-paged pool
      assertThat(mmu.translate(pool, false, false)).isNotEqualTo(Mmu.FAULT);
      assertThat(mmu.cached(pool)).isTrue();
      mmu.loadDirectoryBase(system.directoryTableBase());
      assertThat(mmu.cached(pool)).as("global entry kept across CR3").isTrue();
    }
  }
}
