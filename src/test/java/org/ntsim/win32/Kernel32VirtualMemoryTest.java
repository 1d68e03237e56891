package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.MEM_COMMIT;
import static org.ntsim.win32.Kernel32.MEM_DECOMMIT;
import static org.ntsim.win32.Kernel32.MEM_FREE;
import static org.ntsim.win32.Kernel32.MEM_PRIVATE;
import static org.ntsim.win32.Kernel32.MEM_RELEASE;
import static org.ntsim.win32.Kernel32.MEM_RESERVE;
import static org.ntsim.win32.Kernel32.MEM_RESET;
import static org.ntsim.win32.Kernel32.MEM_TOP_DOWN;
import static org.ntsim.win32.Kernel32.MEM_WRITE_WATCH;
import static org.ntsim.win32.Kernel32.PAGE_EXECUTE;
import static org.ntsim.win32.Kernel32.PAGE_NOACCESS;
import static org.ntsim.win32.Kernel32.PAGE_READONLY;
import static org.ntsim.win32.Kernel32.PAGE_READWRITE;
import static org.ntsim.win32.Kernel32.PAGE_WRITECOPY;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.mm.MemoryBasicInformation;
import org.ntsim.ps.EProcess;

/**
 * VirtualAlloc, VirtualFree, VirtualProtect, VirtualQuery, VirtualLock, VirtualUnlock,
 * ReadProcessMemory, WriteProcessMemory, GetWriteWatch and ResetWriteWatch, one test per
 * behaviour that Microsoft documents or that Wine's conformance tests (dlls/kernel32/tests/
 * virtual.c, test_VirtualAlloc and test_VirtualAllocEx) record from Windows. Where neither says,
 * the test says so.
 */
class Kernel32VirtualMemoryTest extends SyncTestSupport {
  private static final int RC = MEM_RESERVE | MEM_COMMIT;

  /** Runs {@code body} in a guest and returns what it collected. */
  private List<Object> collect(java.util.function.BiConsumer<GuestContext, List<Object>> body) {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      body.accept(ctx, out);
      return 0;
    });
    return out;
  }

  private static MemoryBasicInformation query(Kernel32 k, long va) {
    MemoryBasicInformation info = new MemoryBasicInformation();
    assertThat(k.VirtualQuery(va, info, MemoryBasicInformation.SIZE))
        .isEqualTo(MemoryBasicInformation.SIZE);
    return info;
  }

  @Test
  void aZeroSizeAllocationFailsWithInvalidParameter() {
    List<Object> r = collect((ctx, out) -> {
      out.add(ctx.kernel32().VirtualAlloc(0, 0, MEM_RESERVE, PAGE_NOACCESS));
      out.add(ctx.kernel32().GetLastError());
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void aReservationIsRoundedToPagesAndReportedAsReservedPrivateMemoryWithNoProtection() {
    List<Object> r = collect((ctx, out) -> {
      long a = ctx.kernel32().VirtualAlloc(0, 0xFFFC, MEM_RESERVE, PAGE_NOACCESS);
      out.add(a % 0x10000);
      out.add(query(ctx.kernel32(), a));
      out.add(a);
    });
    MemoryBasicInformation info = (MemoryBasicInformation) r.get(1);
    assertThat(r.get(0)).as("64 KiB aligned").isEqualTo(0L);
    assertThat(info.BaseAddress).isEqualTo(r.get(2));
    assertThat(info.AllocationBase).isEqualTo(r.get(2));
    assertThat(info.AllocationProtect).isEqualTo(PAGE_NOACCESS);
    assertThat(info.RegionSize).isEqualTo(0x10000);
    assertThat(info.State).isEqualTo(MEM_RESERVE);
    assertThat(info.Protect).as("NT reports 0 for pages not committed").isZero();
    assertThat(info.Type).isEqualTo(MEM_PRIVATE);
  }

  @Test
  void committingPartOfAReservationMakesARunOfCommittedPages() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
      out.add(k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_NOACCESS) == a);
      out.add(query(k, a));
      out.add(query(k, a + 0x1000));
    });
    MemoryBasicInformation committed = (MemoryBasicInformation) r.get(1);
    MemoryBasicInformation rest = (MemoryBasicInformation) r.get(2);
    assertThat(r.get(0)).isEqualTo(true);
    assertThat(committed.RegionSize).isEqualTo(0x1000);
    assertThat(committed.State).isEqualTo(MEM_COMMIT);
    assertThat(committed.Protect).isEqualTo(PAGE_NOACCESS);
    assertThat(rest.RegionSize).isEqualTo(0xF000);
    assertThat(rest.State).isEqualTo(MEM_RESERVE);
  }

  @Test
  void committingAnAddressThatIsNotReservedFailsWithInvalidAddress() {
    // Documented: "Attempting to commit a specific address range by specifying MEM_COMMIT
    // without MEM_RESERVE and a non-NULL lpAddress fails unless the entire range has already
    // been reserved. The resulting error code is ERROR_INVALID_ADDRESS."
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE, PAGE_READWRITE);
      out.add(k.VirtualAlloc(a + 0x10000, 0x1000, MEM_COMMIT, PAGE_READWRITE));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(a + 0xF000, 0x2000, MEM_COMMIT, PAGE_READWRITE));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_ADDRESS, 0L,
        WinError.ERROR_INVALID_ADDRESS);
  }

  @Test
  void commitWithoutAnAddressReservesAndCommits() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x2000, MEM_COMMIT, PAGE_READWRITE);
      out.add(a != 0);
      MemoryBasicInformation info = query(k, a);
      out.add(info.State);
      out.add(info.RegionSize);
    });
    assertThat(r).containsExactly(true, MEM_COMMIT, 0x2000L);
  }

  @Test
  void reservingOverAnExistingRegionFailsWithInvalidAddress() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualAlloc(a + 0x1000, 0x1000, RC, PAGE_READWRITE));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_ADDRESS);
  }

  @Test
  void aFreedAddressCanBeAllocatedAgainAtTheSameBase() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x2000, RC, PAGE_EXECUTE_READWRITE());
      out.add(k.VirtualFree(a, 0, MEM_RELEASE));
      out.add(k.VirtualAlloc(a, 0x1000, RC, PAGE_EXECUTE_READWRITE()) == a);
    });
    assertThat(r).containsExactly(true, true);
  }

  private static int PAGE_EXECUTE_READWRITE() {
    return Kernel32.PAGE_EXECUTE_READWRITE;
  }

  @Test
  void invalidProtectionsFailWithInvalidParameter() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualAlloc(0, 0x1000, MEM_RESERVE, 0));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(0, 0x1000, MEM_COMMIT, 0));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_READONLY | PAGE_EXECUTE));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(0, 0x1000, RC, PAGE_WRITECOPY)); // no copy-on-write private memory
      out.add(k.GetLastError());
      out.add(k.VirtualProtect(a, 0x1000, 0, new int[1]));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_PARAMETER, 0L,
        WinError.ERROR_INVALID_PARAMETER, 0L, WinError.ERROR_INVALID_PARAMETER, 0L,
        WinError.ERROR_INVALID_PARAMETER, false, WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void virtualProtectOnPagesNotCommittedFailsWithInvalidAddress() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0xFFFC, MEM_RESERVE, PAGE_NOACCESS);
      out.add(k.VirtualProtect(a, 0xFFFC, PAGE_READONLY, new int[1]));
      out.add(k.GetLastError());
      k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_NOACCESS);
      out.add(k.VirtualProtect(a, 0xFFFC, PAGE_READONLY, new int[1])); // partly committed
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_ADDRESS, false,
        WinError.ERROR_INVALID_ADDRESS);
  }

  @Test
  void virtualProtectReturnsTheOldProtection() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
      k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_NOACCESS);
      int[] old = new int[1];
      out.add(k.VirtualProtect(a, 0x1000, PAGE_READONLY, old));
      out.add(old[0]);
      out.add(k.VirtualProtect(a, 0x1000, PAGE_READWRITE, old));
      out.add(old[0]);
      out.add(query(k, a).Protect);
    });
    assertThat(r).containsExactly(true, PAGE_NOACCESS, true, PAGE_READONLY, PAGE_READWRITE);
  }

  @Test
  void virtualProtectWithoutARecordOfTheOldProtectionFails() {
    // Documented: lpflOldProtect "If this parameter is NULL or does not point to a valid
    // variable, the function fails."
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualProtect(a, 0x1000, PAGE_READONLY, null));
      out.add(k.GetLastError());
      out.add(query(k, a).Protect);
    });
    assertThat(r).containsExactly(false, WinError.ERROR_NOACCESS, PAGE_READWRITE);
  }

  @Test
  void virtualFreeRejectsAZeroOrUnknownFreeType() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, RC, PAGE_READWRITE);
      out.add(k.VirtualFree(a, 0x10000, 0));
      out.add(k.GetLastError());
      out.add(k.VirtualFree(a, 0, MEM_FREE));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, false,
        WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void releaseWithANonZeroSizeFailsWithInvalidParameter() {
    // Documented: "If the dwFreeType parameter is MEM_RELEASE, this parameter must be 0."
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, RC, PAGE_READWRITE);
      out.add(k.VirtualFree(a, 1, MEM_RELEASE));
      out.add(k.GetLastError());
      out.add(k.VirtualFree(a, 0, MEM_RELEASE));
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER, true);
  }

  @Test
  void releaseMustNameTheBaseOfTheRegion() {
    // Documented: lpAddress "must be the base address returned by the VirtualAlloc function
    // when the region of pages is reserved".
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, RC, PAGE_READWRITE);
      out.add(k.VirtualFree(a + 0x1000, 0, MEM_RELEASE));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_ADDRESS);
  }

  @Test
  void freeingTwiceFailsWithInvalidAddress() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualFree(a, 0, MEM_RELEASE));
      out.add(k.VirtualFree(a, 0, MEM_RELEASE));
      out.add(k.GetLastError());
      out.add(query(k, a).State);
    });
    assertThat(r).containsExactly(true, false, WinError.ERROR_INVALID_ADDRESS, MEM_FREE);
  }

  @Test
  void decommittingUncommittedPagesDoesNotFail() {
    // Documented: "An attempt to decommit an uncommitted page does not cause the function to
    // fail."
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE, PAGE_READWRITE);
      k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_READWRITE);
      out.add(k.VirtualFree(a, 0x10000, MEM_DECOMMIT));
      MemoryBasicInformation info = query(k, a);
      out.add(info.State);
      out.add(info.RegionSize);
    });
    assertThat(r).containsExactly(true, MEM_RESERVE, 0x10000L);
  }

  @Test
  void decommitOfAWholeRegionWithSizeZeroAtItsBaseLeavesItReserved() {
    // Documented (ZwFreeVirtualMemory): with MEM_DECOMMIT, the base of the region and a size of
    // 0, the entire region goes to the reserved state.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x20000, RC, PAGE_READWRITE);
      ctx.writeInt(a + 0x5000, 1);
      out.add(k.VirtualFree(a, 0, MEM_DECOMMIT));
      MemoryBasicInformation info = query(k, a);
      out.add(info.State);
      out.add(info.RegionSize);
    });
    assertThat(r).containsExactly(true, MEM_RESERVE, 0x20000L);
  }

  @Test
  void decommittedPagesReadAsAnAccessViolationAndRecommittedPagesAsZero() {
    int[] seen = new int[1];
    sys = TestOs.boot(2);
    EProcess p = sys.runProgram("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x2000, RC, PAGE_READWRITE);
      ctx.writeInt(a, 42);
      k.VirtualFree(a, 0x1000, MEM_DECOMMIT);
      k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_READWRITE);
      seen[0] = ctx.readInt(a);
      k.VirtualFree(a, 0x1000, MEM_DECOMMIT);
      ctx.readInt(a);
      return 0;
    }, 1000 * MS);
    assertThat(seen[0]).isZero();
    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
  }

  @Test
  void memResetKeepsPagesCommittedAndMayKeepTheirContents() {
    // Wine records Windows: after MEM_RESET the data is either kept or zero, the pages stay
    // committed with their protection, and a range beyond the region is ERROR_INVALID_ADDRESS.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
      k.VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_READWRITE);
      ctx.writeInt(a, 0x55555555);
      out.add(k.VirtualAlloc(a, 0x1000, MEM_RESET, PAGE_NOACCESS) == a);
      int v = ctx.readInt(a);
      out.add(v == 0x55555555 || v == 0);
      MemoryBasicInformation info = query(k, a);
      out.add(info.State);
      out.add(info.Protect);
      out.add(k.VirtualAlloc(a + 0xF000, 0x2000, MEM_RESET, PAGE_NOACCESS));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(true, true, MEM_COMMIT, PAGE_READWRITE, 0L,
        WinError.ERROR_INVALID_ADDRESS);
  }

  @Test
  void topDownAllocationsComeFromHighAddresses() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long low = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      long high = k.VirtualAlloc(0, 0x1000, RC | MEM_TOP_DOWN, PAGE_READWRITE);
      out.add(low);
      out.add(high);
    });
    assertThat((Long) r.get(1)).isGreaterThan((Long) r.get(0)).isEqualTo(0x7FFE0000L);
  }

  @Test
  void commitPastTheCommitLimitFailsWithCommitmentLimit() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long reserved = k.VirtualAlloc(0, 0x20000000L, MEM_RESERVE, PAGE_READWRITE); // 512 MiB
      out.add(reserved != 0);
      out.add(k.VirtualAlloc(0, 0x20000000L, RC, PAGE_READWRITE));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(reserved, 0x20000000L, MEM_COMMIT, PAGE_READWRITE));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(true, 0L, WinError.ERROR_COMMITMENT_LIMIT, 0L,
        WinError.ERROR_COMMITMENT_LIMIT);
  }

  @Test
  void virtualQueryOfFreeMemoryReportsTheFreeRunUpToTheNextRegion() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0x00400000L, 0x1000, RC, PAGE_READWRITE);
      MemoryBasicInformation info = query(k, 0x00300000L);
      out.add(a);
      out.add(info.State);
      out.add(info.Protect);
      out.add(info.AllocationBase);
      out.add(info.BaseAddress + info.RegionSize);
    });
    assertThat(r).containsExactly(0x00400000L, MEM_FREE, PAGE_NOACCESS, 0L, 0x00400000L);
  }

  @Test
  void virtualQueryRejectsSystemAddressesAndShortBuffers() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      out.add(k.VirtualQuery(0x80000000L, new MemoryBasicInformation(), 28));
      out.add(k.GetLastError());
      out.add(k.VirtualQuery(0x10000, new MemoryBasicInformation(), 27));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(0L, WinError.ERROR_INVALID_PARAMETER, 0L,
        WinError.ERROR_BAD_LENGTH);
  }

  @Test
  void lockedPagesStayValidWhenTheWorkingSetIsEmptied() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x2000, RC, PAGE_READWRITE);
      out.add(k.VirtualLock(a, 0x1000));
      ctx.writeInt(a + 0x1000, 1);
      k.EmptyWorkingSet(k.GetCurrentProcess());
      EProcess self = ntosOf(ctx).ps.currentProcess();
      out.add(self.addressSpace().validPrivatePages());
      out.add(self.addressSpace().lockedPages());
      out.add(k.VirtualUnlock(a, 0x1000));
    });
    assertThat(r).containsExactly(true, 1L, 1L, true);
  }

  @Test
  void unlockingPagesThatAreNotLockedFailsWithNotLocked() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualUnlock(a, 0x1000));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_NOT_LOCKED);
  }

  @Test
  void lockingPagesThatAreNotCommittedOrNoAccessFails() {
    // Documented: "All pages in the specified region must be committed. Memory protected with
    // PAGE_NOACCESS cannot be locked." The error for the no-access case: documentation silent;
    // ntsim reports ERROR_NOACCESS.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long reserved = k.VirtualAlloc(0, 0x1000, MEM_RESERVE, PAGE_READWRITE);
      long noAccess = k.VirtualAlloc(0, 0x1000, RC, PAGE_NOACCESS);
      out.add(k.VirtualLock(reserved, 0x1000));
      out.add(k.GetLastError());
      out.add(k.VirtualLock(noAccess, 0x1000));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_ADDRESS, false,
        WinError.ERROR_NOACCESS);
  }

  @Test
  void lockingPastTheMinimumWorkingSetLessTheOverheadFailsWithWorkingSetQuota() {
    // Documented (VirtualLock): "The maximum number of pages that a process can lock is equal to
    // the number of pages in its minimum working set minus a small overhead." ntsim's overhead is
    // 8 pages; the default minimum is 50, so 42 pages lock and the 43rd does not.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 64 * 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualLock(a, 42 * 0x1000));
      out.add(k.VirtualLock(a + 42 * 0x1000, 0x1000));
      out.add(k.GetLastError());
      out.add(ntosOf(ctx).ps.currentProcess().addressSpace().lockedPages());
    });
    assertThat(r).containsExactly(true, false, WinError.ERROR_WORKING_SET_QUOTA, 42L);
  }

  @Test
  void aLockThatWouldPassTheLimitLocksNothing() {
    // The quota is checked for the whole range before any page is locked.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 64 * 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualLock(a, 43 * 0x1000));
      out.add(k.GetLastError());
      out.add(ntosOf(ctx).ps.currentProcess().addressSpace().lockedPages());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_WORKING_SET_QUOTA, 0L);
  }

  @Test
  void pagesLockedAlreadyDoNotCountAgainstTheLimit() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 64 * 0x1000, RC, PAGE_READWRITE);
      out.add(k.VirtualLock(a, 42 * 0x1000));
      out.add(k.VirtualLock(a, 42 * 0x1000));
      out.add(k.VirtualUnlock(a, 0x1000));
      out.add(k.VirtualLock(a + 42 * 0x1000, 0x1000));
    });
    assertThat(r).containsExactly(true, true, true, true);
  }

  @Test
  void raisingTheMinimumWorkingSetRaisesTheLockLimit() {
    // Documented (VirtualLock, SetProcessWorkingSetSize): applications that lock more pages first
    // raise their minimum and maximum working set sizes.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 256 * 0x1000, RC, PAGE_READWRITE);
      out.add(k.SetProcessWorkingSetSize(k.GetCurrentProcess(), 200 * 0x1000, 400 * 0x1000));
      out.add(k.VirtualLock(a, 192 * 0x1000));
      out.add(k.VirtualLock(a + 192 * 0x1000, 0x1000));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(true, true, false, WinError.ERROR_WORKING_SET_QUOTA);
  }

  private static Ntos ntosOf(GuestContext ctx) {
    try {
      var f = GuestContext.class.getDeclaredField("ntos");
      f.setAccessible(true);
      return (Ntos) f.get(ctx);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readAndWriteProcessMemoryCopyBetweenAddressSpaces() {
    sys = TestOs.boot(2);
    long[] remote = new long[1];
    EProcess target = sys.os.launch("target.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      remote[0] = k.VirtualAlloc(0, 0x3000, RC, PAGE_READWRITE);
      ctx.writeInt(remote[0] + 0x1FFE, 0x11223344); // across a page boundary
      while (true) {
        k.Sleep(5);
      }
    });
    List<Object> out = new ArrayList<>();
    EProcess p = sys.os.launch("debugger.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      while (remote[0] == 0) {
        k.Sleep(1);
      }
      long h = k.OpenProcess(Kernel32.PROCESS_VM_READ | Kernel32.PROCESS_VM_WRITE
          | Kernel32.PROCESS_VM_OPERATION, false, (int) target.pid());
      long local = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      long[] n = new long[1];
      out.add(k.ReadProcessMemory(h, remote[0] + 0x1FFE, local, 4, n));
      out.add(n[0]);
      out.add(ctx.readInt(local));
      ctx.writeInt(local + 8, 0x55667788);
      out.add(k.WriteProcessMemory(h, remote[0] + 0x2800, local + 8, 4, n));
      out.add(k.ReadProcessMemory(h, remote[0] + 0x2800, local + 16, 4, n));
      out.add(ctx.readInt(local + 16));
      out.add(k.ReadProcessMemory(h, 0x7000_0000L, local, 4, n));
      out.add(k.GetLastError());
      long readOnly = k.OpenProcess(Kernel32.PROCESS_QUERY_INFORMATION, false,
          (int) target.pid());
      out.add(k.ReadProcessMemory(readOnly, remote[0], local, 4, n));
      out.add(k.GetLastError());
      k.TerminateProcess(h, 0);
      return 0;
    });
    sys.os.runUntilExited(2000 * MS, p);
    assertThat(p.exitStatus()).isZero();
    assertThat(out).containsExactly(true, 4L, 0x11223344, true, true, 0x55667788, false,
        WinError.ERROR_PARTIAL_COPY, false, WinError.ERROR_ACCESS_DENIED);
  }

  @Test
  void getWriteWatchReportsWrittenPagesAndResetStartsOver() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x8000, RC | MEM_WRITE_WATCH, PAGE_READWRITE);
      ctx.readInt(a);
      ctx.writeInt(a + 0x2000, 1);
      ctx.writeInt(a + 0x5004, 1);
      long[] addresses = new long[8];
      long[] count = {8};
      int[] granularity = new int[1];
      out.add(k.GetWriteWatch(0, a, 0x8000, addresses, count, granularity));
      out.add(count[0]);
      out.add(addresses[0] - a);
      out.add(addresses[1] - a);
      out.add(granularity[0]);
      out.add(k.ResetWriteWatch(a, 0x8000));
      count[0] = 8;
      k.GetWriteWatch(0, a, 0x8000, addresses, count, granularity);
      out.add(count[0]);
      ctx.writeInt(a + 0x5000, 2); // written again after the reset: seen again
      count[0] = 8;
      k.GetWriteWatch(Kernel32.WRITE_WATCH_FLAG_RESET, a, 0x8000, addresses, count, granularity);
      out.add(count[0]);
      count[0] = 8;
      k.GetWriteWatch(0, a, 0x8000, addresses, count, granularity);
      out.add(count[0]);
    });
    assertThat(r).containsExactly(0, 2L, 0x2000L, 0x5000L, 4096, 0, 0L, 1L, 0L);
  }

  @Test
  void getWriteWatchOnARegionWithoutWriteWatchFails() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      out.add(k.GetWriteWatch(0, a, 0x1000, new long[4], new long[] {4}, new int[1]));
      out.add(k.GetLastError());
      out.add(k.VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(-1, WinError.ERROR_INVALID_PARAMETER, 0L,
        WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void getWriteWatchWithRoomForNoEntriesFailsWithInvalidParameter() {
    // Wine's test_write_watch: count == 0 gives ERROR_INVALID_PARAMETER, with or without an array.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, RC | MEM_WRITE_WATCH, PAGE_READWRITE);
      out.add(k.GetWriteWatch(0, a, 0x10000, new long[64], new long[] {0}, new int[1]));
      out.add(k.GetLastError());
      out.add(k.GetWriteWatch(0, a, 0x10000, null, new long[] {0}, new int[1]));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(-1, WinError.ERROR_INVALID_PARAMETER, -1,
        WinError.ERROR_INVALID_PARAMETER);
  }

  @Test
  void getWriteWatchWithoutAnArrayForItsEntriesFailsWithNoAccess() {
    // Wine's test_write_watch: a NULL address array with count 64 gives ERROR_NOACCESS.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, RC | MEM_WRITE_WATCH, PAGE_READWRITE);
      out.add(k.GetWriteWatch(0, a, 0x10000, null, new long[] {64}, new int[1]));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(-1, WinError.ERROR_NOACCESS);
  }

  @Test
  void decommittingPagesKeepsTheirWriteWatchRecord() {
    // Wine's test_write_watch: a page written and then decommitted is still reported (count 1).
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE | MEM_WRITE_WATCH, PAGE_NOACCESS);
      k.VirtualAlloc(a, 0x10000, MEM_COMMIT, PAGE_NOACCESS);
      int[] old = new int[1];
      k.VirtualProtect(a, 0x6000, PAGE_READWRITE, old);
      ctx.writeByte(a + 0x5000 + 200, (byte) 3);
      out.add(k.VirtualFree(a, 0x10000, MEM_DECOMMIT));
      long[] addresses = new long[64];
      long[] count = {64};
      out.add(k.GetWriteWatch(0, a, 0x10000, addresses, count, new int[1]));
      out.add(count[0]);
      out.add(addresses[0] - a);
    });
    assertThat(r).containsExactly(true, 0, 1L, 0x5000L);
  }

  @Test
  void memResetOnReservedPagesSucceedsAndLeavesThemReserved() {
    // Wine's test_VirtualAlloc: MEM_RESET of a reserved page returns its address and the page
    // stays MEM_RESERVE with Protect 0; past the end of the region it is ERROR_INVALID_ADDRESS.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
      out.add(k.VirtualAlloc(a + 0x1000, 0x1000, MEM_RESET, PAGE_NOACCESS) - a);
      MemoryBasicInformation info = query(k, a + 0x1000);
      out.add(info.State);
      out.add(info.Protect);
      out.add(k.VirtualAlloc(a + 0xF000, 0x2000, MEM_RESET, PAGE_NOACCESS));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(0x1000L, MEM_RESERVE, 0, 0L, WinError.ERROR_INVALID_ADDRESS);
  }

  @Test
  void readProcessMemoryIntoAnUnwritableBufferFailsWithNoAccessAndNoBytes() {
    // Wine's test_VirtualAllocEx: the caller's buffer no-access from 0x2000 on; a 0x8000-byte
    // read fails with ERROR_NOACCESS and reports 0 bytes read.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long remote = k.VirtualAlloc(0, 0x8000, RC, PAGE_READWRITE);
      long local = k.VirtualAlloc(0, 0x8000, RC, PAGE_READWRITE);
      k.VirtualProtect(local + 0x2000, 0x2000, PAGE_NOACCESS, new int[1]);
      long[] n = {-1};
      out.add(k.ReadProcessMemory(k.GetCurrentProcess(), remote, local, 0x8000, n));
      out.add(k.GetLastError());
      out.add(n[0]);
    });
    assertThat(r).containsExactly(false, WinError.ERROR_NOACCESS, 0L);
  }

  @Test
  void writeProcessMemoryFromAnUnreadableBufferFailsWithPartialCopyAsOnVista() {
    // Wine's test_VirtualAllocEx accepts ERROR_NOACCESS or ERROR_PARTIAL_COPY, the latter marked
    // "vista"; 0 bytes are reported written either way.
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long remote = k.VirtualAlloc(0, 0x8000, RC, PAGE_READWRITE);
      long local = k.VirtualAlloc(0, 0x8000, RC, PAGE_READWRITE);
      k.VirtualProtect(local + 0x2000, 0x2000, PAGE_NOACCESS, new int[1]);
      long[] n = {-1};
      out.add(k.WriteProcessMemory(k.GetCurrentProcess(), remote, local, 0x8000, n));
      out.add(k.GetLastError());
      out.add(n[0]);
    });
    assertThat(r).containsExactly(false, WinError.ERROR_PARTIAL_COPY, 0L);
  }

  @Test
  void aGuestTouchingMemoryItMustNotEndsWithAccessViolationAndOthersRunOn() {
    sys = TestOs.boot(2);
    EProcess bad = sys.os.launch("bad.exe", ctx -> {
      ctx.writeInt(0x80000000L, 1);
      return 0;
    });
    EProcess good = sys.os.launch("good.exe", ctx -> {
      long a = ctx.kernel32().VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      ctx.writeInt(a, 3);
      return ctx.readInt(a);
    });
    sys.os.runUntilExited(1000 * MS, bad, good);
    assertThat(bad.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(good.exitStatus()).isEqualTo(3);
    assertThat(sys.os.machine.stopped()).isFalse();
  }

  /**
   * A process whose last thread has gone has had its user address space torn down
   * (MmCleanProcessAddressSpace); its object lives on while a handle refers to it, but the
   * virtual-memory services refuse it with STATUS_PROCESS_IS_TERMINATING (ERROR_ACCESS_DENIED),
   * so that no region is made, and no commit charged, that nothing would ever return.
   */
  @Test
  void allocatingInAProcessWhoseThreadsHaveAllEndedIsAccessDenied() {
    sys = TestOs.boot(2);
    EProcess ended = sys.runProgram("ended.exe", ctx -> 0, 100 * TestOs.MS);
    long commitBefore = sys.os.mm.commitTotal();
    Object[] results = new Object[3];
    EProcess p = sys.runProgram("t.exe", ctx -> {
      Kernel32 k = ctx.kernel32();
      long h = k.OpenProcess(Kernel32.PROCESS_VM_OPERATION, false, (int) ended.pid());
      results[0] = h != 0;
      results[1] = k.VirtualAllocEx(h, 0, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
      results[2] = k.GetLastError();
      return 0;
    }, 100 * TestOs.MS);
    assertThat(p.exitTimeNs()).isNotNegative();
    assertThat(results).containsExactly(true, 0L, WinError.ERROR_ACCESS_DENIED);
    assertThat(sys.os.mm.commitTotal()).isEqualTo(commitBefore);
    sys.os.mm.verify();
  }

  /**
   * Microsoft's WriteProcessMemory page: "The handle must have PROCESS_VM_WRITE and
   * PROCESS_VM_OPERATION access to the process": kernel32 changes the target's protection
   * before it writes.
   */
  @Test
  void writeProcessMemoryNeedsVmOperationBesidesVmWrite() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long remote = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      long local = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      long writeOnly = k.OpenProcess(Kernel32.PROCESS_VM_WRITE, false, k.GetCurrentProcessId());
      long[] n = {-1};
      out.add(k.WriteProcessMemory(writeOnly, remote, local, 4, n));
      out.add(k.GetLastError());
      out.add(n[0]);
    });
    assertThat(r).containsExactly(false, WinError.ERROR_ACCESS_DENIED, -1L);
  }

  /**
   * Wine's test_VirtualAllocEx: writing to a PAGE_READONLY or PAGE_NOACCESS page fails with
   * ERROR_NOACCESS and leaves the count alone; the page keeps its protection.
   */
  @Test
  void writeProcessMemoryToAReadOnlyPageIsNoAccessAndChangesNothing() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long remote = k.VirtualAlloc(0, 0x1000, RC, PAGE_READONLY);
      long local = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      ctx.writeInt(local, 0x12345678);
      long[] n = {-1};
      out.add(k.WriteProcessMemory(k.GetCurrentProcess(), remote, local, 4, n));
      out.add(k.GetLastError());
      out.add(n[0]);
      out.add(ctx.readInt(remote));
      MemoryBasicInformation info = new MemoryBasicInformation();
      k.VirtualQuery(remote, info, MemoryBasicInformation.SIZE);
      out.add(info.Protect);
    });
    assertThat(r).containsExactly(false, WinError.ERROR_NOACCESS, -1L, 0, PAGE_READONLY);
  }

  /** Code pages (PAGE_EXECUTE_READ) are written, which is how debuggers set breakpoints. */
  @Test
  void writeProcessMemoryWritesAnExecuteReadPageAndPutsItsProtectionBack() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long remote = k.VirtualAlloc(0, 0x1000, RC, Kernel32.PAGE_EXECUTE_READ);
      long local = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      ctx.writeInt(local, 0xCC);
      long[] n = {-1};
      out.add(k.WriteProcessMemory(k.GetCurrentProcess(), remote, local, 1, n));
      out.add(n[0]);
      out.add(ctx.readInt(remote));
      MemoryBasicInformation info = new MemoryBasicInformation();
      k.VirtualQuery(remote, info, MemoryBasicInformation.SIZE);
      out.add(info.Protect);
    });
    assertThat(r).containsExactly(true, 1L, 0xCC, Kernel32.PAGE_EXECUTE_READ);
  }

  /**
   * A size of zero: Wine's test_VirtualAllocEx records FALSE with ERROR_INVALID_PARAMETER on
   * older Windows (marked broken(), Vista's answer: the protection change refuses a size of
   * zero) and success on later ones.
   */
  @Test
  void writeProcessMemoryOfZeroBytesIsInvalidParameterAsOnVista() {
    List<Object> r = collect((ctx, out) -> {
      Kernel32 k = ctx.kernel32();
      long remote = k.VirtualAlloc(0, 0x1000, RC, PAGE_READWRITE);
      long[] n = {-1};
      out.add(k.WriteProcessMemory(k.GetCurrentProcess(), remote, remote, 0, n));
      out.add(k.GetLastError());
    });
    assertThat(r).containsExactly(false, WinError.ERROR_INVALID_PARAMETER);
  }
}
