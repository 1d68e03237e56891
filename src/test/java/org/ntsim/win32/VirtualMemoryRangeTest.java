package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.MEM_COMMIT;
import static org.ntsim.win32.Kernel32.MEM_DECOMMIT;
import static org.ntsim.win32.Kernel32.MEM_RELEASE;
import static org.ntsim.win32.Kernel32.MEM_RESERVE;
import static org.ntsim.win32.Kernel32.MEM_WRITE_WATCH;
import static org.ntsim.win32.Kernel32.PAGE_READWRITE;
import static org.ntsim.win32.Ntdll.NtCurrentProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;

/**
 * Addresses and sizes that a sum cannot hold: a guest passes {@code long}s, and a size near
 * 2^63 once wrapped {@code base + size} past every range check. Each service now refuses such
 * a range as NT does for a 32-bit value past the user address space (the Windows Research
 * Kernel's checks; the Win32 errors as Wine's conformance tests record them): the parameter at
 * fault as STATUS_INVALID_PARAMETER_n, ERROR_INVALID_PARAMETER (87) in Win32; the cross-process
 * copies with STATUS_ACCESS_VIOLATION, ERROR_NOACCESS (998). Nothing else changes: the region's
 * pages, the working set and the machine stay as they were.
 */
class VirtualMemoryRangeTest extends SyncTestSupport {
  private static final long HUGE = Long.MAX_VALUE - 0x1000;
  private static final long REGION = 0x10000;

  /** A committed, written region of 16 pages, and the results of {@code body} on it. */
  private List<Object> withRegion(int type, BiConsumer<GuestContext, Object[]> body) {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long base = k.VirtualAlloc(0, REGION, MEM_RESERVE | MEM_COMMIT | type, PAGE_READWRITE);
      for (long va = base; va < base + REGION; va += 0x1000) {
        ctx.writeInt(va, 1);
      }
      Object[] holder = {base, out};
      body.accept(ctx, holder);
      // the region is untouched: still committed, readable and written
      for (long va = base; va < base + REGION; va += 0x1000) {
        out.add(ctx.readInt(va));
      }
      return 0;
    });
    assertThat(sys.os.kernel.bugCheck()).isNull();
    sys.os.mm.verify();
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void add(Object[] holder, Object value) {
    ((List<Object>) holder[1]).add(value);
  }

  private static List<Object> resultsThenSixteenOnes(Object... results) {
    List<Object> expected = new ArrayList<>(List.of(results));
    for (int i = 0; i < 16; i++) {
      expected.add(1);
    }
    return expected;
  }

  @Test
  void decommittingAHugeSizeIsInvalidParameter3AndLeavesThePagesAlone() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      long[] base = {(long) h[0]};
      add(h, ctx.ntdll().NtFreeVirtualMemory(NtCurrentProcess, base, new long[] {HUGE},
          MEM_DECOMMIT));
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_INVALID_PARAMETER_3));
  }

  @Test
  void releasingAHugeSizeIsInvalidParameter3() {
    List<Object> r = withRegion(0, (ctx, h) -> add(h, ctx.ntdll().NtFreeVirtualMemory(
        NtCurrentProcess, new long[] {(long) h[0]}, new long[] {HUGE}, MEM_RELEASE)));
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_INVALID_PARAMETER_3));
  }

  @Test
  void virtualFreeOfAHugeSizeIsErrorInvalidParameter() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      Kernel32 k = ctx.kernel32();
      add(h, k.VirtualFree((long) h[0], HUGE, MEM_DECOMMIT));
      add(h, k.GetLastError());
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(false, WinError.ERROR_INVALID_PARAMETER));
  }

  @Test
  void freeingARangeThatEndsPastTheHighestUserAddressIsInvalidParameter3() {
    List<Object> r = withRegion(0, (ctx, h) -> add(h, ctx.ntdll().NtFreeVirtualMemory(
        NtCurrentProcess, new long[] {(long) h[0]}, new long[] {0x80000000L}, MEM_DECOMMIT)));
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_INVALID_PARAMETER_3));
  }

  @Test
  void protectingAHugeSizeIsInvalidParameter3AtOnce() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      int[] old = new int[1];
      add(h, ctx.ntdll().NtProtectVirtualMemory(NtCurrentProcess, new long[] {(long) h[0]},
          new long[] {HUGE}, Kernel32.PAGE_READONLY, old));
      Kernel32 k = ctx.kernel32();
      add(h, k.VirtualProtect((long) h[0], HUGE, Kernel32.PAGE_READONLY, old));
      add(h, k.GetLastError());
      add(h, k.VirtualProtectEx(k.GetCurrentProcess(), (long) h[0], -1L,
          Kernel32.PAGE_READONLY, old));
      add(h, k.GetLastError());
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_INVALID_PARAMETER_3, false,
        WinError.ERROR_INVALID_PARAMETER, false, WinError.ERROR_INVALID_PARAMETER));
  }

  @Test
  void lockingOrUnlockingAHugeSizeIsInvalidParameter() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      Kernel32 k = ctx.kernel32();
      add(h, k.VirtualLock((long) h[0], HUGE));
      add(h, k.GetLastError());
      add(h, ctx.ntdll().NtUnlockVirtualMemory(NtCurrentProcess, new long[] {(long) h[0]},
          new long[] {HUGE}, org.ntsim.mm.VirtualMemory.MAP_PROCESS));
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(false, WinError.ERROR_INVALID_PARAMETER,
        NtStatus.STATUS_INVALID_PARAMETER));
  }

  @Test
  void writeWatchCallsWithAHugeSizeAreInvalidParameter3() {
    List<Object> r = withRegion(MEM_WRITE_WATCH, (ctx, h) -> {
      Ntdll nt = ctx.ntdll();
      long base = (long) h[0];
      add(h, nt.NtGetWriteWatch(NtCurrentProcess, 0, base, HUGE, new long[16],
          new long[] {16}, new int[1]));
      add(h, nt.NtResetWriteWatch(NtCurrentProcess, base, HUGE));
      Kernel32 k = ctx.kernel32();
      add(h, k.GetWriteWatch(0, base, HUGE, new long[16], new long[] {16}, new int[1]));
      add(h, k.GetLastError());
      add(h, k.ResetWriteWatch(base, HUGE));
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_INVALID_PARAMETER_3,
        NtStatus.STATUS_INVALID_PARAMETER_3, -1, WinError.ERROR_INVALID_PARAMETER,
        WinError.ERROR_INVALID_PARAMETER));
  }

  @Test
  void writeWatchStatusesAreNumberedAsNtNumbersThem() {
    List<Object> r = withRegion(MEM_WRITE_WATCH, (ctx, h) -> {
      Ntdll nt = ctx.ntdll();
      long base = (long) h[0];
      add(h, nt.NtGetWriteWatch(NtCurrentProcess, 0, 0x7FFE0000L, 0x1000, new long[16],
          new long[] {16}, new int[1])); // above MM_HIGHEST_VAD_ADDRESS
      add(h, nt.NtGetWriteWatch(NtCurrentProcess, 0, base, 0x1000, new long[16],
          new long[] {0}, new int[1])); // no entries
      add(h, nt.NtGetWriteWatch(NtCurrentProcess, 0, base, 0, new long[16],
          new long[] {16}, new int[1])); // no bytes
      add(h, nt.NtGetWriteWatch(NtCurrentProcess, 0, base + REGION, 0x1000, new long[16],
          new long[] {16}, new int[1])); // no write-watched region there
      add(h, nt.NtResetWriteWatch(NtCurrentProcess, base, 0));
      add(h, nt.NtResetWriteWatch(NtCurrentProcess, base + REGION, 0x1000));
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_INVALID_PARAMETER_2,
        NtStatus.STATUS_INVALID_PARAMETER_5, NtStatus.STATUS_INVALID_PARAMETER_4,
        NtStatus.STATUS_INVALID_PARAMETER_1, NtStatus.STATUS_INVALID_PARAMETER_3,
        NtStatus.STATUS_INVALID_PARAMETER_1));
  }

  @Test
  void copiesWithABufferNearTheTopAndAHugeSizeAreAccessViolationsNotBugChecks() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      Ntdll nt = ctx.ntdll();
      long base = (long) h[0];
      long[] done = {-1};
      add(h, nt.NtWriteVirtualMemory(NtCurrentProcess, base, 0xFFFFF000L, HUGE, done));
      add(h, done[0]);
      add(h, nt.NtReadVirtualMemory(NtCurrentProcess, base, 0xFFFFEFFFL, HUGE, done));
      Kernel32 k = ctx.kernel32();
      add(h, k.ReadProcessMemory(k.GetCurrentProcess(), 0xC6CE6958L, base, 0x100, done));
      add(h, k.GetLastError());
      add(h, k.ReadProcessMemory(k.GetCurrentProcess(), base, 0xFFFFEFFFL, HUGE, done));
      add(h, k.GetLastError());
    });
    // The range check returns before anything is written: the count keeps its value.
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_ACCESS_VIOLATION, -1L,
        NtStatus.STATUS_ACCESS_VIOLATION, false, WinError.ERROR_NOACCESS, false,
        WinError.ERROR_NOACCESS));
  }

  /**
   * WriteProcessMemory changes the target's protection first (NtProtectVirtualMemory), so a
   * huge size is that call's STATUS_INVALID_PARAMETER_3: ERROR_INVALID_PARAMETER, whatever the
   * local buffer.
   */
  @Test
  void writeProcessMemoryOfAHugeSizeIsInvalidParameterFromItsProtectionChange() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      Kernel32 k = ctx.kernel32();
      long[] done = {-1};
      add(h, k.WriteProcessMemory(k.GetCurrentProcess(), (long) h[0], 0xFFFFF000L, HUGE, done));
      add(h, k.GetLastError());
      add(h, done[0]);
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(false, WinError.ERROR_INVALID_PARAMETER,
        -1L));
  }

  @Test
  void theCopyRangesAreCheckedBeforeTheHandleAndZeroBytesNeedNoHandle() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      Ntdll nt = ctx.ntdll();
      long base = (long) h[0];
      long[] done = {-1};
      add(h, nt.NtReadVirtualMemory(0x1234, base, 0x80000000L, 0x10, done));
      add(h, nt.NtWriteVirtualMemory(0x1234, base, base, 0, done));
      add(h, done[0]);
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_ACCESS_VIOLATION,
        NtStatus.STATUS_SUCCESS, 0L));
  }

  @Test
  void aCopyOfZeroBytesStillChecksItsRange() {
    List<Object> r = withRegion(0, (ctx, h) -> {
      Ntdll nt = ctx.ntdll();
      long base = (long) h[0];
      long[] done = {-1};
      add(h, nt.NtReadVirtualMemory(NtCurrentProcess, 0x80000000L, base, 0, done));
      add(h, nt.NtReadVirtualMemory(NtCurrentProcess, base, base + 0x1000, 0, done));
      add(h, done[0]);
    });
    assertThat(r).isEqualTo(resultsThenSixteenOnes(NtStatus.STATUS_ACCESS_VIOLATION,
        NtStatus.STATUS_SUCCESS, 0L));
  }
}
