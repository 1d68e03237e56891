package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.Kernel32.MEM_COMMIT;
import static org.ntsim.win32.Kernel32.MEM_DECOMMIT;
import static org.ntsim.win32.Kernel32.MEM_RELEASE;
import static org.ntsim.win32.Kernel32.MEM_RESERVE;
import static org.ntsim.win32.Kernel32.MEM_TOP_DOWN;
import static org.ntsim.win32.Kernel32.PAGE_EXECUTE;
import static org.ntsim.win32.Kernel32.PAGE_NOACCESS;
import static org.ntsim.win32.Kernel32.PAGE_READONLY;
import static org.ntsim.win32.Kernel32.PAGE_READWRITE;
import static org.ntsim.win32.Ntdll.NtCurrentProcess;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.mm.MemoryBasicInformation;
import org.ntsim.mm.VirtualMemory;
import org.ntsim.mm.WorkingSet;

/**
 * NtAllocateVirtualMemory, NtFreeVirtualMemory, NtProtectVirtualMemory and NtQueryVirtualMemory
 * statuses, as Wine's dlls/ntdll/tests/virtual.c and the native test suite that ReactOS keeps
 * (recorded on Windows) show them, and as ZwAllocateVirtualMemory's and ZwFreeVirtualMemory's
 * documentation describes them.
 */
class NtdllVirtualMemoryTest extends SyncTestSupport {
  private List<Object> collect(java.util.function.BiConsumer<Ntdll, List<Object>> body) {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      body.accept(ctx.ntdll(), out);
      return 0;
    });
    return out;
  }

  private static int alloc(Ntdll nt, long[] base, long zeroBits, long size, int type, int prot) {
    return nt.NtAllocateVirtualMemory(NtCurrentProcess, base, zeroBits, new long[] {size}, type,
        prot);
  }

  @Test
  void theAllocationTypeIsCheckedFirstThenTheProtectionThenThePointers() {
    List<Object> r = collect((nt, out) -> {
      out.add(nt.NtAllocateVirtualMemory(0, null, 0, null, 0, 0));
      out.add(nt.NtAllocateVirtualMemory(0, null, 0, null, MEM_RESERVE, 0));
      out.add(nt.NtAllocateVirtualMemory(0, null, 0, null, MEM_RESERVE, PAGE_NOACCESS));
      out.add(nt.NtAllocateVirtualMemory(0, new long[1], 0, new long[] {0x1000}, MEM_RESERVE,
          PAGE_NOACCESS));
    });
    assertThat(r).containsExactly(NtStatus.STATUS_INVALID_PARAMETER_5,
        NtStatus.STATUS_INVALID_PAGE_PROTECTION, NtStatus.STATUS_ACCESS_VIOLATION,
        NtStatus.STATUS_INVALID_HANDLE);
  }

  @Test
  void aSizeBeyondTheUserRangeIsInvalidParameter4() {
    List<Object> r = collect((nt, out) ->
        out.add(alloc(nt, new long[1], 0, 0xFFFFFFFFL, MEM_RESERVE, PAGE_NOACCESS)));
    assertThat(r).containsExactly(NtStatus.STATUS_INVALID_PARAMETER_4);
  }

  @Test
  void zeroBitsKeepTheRegionLowAndMoreThan21AreInvalidParameter3() {
    List<Object> r = collect((nt, out) -> {
      for (int bits : new int[] {1, 2, 8, 15}) {
        long[] base = {0};
        out.add(alloc(nt, base, bits, 0x1000, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN,
            PAGE_READWRITE));
        out.add(base[0] >>> (32 - bits) == 0);
      }
      out.add(alloc(nt, new long[1], 20, 0x1000, MEM_RESERVE, PAGE_READWRITE)); // below 64 KiB
      out.add(alloc(nt, new long[1], 21, 0x1000, MEM_RESERVE, PAGE_READWRITE));
      out.add(alloc(nt, new long[1], 22, 0x1000, MEM_RESERVE, PAGE_READWRITE));
      out.add(alloc(nt, new long[1], 0x1000, 0x1000, MEM_RESERVE, PAGE_READWRITE));
    });
    assertThat(r).containsExactly(0, true, 0, true, 0, true, 0, true,
        NtStatus.STATUS_NO_MEMORY, NtStatus.STATUS_NO_MEMORY, NtStatus.STATUS_INVALID_PARAMETER_3,
        NtStatus.STATUS_INVALID_PARAMETER_3);
  }

  @Test
  void aReservationOnePageIntoAnotherConflictsBecauseOfTheGranularity() {
    List<Object> r = collect((nt, out) -> {
      long[] a = {0};
      out.add(alloc(nt, a, 0, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
      long[] b = {a[0] + 0x1000};
      out.add(alloc(nt, b, 0, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
      out.add(b[0] == a[0] + 0x1000);
    });
    assertThat(r).containsExactly(0, NtStatus.STATUS_CONFLICTING_ADDRESSES, true);
  }

  @Test
  void aTakenAddressConflictsEvenWithZeroBitsThatItBreaks() {
    // Wine's test_VirtualAlloc: one page into a region, with 12 zero bits, is
    // STATUS_CONFLICTING_ADDRESSES (not STATUS_INVALID_PARAMETER_3).
    List<Object> r = collect((nt, out) -> {
      long[] a = {0};
      out.add(alloc(nt, a, 0, 0x1000, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN, PAGE_READWRITE));
      out.add(alloc(nt, new long[] {a[0] + 0x1000}, 12, 0x1000, MEM_RESERVE | MEM_COMMIT,
          PAGE_READWRITE));
    });
    assertThat(r).containsExactly(0, NtStatus.STATUS_CONFLICTING_ADDRESSES);
  }

  @Test
  void lockingWithMapSystemNeedsTheLockMemoryPrivilege() {
    // ZwLockVirtualMemory's MAP_SYSTEM needs SeLockMemoryPrivilege, which guests do not hold;
    // MAP_PROCESS needs none.
    List<Object> r = collect((nt, out) -> {
      long[] a = {0};
      alloc(nt, a, 0, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
      out.add(nt.NtLockVirtualMemory(NtCurrentProcess, new long[] {a[0]}, new long[] {0x1000},
          VirtualMemory.MAP_SYSTEM));
      out.add(nt.NtLockVirtualMemory(NtCurrentProcess, new long[] {a[0]}, new long[] {0x1000},
          VirtualMemory.MAP_PROCESS));
    });
    assertThat(r).containsExactly(NtStatus.STATUS_PRIVILEGE_NOT_HELD, NtStatus.STATUS_SUCCESS);
  }

  @Test
  void lockingPastTheLockLimitIsWorkingSetQuota() {
    List<Object> r = collect((nt, out) -> {
      long[] a = {0};
      alloc(nt, a, 0, 0x100000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
      long pages = WorkingSet.DEFAULT_MINIMUM - VirtualMemory.LOCK_OVERHEAD_PAGES + 1;
      out.add(nt.NtLockVirtualMemory(NtCurrentProcess, new long[] {a[0]},
          new long[] {pages * 0x1000L}, VirtualMemory.MAP_PROCESS));
    });
    assertThat(r).containsExactly(NtStatus.STATUS_WORKING_SET_QUOTA);
  }

  @Test
  void sizesAreRoundedUpToPagesAndWrittenBack() {
    List<Object> r = collect((nt, out) -> {
      long[] base = {0};
      long[] size = {0x100};
      out.add(nt.NtAllocateVirtualMemory(NtCurrentProcess, base, 0, size, MEM_RESERVE,
          PAGE_NOACCESS));
      out.add(size[0]);
      long[] offset = {base[0] + 1};
      long[] one = {1};
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, offset, one, MEM_RELEASE));
      out.add(offset[0] == base[0]);
      out.add(one[0]);
    });
    assertThat(r).containsExactly(0, 0x1000L, 0, true, 0x1000L);
  }

  @Test
  void freeChecksTheFreeTypeFirst() {
    List<Object> r = collect((nt, out) -> {
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, null, null, 0));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, null, null, MEM_COMMIT));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, null, null, MEM_RELEASE));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, null, null, MEM_DECOMMIT));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, new long[] {0xFFFF0000L},
          new long[] {0x1000}, MEM_RELEASE));
    });
    assertThat(r).containsExactly(NtStatus.STATUS_INVALID_PARAMETER_4,
        NtStatus.STATUS_INVALID_PARAMETER_4, NtStatus.STATUS_ACCESS_VIOLATION,
        NtStatus.STATUS_ACCESS_VIOLATION, NtStatus.STATUS_INVALID_PARAMETER_2);
  }

  @Test
  void releasingTwiceIsMemoryNotAllocated() {
    List<Object> r = collect((nt, out) -> {
      long[] base = {0};
      long[] size = {0x1000};
      nt.NtAllocateVirtualMemory(NtCurrentProcess, base, 0, size, MEM_RESERVE, PAGE_NOACCESS);
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, base, size, MEM_RELEASE));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, base, size, MEM_RELEASE));
    });
    assertThat(r).containsExactly(0, NtStatus.STATUS_MEMORY_NOT_ALLOCATED);
  }

  @Test
  void releasingWithSizeZeroAwayFromTheBaseIsFreeVmNotAtBase() {
    List<Object> r = collect((nt, out) -> {
      long[] base = {0};
      alloc(nt, base, 0, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, new long[] {base[0] + 0x1000},
          new long[] {0}, MEM_RELEASE));
    });
    assertThat(r).containsExactly(VirtualMemory.STATUS_FREE_VM_NOT_AT_BASE);
  }

  @Test
  void partOfARegionCanBeReleasedAndTheRestStaysAsItsOwnRegions() {
    List<Object> r = collect((nt, out) -> {
      long[] base = {0};
      alloc(nt, base, 0, 0x30000, MEM_RESERVE, PAGE_NOACCESS);
      long a = base[0];
      out.add(alloc(nt, new long[] {a + 0x10000}, 0, 0x10000, MEM_COMMIT, PAGE_READONLY));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, new long[] {a + 0x10000},
          new long[] {0x10000}, MEM_RELEASE));
      MemoryBasicInformation info = new MemoryBasicInformation();
      nt.NtQueryVirtualMemory(NtCurrentProcess, a + 0x10000, Ntdll.MemoryBasicInformation, info,
          28, null);
      out.add(info.State);
      nt.NtQueryVirtualMemory(NtCurrentProcess, a + 0x20000, Ntdll.MemoryBasicInformation, info,
          28, null);
      out.add(info.AllocationBase == a + 0x20000);
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, new long[] {a}, new long[] {0x30000},
          MEM_RELEASE));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, new long[] {a}, new long[] {0},
          MEM_RELEASE));
      out.add(nt.NtFreeVirtualMemory(NtCurrentProcess, new long[] {a + 0x20000},
          new long[] {0}, MEM_RELEASE));
    });
    assertThat(r).containsExactly(0, 0, Kernel32.MEM_FREE, true,
        NtStatus.STATUS_UNABLE_TO_FREE_VM, 0, 0);
  }

  @Test
  void protectionOfPagesNotCommittedIsNotCommittedAndRecommittingChangesProtection() {
    // Native suite on Windows: committing over committed and uncommitted pages succeeds.
    // Whether the already committed page takes the new protection: not recorded there;
    // ntsim gives every page of the range the new protection.
    List<Object> r = collect((nt, out) -> {
      long[] base = {0};
      alloc(nt, base, 0, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
      long a = base[0];
      int[] old = new int[1];
      out.add(nt.NtProtectVirtualMemory(NtCurrentProcess, new long[] {a}, new long[] {0x1000},
          PAGE_NOACCESS, old));
      alloc(nt, new long[] {a}, 0, 0x1000, MEM_COMMIT, PAGE_NOACCESS);
      out.add(nt.NtProtectVirtualMemory(NtCurrentProcess, new long[] {a}, new long[] {0x1000},
          PAGE_READONLY, old));
      out.add(old[0]);
      out.add(alloc(nt, new long[] {a}, 0, 0x2000, MEM_COMMIT, PAGE_EXECUTE));
      out.add(nt.NtProtectVirtualMemory(NtCurrentProcess, new long[] {a + 0x1000},
          new long[] {0x2000}, PAGE_READWRITE, old));
      out.add(nt.NtProtectVirtualMemory(NtCurrentProcess, new long[] {a + 0x1000},
          new long[] {0x1000}, PAGE_READWRITE, old));
      out.add(old[0]);
    });
    assertThat(r).containsExactly(NtStatus.STATUS_NOT_COMMITTED, 0, PAGE_NOACCESS, 0,
        NtStatus.STATUS_NOT_COMMITTED, 0, PAGE_EXECUTE);
  }

  @Test
  void queryChecksTheInformationClassAndLength() {
    List<Object> r = collect((nt, out) -> {
      MemoryBasicInformation info = new MemoryBasicInformation();
      out.add(nt.NtQueryVirtualMemory(NtCurrentProcess, 0x10000, 7, info, 28, null));
      out.add(nt.NtQueryVirtualMemory(NtCurrentProcess, 0x10000, 0, info, 27, null));
      long[] length = new long[1];
      out.add(nt.NtQueryVirtualMemory(NtCurrentProcess, 0x10000, 0, info, 28, length));
      out.add(length[0]);
    });
    assertThat(r).containsExactly(NtStatus.STATUS_INVALID_INFO_CLASS,
        NtStatus.STATUS_INFO_LENGTH_MISMATCH, 0, 28L);
  }

  @Test
  void aProcessHandleWithoutVmOperationIsAccessDeniedAndABadHandleInvalidHandle() {
    List<Object> r = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      Ntdll nt = ctx.ntdll();
      long query = k.OpenProcess(Kernel32.PROCESS_QUERY_INFORMATION, false,
          k.GetCurrentProcessId());
      r.add(nt.NtAllocateVirtualMemory(query, new long[1], 0, new long[] {0x1000}, MEM_RESERVE,
          PAGE_READWRITE));
      r.add(nt.NtAllocateVirtualMemory(0x7777, new long[1], 0, new long[] {0x1000}, MEM_RESERVE,
          PAGE_READWRITE));
      return 0;
    });
    assertThat(r).containsExactly(NtStatus.STATUS_ACCESS_DENIED, NtStatus.STATUS_INVALID_HANDLE);
  }
}
