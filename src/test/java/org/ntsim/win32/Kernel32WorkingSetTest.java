package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.mm.AddressSpace;

/**
 * GetProcessWorkingSetSize, SetProcessWorkingSetSize(Ex), EmptyWorkingSet and
 * GlobalMemoryStatusEx, as Microsoft documents them, with the working set manager's policy
 * (Windows Internals ch. 9): a soft maximum holds only under memory pressure, a hard one always.
 */
class Kernel32WorkingSetTest extends SyncTestSupport {
  private static final int RC = Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT;

  private AddressSpace self(GuestContext ctx) {
    return sys.os.ps.currentProcess().addressSpace();
  }

  @Test
  void theDefaultLimitsAre50And345Pages() {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      long[] min = new long[1];
      long[] max = new long[1];
      out.add(ctx.kernel32().GetProcessWorkingSetSize(ctx.kernel32().GetCurrentProcess(), min,
          max));
      out.add(min[0]);
      out.add(max[0]);
      return 0;
    });
    assertThat(out).containsExactly(true, 50 * 4096L, 345 * 4096L);
  }

  @Test
  void aMinimumAboveTheMaximumIsInvalidParameter() {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      out.add(k.SetProcessWorkingSetSize(k.GetCurrentProcess(), 400 * 4096L, 200 * 4096L));
      out.add(k.GetLastError());
      out.add(k.SetProcessWorkingSetSizeEx(k.GetCurrentProcess(), 4096 * 10, 4096 * 20,
          Kernel32.QUOTA_LIMITS_HARDWS_MAX_ENABLE | Kernel32.QUOTA_LIMITS_HARDWS_MAX_DISABLE));
      out.add(k.GetLastError());
      return 0;
    });
    assertThat(out).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, false,
        WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void aSoftMaximumIsExceededWhileMemoryIsPlentiful() {
    long[] pages = new long[1];
    sys = TestOs.boot(2);
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 1000 * 4096L, RC, Kernel32.PAGE_READWRITE);
      for (int i = 0; i < 1000; i++) {
        ctx.writeInt(a + i * 4096L, i);
      }
      k.Sleep(2500); // two passes of the working set manager
      pages[0] = self(ctx).validPrivatePages();
      return 0;
    }, 5000 * TestOs.MS);
    assertThat(sys.os.mm.workingSetManager().passes()).isGreaterThanOrEqualTo(2);
    assertThat(pages[0]).as("the pages written, the PEB and the TEB").isEqualTo(1002);
  }

  /** Sleeps until the working set manager has made one more pass. */
  private void awaitPass(Kernel32 k) {
    long before = sys.os.mm.workingSetManager().passes();
    while (sys.os.mm.workingSetManager().passes() == before) {
      k.Sleep(10);
    }
  }

  @Test
  void theUnusedEstimateCountsThePagesNotAccessedSinceThePassBefore() {
    // Windows Internals ch. 9 (working set manager): each pass samples the accessed bits; pages
    // not accessed since the last pass age, and the aged pages are the estimate of unused pages.
    int[] estimates = new int[3];
    sys = TestOs.boot(2);
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 100 * 4096L, RC, Kernel32.PAGE_READWRITE);
      for (int i = 0; i < 100; i++) {
        ctx.writeInt(a + i * 4096L, i);
      }
      estimates[0] = self(ctx).workingSet().unusedEstimate();
      awaitPass(k);
      estimates[1] = self(ctx).workingSet().unusedEstimate();
      for (int i = 0; i < 30; i++) {
        ctx.readInt(a + i * 4096L);
      }
      awaitPass(k);
      estimates[2] = self(ctx).workingSet().unusedEstimate();
      return 0;
    }, 5000 * TestOs.MS);
    assertThat(estimates).as("before any pass, after one with every page fresh, after one with"
        + " 30 touched (the 70 others, the PEB and the TEB)").containsExactly(0, 0, 72);
  }

  @Test
  void theEstimateIsNotTrimmedWhileMemoryIsPlentiful() {
    long[] pages = new long[2];
    sys = TestOs.boot(2);
    sys.runProgram("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 100 * 4096L, RC, Kernel32.PAGE_READWRITE);
      for (int i = 0; i < 100; i++) {
        ctx.writeInt(a + i * 4096L, i);
      }
      awaitPass(k);
      awaitPass(k);
      pages[0] = self(ctx).workingSet().unusedEstimate();
      pages[1] = self(ctx).validPrivatePages();
      return 0;
    }, 5000 * TestOs.MS);
    assertThat(pages).as("estimate, pages still valid (the PEB and the TEB with the 100)")
        .containsExactly(102, 102);
  }

  @Test
  void aHardMaximumHoldsAndTheFaultHandlerReplacesOldPages() {
    long[] seen = new long[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.SetProcessWorkingSetSizeEx(k.GetCurrentProcess(), 20 * 4096L, 100 * 4096L,
          Kernel32.QUOTA_LIMITS_HARDWS_MAX_ENABLE);
      long a = k.VirtualAlloc(0, 300 * 4096L, RC, Kernel32.PAGE_READWRITE);
      for (int i = 0; i < 300; i++) {
        ctx.writeInt(a + i * 4096L, i);
      }
      seen[0] = self(ctx).validPrivatePages();
      seen[1] = self(ctx).peakValidPages();
      int wrong = 0;
      for (int i = 0; i < 300; i++) {
        wrong += ctx.readInt(a + i * 4096L) == i ? 0 : 1;
      }
      seen[2] = wrong;
      return 0;
    });
    assertThat(seen).containsExactly(100, 100, 0);
  }

  @Test
  void loweringTheMaximumTrimsAtOnce() {
    long[] seen = new long[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 200 * 4096L, RC, Kernel32.PAGE_READWRITE);
      for (int i = 0; i < 200; i++) {
        ctx.writeInt(a + i * 4096L, i);
      }
      seen[0] = self(ctx).validPrivatePages();
      k.SetProcessWorkingSetSize(k.GetCurrentProcess(), 10 * 4096L, 64 * 4096L);
      seen[1] = self(ctx).validPrivatePages();
      return 0;
    });
    assertThat(seen).as("the 200 pages, the PEB and the TEB; then the maximum")
        .containsExactly(202, 64);
  }

  @Test
  void emptyingTheWorkingSetRemovesEveryUnlockedPage() {
    // Documented: SetProcessWorkingSetSize with (SIZE_T)-1 twice "removes as many pages as
    // possible from the working set".
    long[] seen = new long[3];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 10 * 4096L, RC, Kernel32.PAGE_READWRITE);
      for (int i = 0; i < 10; i++) {
        ctx.writeInt(a + i * 4096L, i);
      }
      k.VirtualLock(a, 4096);
      seen[0] = self(ctx).validPrivatePages();
      k.SetProcessWorkingSetSize(k.GetCurrentProcess(), -1, -1);
      seen[1] = self(ctx).validPrivatePages();
      seen[2] = ctx.readInt(a + 9 * 4096L);
      return 0;
    });
    assertThat(seen).as("the 10 pages, the PEB and the TEB; then the locked page")
        .containsExactly(12, 1, 9);
  }

  @Test
  void globalMemoryStatusExReportsPhysicalMemoryAndCommit() {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      MemoryStatusEx bad = new MemoryStatusEx();
      bad.dwLength = 10;
      out.add(k.GlobalMemoryStatusEx(bad));
      out.add(k.GetLastError());
      MemoryStatusEx before = new MemoryStatusEx();
      k.GlobalMemoryStatusEx(before);
      k.VirtualAlloc(0, 1 << 20, RC, Kernel32.PAGE_READWRITE);
      MemoryStatusEx after = new MemoryStatusEx();
      k.GlobalMemoryStatusEx(after);
      out.add(before.ullTotalPhys);
      out.add(before.ullAvailPageFile - after.ullAvailPageFile);
      out.add(before.ullAvailVirtual - after.ullAvailVirtual);
      out.add(after.ullTotalVirtual);
      return 0;
    });
    assertThat(out).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, 256L << 20,
        1L << 20, 1L << 20, 0x7FFF0000L - 0x10000L);
  }
}
