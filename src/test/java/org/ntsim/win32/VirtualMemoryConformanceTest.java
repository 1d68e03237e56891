package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.MEM_COMMIT;
import static org.ntsim.win32.Kernel32.MEM_DECOMMIT;
import static org.ntsim.win32.Kernel32.MEM_RESERVE;
import static org.ntsim.win32.Kernel32.MEM_RESET;
import static org.ntsim.win32.Kernel32.PAGE_NOACCESS;
import static org.ntsim.win32.Kernel32.PAGE_READWRITE;
import static org.ntsim.win32.Ntdll.NtCurrentProcess;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.mm.MemoryBasicInformation;
import org.ntsim.ps.EProcess;

/**
 * The virtual-memory differences from Windows that issue 12 lists (section 5), one test per
 * behaviour, each with the source that records Windows' answer: Wine's conformance tests
 * (dlls/kernel32/tests/virtual.c, which run on Windows), Microsoft's documentation, and the
 * Windows Research Kernel's NtAllocateVirtualMemory (allocvm.c) and NtFreeVirtualMemory
 * (freevm.c), Microsoft's published Server 2003 SP1 source.
 */
class VirtualMemoryConformanceTest extends SyncTestSupport {
  private static final int RC = MEM_RESERVE | MEM_COMMIT;
  private static final int STATUS_FREE_VM_NOT_AT_BASE = 0xC000009F;

  private List<Object> collect(BiConsumer<GuestContext, List<Object>> body) {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      body.accept(ctx, out);
      return 0;
    });
    return out;
  }

  private static int protectionOf(Kernel32 k, long va) {
    MemoryBasicInformation info = new MemoryBasicInformation();
    k.VirtualQuery(va, info, MemoryBasicInformation.SIZE);
    return info.Protect;
  }

  /**
   * freevm.c, the MEM_DECOMMIT path: with a region size of 0 the base address must be the
   * region's (STATUS_FREE_VM_NOT_AT_BASE), and nothing is decommitted.
   */
  @Test
  void decommitWithSizeZeroAwayFromTheRegionsBaseIsFreeVmNotAtBase() {
    List<Object> r = collect((ctx, out) -> {
      Ntdll nt = ctx.ntdll();
      long a = ctx.kernel32().VirtualAlloc(0, 0x4000, RC, PAGE_READWRITE);
      long[] base = {a + 0x1000};
      long[] size = {0};
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, base, size, MEM_DECOMMIT));
      MemoryBasicInformation info = new MemoryBasicInformation();
      ctx.kernel32().VirtualQuery(a, info, MemoryBasicInformation.SIZE);
      out.add(info.State);
      out.add(info.RegionSize);
    });
    assertThat(r).containsExactly(STATUS_FREE_VM_NOT_AT_BASE, MEM_COMMIT, 0x4000L);
  }

  /**
   * freevm.c: a decommit of a non-zero size away from the region's base is allowed, covers every
   * page the range touches, and reports the rounded range back.
   */
  @Test
  void decommitOfARangeInsideARegionRoundsOutToWholePages() {
    List<Object> r = collect((ctx, out) -> {
      Ntdll nt = ctx.ntdll();
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x4000, RC, PAGE_READWRITE);
      long[] base = {a + 0x1FFF};
      long[] size = {2};
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, base, size, MEM_DECOMMIT));
      out.add(base[0] - a);
      out.add(size[0]);
      MemoryBasicInformation info = new MemoryBasicInformation();
      k.VirtualQuery(a + 0x1000, info, MemoryBasicInformation.SIZE);
      out.add(info.State);
      out.add(info.RegionSize);
    });
    assertThat(r).containsExactly(NtStatus.STATUS_SUCCESS, 0x1000L, 0x2000L, MEM_RESERVE,
        0x2000L);
  }

  /**
   * VirtualAlloc's documentation for MEM_RESET: "VirtualAlloc ignores the value of flProtect.
   * However, you must still set flProtect to a valid protection value"; allocvm.c checks the
   * protection (MiMakeProtectionMask) before it takes the MEM_RESET path.
   */
  @Test
  void memResetWithAnInvalidProtectionFailsWithInvalidParameter() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualAlloc(a, 0x1000, MEM_RESET, 0));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(a, 0x1000, MEM_RESET, Kernel32.PAGE_WRITECOPY) == a);
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_PARAMETER, true);
  }

  /**
   * allocvm.c: MEM_RESET rounds its range inward ("so good data is not reset"): only whole
   * pages inside the range are reset, and a range holding no whole page is
   * STATUS_CONFLICTING_ADDRESSES.
   */
  @Test
  void memResetRoundsInwardToTheWholePagesOfItsRange() {
    List<Object> r = collect((ctx, out) -> {
      Ntdll nt = ctx.ntdll();
      long a = ctx.kernel32().VirtualAlloc(0, 0x4000, RC, PAGE_READWRITE);
      long[] base = {a + 0x800};
      long[] size = {0x1800};
      out.add(nt.NtAllocateVirtualMemory(NtCurrentProcess, base, 0, size, MEM_RESET,
          PAGE_NOACCESS));
      out.add(base[0] - a);
      out.add(size[0]);
      base[0] = a + 0x10;
      size[0] = 0x100;
      out.add(nt.NtAllocateVirtualMemory(NtCurrentProcess, base, 0, size, MEM_RESET,
          PAGE_NOACCESS));
    });
    assertThat(r).containsExactly(NtStatus.STATUS_SUCCESS, 0x1000L, 0x1000L,
        NtStatus.STATUS_CONFLICTING_ADDRESSES);
  }

  /**
   * Wine's test_guard_page (virtual.c): the first VirtualLock of a guard page fails with
   * GetLastError() == STATUS_GUARD_PAGE_VIOLATION and takes the guard off (VirtualQuery no
   * longer shows PAGE_GUARD); a second VirtualLock succeeds, and the data is intact.
   */
  @Test
  void virtualLockOfAGuardPageFailsWithGuardPageViolationAndClearsTheGuard() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      ctx.writeInt(a, 1);
      int[] old = new int[1];
      k.VirtualProtect(a, 0x1000, PAGE_READWRITE | Kernel32.PAGE_GUARD, old);
      out.add(k.VirtualLock(a, 0x1000));
      out.add(k.GetLastError());
      out.add(protectionOf(k, a));
      out.add(k.VirtualLock(a, 0x1000));
      out.add(ctx.readInt(a));
      out.add(k.VirtualUnlock(a, 0x1000));
    });
    assertThat(r).containsExactly(false, NtStatus.STATUS_GUARD_PAGE_VIOLATION, PAGE_READWRITE,
        true, 1, true);
  }

  /** A target process with a read-only page and an execute-read page, written by another. */
  private List<Object> writeIntoAnotherProcess(int protect) {
    sys = TestOs.boot(2);
    long[] remote = new long[1];
    EProcess target = sys.os.launch("target.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      ctx.writeInt(a, 0x11111111);
      int[] old = new int[1];
      k.VirtualProtect(a, 0x1000, protect, old);
      remote[0] = a;
      while (true) {
        k.Sleep(5);
      }
    });
    List<Object> out = new ArrayList<>();
    EProcess writer = sys.os.launch("writer.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      while (remote[0] == 0) {
        k.Sleep(1);
      }
      long h = k.OpenProcess(Kernel32.PROCESS_VM_READ | Kernel32.PROCESS_VM_WRITE
          | Kernel32.PROCESS_VM_OPERATION | Kernel32.PROCESS_QUERY_INFORMATION, false,
          (int) target.pid());
      long local = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      ctx.writeInt(local, 0x22222222);
      long[] n = {0xDEADBEEFL};
      out.add(k.WriteProcessMemory(h, remote[0], local, 4, n));
      out.add(k.GetLastError());
      out.add(n[0]);
      long[] got = new long[1];
      k.ReadProcessMemory(h, remote[0], local + 8, 4, got);
      out.add(ctx.readInt(local + 8));
      MemoryBasicInformation info = new MemoryBasicInformation();
      k.VirtualQueryEx(h, remote[0], info, MemoryBasicInformation.SIZE);
      out.add(info.Protect);
      k.TerminateProcess(h, 0);
      return 0;
    });
    sys.os.runUntilExited(2000 * MS, writer);
    assertThat(writer.exitStatus()).isZero();
    return out;
  }

  /**
   * Wine's test_VirtualAllocEx (virtual.c), on another process: WriteProcessMemory to a
   * PAGE_READONLY page fails with ERROR_NOACCESS, leaves the byte count alone and writes
   * nothing; the page keeps its protection.
   */
  @Test
  void writeProcessMemoryToAnotherProcesssReadOnlyPageIsNoAccess() {
    List<Object> r = writeIntoAnotherProcess(Kernel32.PAGE_READONLY);
    assertThat(r.subList(0, 1)).containsExactly(false);
    assertThat(r.subList(1, 5)).containsExactly(WinError.ERROR_NOACCESS, 0xDEADBEEFL,
        0x11111111, Kernel32.PAGE_READONLY);
  }

  /**
   * Wine's test_VirtualAllocEx, on another process: WriteProcessMemory to a PAGE_EXECUTE_READ
   * page succeeds and reports every byte written (kernel32 makes the page writable for the copy
   * and puts its protection back).
   */
  @Test
  void writeProcessMemoryToAnotherProcesssExecuteReadPageWritesItAll() {
    List<Object> r = writeIntoAnotherProcess(Kernel32.PAGE_EXECUTE_READ);
    assertThat(r.get(0)).isEqualTo(true);
    assertThat(r.get(2)).isEqualTo(4L);
    assertThat(r.subList(3, 5)).containsExactly(0x22222222, Kernel32.PAGE_EXECUTE_READ);
  }
}
