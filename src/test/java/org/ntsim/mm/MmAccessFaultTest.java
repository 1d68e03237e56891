package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Irql;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.NtStatus;
import org.ntsim.ps.EProcess;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.GuestProgram;
import org.ntsim.win32.Kernel32;
import org.ntsim.win32.TestOs;
import org.ntsim.win32.TestOs.Event;

/**
 * MmAccessFault: each kind of fault (Windows Internals ch. 9, "Page Fault Handling"), the
 * in-page block and collided faults (seed 000, seed 002), and the bug checks of faults the
 * kernel may not take. White box: PTEs, PFN entries and lists are read directly.
 */
class MmAccessFaultTest {
  private static final int RW = Kernel32.PAGE_READWRITE;
  private static final int RESERVE_COMMIT = Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT;
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private MemoryManager mm() {
    return sys.os.mm;
  }

  private EProcess run(GuestProgram program) {
    if (sys == null) {
      sys = TestOs.boot(2);
    }
    EProcess p = sys.runProgram("t.exe", program, 2000 * MS);
    assertThat(p.exitTimeNs()).as("the program ended").isNotNegative();
    return p;
  }

  private List<Event> faults(long kind) {
    List<Event> out = new ArrayList<>();
    for (Event e : sys.events(TraceKind.PAGE_FAULT)) {
      if (e.b() == kind) {
        out.add(e);
      }
    }
    return out;
  }

  /** The faults of {@code kind} outside the PEB and TEB pages (0x7FFD0000 and up). */
  private List<Event> guestFaults(long kind) {
    List<Event> out = new ArrayList<>();
    for (Event e : faults(kind)) {
      if (e.a() < 0x7FFD0000L) {
        out.add(e);
      }
    }
    return out;
  }

  /** The PTE of {@code va} in {@code as}, read physically. */
  private int pteOf(AddressSpace as, long va) {
    int pde = mm().memory.readInt(as.directoryTableBase() + (va >>> 22) * 4);
    if (!MmPte.isValid(pde)) {
      return 0;
    }
    return mm().memory.readInt(((long) X86Pte.frame(pde) << 12) + ((va >>> 12) & 0x3FF) * 4);
  }

  @Test
  void firstTouchMakesThePageTableThenResolvesADemandZeroFaultFromTheZeroedList() {
    long[] va = new long[1];
    int[] before = new int[4];
    int[] after = new int[4];
    int[] value = new int[1];
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      va[0] = k.VirtualAlloc(0, 0x10000, RESERVE_COMMIT, RW);
      AddressSpace as = sys.os.ps.currentProcess().addressSpace();
      before[0] = pteOf(as, va[0]);
      before[1] = mm().pfn.count(PfnDatabase.ZEROED);
      value[0] = ctx.readInt(va[0] + 0x10);
      after[0] = pteOf(as, va[0]);
      after[1] = mm().pfn.count(PfnDatabase.ZEROED);
      return 0;
    });
    assertThat(p.exitStatus()).isZero();
    assertThat(before[0]).as("no page table before the first touch").isZero();
    assertThat(MmPte.isValid(after[0])).isTrue();
    assertThat(value[0]).isZero();
    assertThat(after[0] & X86Pte.OWNER).isNotZero();
    assertThat(before[1] - after[1]).as("a page table and a page").isEqualTo(2);
    // Besides the process's PEB and TEB pages (and their page table), written as its thread
    // started, before the program ran:
    assertThat(guestFaults(PageFaults.KIND_PAGE_TABLE)).hasSize(1);
    List<Event> dz = guestFaults(PageFaults.KIND_DEMAND_ZERO);
    assertThat(dz).hasSize(1);
    assertThat(dz.get(0).a()).isEqualTo(va[0] + 0x10);
    assertThat(dz.get(0).c()).isEqualTo(p.pid());
  }

  @Test
  void aValidPagesFrameNamesItsPteThroughTheSelfMapAndItsPageTable() {
    int[] frame = new int[2];
    long[] va = new long[1];
    run(ctx -> {
      va[0] = ctx.kernel32().VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      ctx.writeInt(va[0], 7);
      AddressSpace as = sys.os.ps.currentProcess().addressSpace();
      frame[0] = X86Pte.frame(pteOf(as, va[0]));
      frame[1] = X86Pte.frame(mm().memory.readInt(as.directoryTableBase() + (va[0] >>> 22) * 4));
      return 0;
    });
    PfnDatabase pfn = mm().pfn;
    // the process has ended: the frames are free again, but the entries were checked live by
    // the invariant sweep after every slice; here check what the fault recorded before exit
    assertThat(pfn.state(frame[0])).isIn(PfnDatabase.FREE, PfnDatabase.ZEROED);
    assertThat(MmLayout.pteAddress(va[0])).isEqualTo(0xC0000000L + (va[0] >>> 10));
  }

  @Test
  void aTrimmedPageComesBackByATransitionFaultWithItsContents() {
    int[] listAfterTrim = new int[1];
    int[] value = new int[1];
    int[] frames = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      ctx.writeInt(va, 0x1234);
      AddressSpace as = sys.os.ps.currentProcess().addressSpace();
      frames[0] = X86Pte.frame(pteOf(as, va));
      k.EmptyWorkingSet(k.GetCurrentProcess());
      int pte = pteOf(as, va);
      assertThat(MmPte.isTransition(pte)).isTrue();
      listAfterTrim[0] = mm().pfn.state(MmPte.transitionFrame(pte));
      value[0] = ctx.readInt(va);
      frames[1] = X86Pte.frame(pteOf(as, va));
      return 0;
    });
    assertThat(listAfterTrim[0]).as("written, no copy elsewhere: the modified list")
        .isEqualTo(PfnDatabase.MODIFIED);
    assertThat(value[0]).isEqualTo(0x1234);
    assertThat(frames[1]).isEqualTo(frames[0]);
    assertThat(faults(PageFaults.KIND_TRANSITION)).hasSize(1);
    assertThat(sys.events(TraceKind.WS_TRIM)).isNotEmpty();
  }

  @Test
  void aResetPageIsTrimmedToTheStandbyList() {
    int[] list = new int[1];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      ctx.writeInt(va, 1);
      k.VirtualAlloc(va, 0x1000, Kernel32.MEM_RESET, Kernel32.PAGE_NOACCESS);
      k.EmptyWorkingSet(k.GetCurrentProcess());
      list[0] = mm().pfn.state(MmPte.transitionFrame(
          pteOf(sys.os.ps.currentProcess().addressSpace(), va)));
      return 0;
    });
    assertThat(list[0]).isEqualTo(PfnDatabase.STANDBY);
  }

  @Test
  void aGuardPageRaisesGuardPageViolationOnceThenIsAnOrdinaryPage() {
    List<Integer> statuses = new ArrayList<>();
    int[] protect = new int[2];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW | Kernel32.PAGE_GUARD);
      MemoryBasicInformation info = new MemoryBasicInformation();
      k.VirtualQuery(va, info, MemoryBasicInformation.SIZE);
      protect[0] = info.Protect;
      try {
        ctx.readInt(va);
        statuses.add(0);
      } catch (GuestException e) {
        statuses.add(e.status());
      }
      ctx.writeInt(va, 5);
      statuses.add(ctx.readInt(va));
      k.VirtualQuery(va, info, MemoryBasicInformation.SIZE);
      protect[1] = info.Protect;
      return 0;
    });
    assertThat(statuses).containsExactly(NtStatus.STATUS_GUARD_PAGE_VIOLATION, 5);
    assertThat(protect[0]).isEqualTo(RW | Kernel32.PAGE_GUARD);
    assertThat(protect[1]).isEqualTo(RW);
    assertThat(faults(PageFaults.KIND_GUARD)).hasSize(1);
  }

  @Test
  void guardOnAResidentPageKeepsItsContents() {
    List<Integer> seen = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      ctx.writeInt(va, 99);
      int[] old = new int[1];
      k.VirtualProtect(va, 0x1000, RW | Kernel32.PAGE_GUARD, old);
      try {
        ctx.readInt(va);
      } catch (GuestException e) {
        seen.add(e.status());
      }
      seen.add(ctx.readInt(va));
      return 0;
    });
    assertThat(seen).containsExactly(NtStatus.STATUS_GUARD_PAGE_VIOLATION, 99);
  }

  @Test
  void touchingReservedMemoryEndsTheProcessWithAnAccessViolation() {
    EProcess p = run(ctx -> {
      long va = ctx.kernel32().VirtualAlloc(0, 0x1000, Kernel32.MEM_RESERVE, RW);
      ctx.readInt(va);
      return 0;
    });
    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(faults(PageFaults.KIND_ACCESS_VIOLATION)).hasSize(1);
    assertThat(sys.os.machine.stopped()).as("the machine goes on").isFalse();
  }

  @Test
  void accessViolationsForEachKindOfForbiddenAccess() {
    List<Integer> statuses = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long ro = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, Kernel32.PAGE_READONLY);
      long na = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, Kernel32.PAGE_NOACCESS);
      Runnable[] attempts = {
          () -> ctx.writeInt(ro, 1),                 // write to read-only
          () -> ctx.readInt(na),                     // read of no-access
          () -> ctx.readInt(0),                      // NULL
          () -> ctx.readInt(0x80001000L),            // system space from user mode
          () -> ctx.readInt(MmLayout.PDE_BASE),      // the page directory from user mode
          () -> ctx.readInt(0x7FFF0000L),            // the no-access area below 2 GiB
          () -> ctx.readInt(0x1_0000_0000L),         // beyond 32 bits
      };
      for (Runnable r : attempts) {
        try {
          r.run();
          statuses.add(0);
        } catch (GuestException e) {
          statuses.add(e.status());
        }
      }
      statuses.add(ctx.readInt(ro)); // reading read-only memory is fine
      return 0;
    });
    assertThat(statuses).hasSize(8);
    assertThat(statuses.subList(0, 7)).allMatch(s -> s == NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(statuses.get(7)).isZero();
  }

  @Test
  void aSecondThreadFaultingOnAPageBeingZeroedWaitsForTheFirstFault() {
    MachineConfig c = TestOs.config(2);
    c.cost.zeroPageNs = 200_000; // longer than a slice, so the other CPU runs mid-fault
    sys = TestOs.boot(c);
    // every frame to the free list: a demand-zero fault must zero its page itself
    int old = mm().lock();
    int frame;
    while ((frame = mm().pfn.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE))
        != PfnDatabase.NONE) {
      mm().pfn.clear(frame); // straight to the free list: the zero page thread is not woken
      mm().pfn.insertTail(PfnDatabase.FREE, frame);
    }
    mm().unlock(old);
    long[] va = new long[1];
    int[] seen = new int[2];
    EProcess p = run(ctx -> {
      Kernel32 k = ctx.kernel32();
      k.SetThreadAffinityMask(k.GetCurrentThread(), 1);
      va[0] = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      ctx.readInt(va[0] + 0x800); // page table made now, outside the race
      long second = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      long go = k.CreateEventW(null, true, false, null);
      long helper = k.CreateThread(null, 0, x -> {
        k.SetThreadAffinityMask(k.GetCurrentThread(), 2);
        k.WaitForSingleObject(go, Kernel32.INFINITE);
        seen[1] = ctx.readInt(second + 4); // while the main thread zeroes the page
        return 0;
      }, 0, 0, null);
      k.Sleep(1);
      k.SetEvent(go);
      seen[0] = ctx.readInt(second);
      k.WaitForSingleObject(helper, Kernel32.INFINITE);
      return 0;
    });
    assertThat(p.exitStatus()).isZero();
    assertThat(faults(PageFaults.KIND_COLLIDED)).hasSize(1);
    assertThat(mm().faults().collidedFaults()).isEqualTo(1);
    assertThat(seen).containsExactly(0, 0);
    assertThat(mm().pagesZeroedInline()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aFaultAtDispatchLevelInKernelCodeIsIrqlNotLessOrEqual() {
    sys = TestOs.boot(1);
    sys.systemThread("kernel", 8, () -> {
      sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      mm().kernelAccess().readInt(0x00400000L);
      return 0;
    });
    sys.runFor(5 * MS);
    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc).isNotNull();
    assertThat(bc.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(bc.p1()).isEqualTo(0x00400000L);
    assertThat(bc.p2()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(bc.p3()).as("a read").isZero();
  }

  @Test
  void aDriverDpcTouchingAnInvalidAddressIsDriverIrqlNotLessOrEqual() {
    sys = TestOs.boot(1);
    Kdpc dpc = sys.os.kernel.initializeDpc("mydriver!Dpc", (d, ctx, a1, a2) ->
        mm().driverAccess().writeInt(0xE1234000L, 1), null, sys.os.kernel.staticAddress(0x20));
    sys.systemThread("driver", 8, () -> {
      sys.os.kernel.insertQueueDpc(dpc, null, null);
      sys.compute(MS);
      return 0;
    });
    sys.runFor(5 * MS);
    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc.code()).isEqualTo(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    assertThat(bc.p1()).isEqualTo(0xE1234000L);
    assertThat(bc.p2()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(bc.p3()).as("a write").isEqualTo(1);
  }

  @Test
  void aKernelReadOfAnInvalidSystemAddressIsPageFaultInNonpagedArea() {
    sys = TestOs.boot(1);
    sys.systemThread("kernel", 8, () -> {
      mm().kernelAccess().readInt(0xE1000000L);
      return 0;
    });
    sys.runFor(5 * MS);
    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc.code()).isEqualTo(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA);
    assertThat(bc.p1()).isEqualTo(0xE1000000L);
    assertThat(bc.p2()).isZero();
  }

  @Test
  void theKernelReadsThePageDirectoryThroughTheSelfMap() {
    sys = TestOs.boot(1);
    int[] seen = new int[2];
    long[] dirBase = new long[1];
    sys.systemThread("kernel", 8, () -> {
      dirBase[0] = sys.os.machine.activeCpu().mmu.directoryBase();
      seen[0] = mm().kernelAccess().readInt(0xC0300C00L); // PDE 0x300: the directory itself
      seen[1] = mm().kernelAccess().readInt(0xC0300000L + 0x300 * 4); // the same, as a PTE
      return 0;
    });
    sys.runFor(5 * MS);
    assertThat(sys.os.kernel.bugCheck()).isNull();
    assertThat((long) X86Pte.frame(seen[0]) << 12).isEqualTo(dirBase[0]);
    assertThat(seen[1]).isEqualTo(seen[0]);
  }

  @Test
  void aNewPageTableIsCheckedAgainstTheVadsNotMadeForAnUnreservedAddress() {
    EProcess p = run(ctx -> {
      ctx.writeInt(0x00500000L, 1);
      return 0;
    });
    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(faults(PageFaults.KIND_PAGE_TABLE)).noneMatch(e -> e.a() == 0x00500000L);
  }

  @Test
  void theZeroPageThreadZeroesFreedPagesWhenTheProcessorsIdle() {
    sys = TestOs.boot(1);
    int zeroedBefore = mm().pfn.count(PfnDatabase.ZEROED);
    int poolBefore = mm().systemPoolPages().framesInUse();
    run(ctx -> {
      long va = ctx.kernel32().VirtualAlloc(0, 0x20000, RESERVE_COMMIT, RW);
      for (int i = 0; i < 32; i++) {
        ctx.writeInt(va + i * 0x1000L, i + 1);
      }
      ctx.kernel32().VirtualFree(va, 0, Kernel32.MEM_RELEASE);
      return 0;
    });
    sys.runFor(10 * MS);
    assertThat(mm().pagesZeroedByThread()).isGreaterThanOrEqualTo(32);
    assertThat(mm().pfn.count(PfnDatabase.FREE)).isZero();
    int poolGrowth = mm().systemPoolPages().framesInUse() - poolBefore;
    assertThat(mm().pfn.count(PfnDatabase.ZEROED)).as("all but the directory and hyperspace page"
        + " table the process object keeps, and pool pages it and its objects took")
        .isEqualTo(zeroedBefore - 2 - poolGrowth);
  }

  @Test
  void eachAddressSpaceHasItsOwnHyperspacePageTableThatHoldsNothingBetweenUses() {
    // Seed 004's x86 layout: hyperspace at C0400000 (PDE 0x301) is per process; the zero page
    // thread zeroes through a slot there and a new directory is filled in through another.
    sys = TestOs.boot(1);
    long[] hyperspacePte = {-1};
    EProcess p = run(ctx -> {
      AddressSpace as = sys.os.ps.currentProcess().addressSpace();
      hyperspacePte[0] = pteOf(as, MmLayout.HYPER_MAP_VA) | pteOf(as, MmLayout.HYPER_ZERO_VA);
      long va = ctx.kernel32().VirtualAlloc(0, 0x20000, RESERVE_COMMIT, RW);
      for (int i = 0; i < 32; i++) {
        ctx.writeInt(va + i * 0x1000L, i + 1);
      }
      ctx.kernel32().VirtualFree(va, 0, Kernel32.MEM_RELEASE);
      return 0;
    });
    sys.runFor(10 * MS);
    AddressSpace system = mm().systemAddressSpace();
    AddressSpace own = p.addressSpace();
    long offset = MmLayout.HYPER_SPACE_INDEX * 4L;
    int systemPde = mm().memory.readInt(system.directoryTableBase() + offset);
    int ownPde = mm().memory.readInt(own.directoryTableBase() + offset);
    assertThat(MmPte.isValid(systemPde) && MmPte.isValid(ownPde)).isTrue();
    assertThat(X86Pte.frame(ownPde)).as("not the System process's").isNotEqualTo(
        X86Pte.frame(systemPde));
    assertThat(hyperspacePte[0]).as("no slot mapped while the process runs").isZero();
    assertThat(mm().pagesZeroedByThread()).isGreaterThanOrEqualTo(32);
    assertThat(sys.os.machine.cpu(0).mmu.cached(MmLayout.HYPER_ZERO_VA))
        .as("the zeroing slot's TLB entry is gone with its mapping").isFalse();
    mm().verify(); // every hyperspace PTE is zero
  }

  @Test
  void anEndedProcessGivesBackEveryPageAndItsCommit() {
    sys = TestOs.boot(1);
    sys.runFor(MS);
    int available = mm().pfn.availablePages();
    int poolBefore = mm().systemPoolPages().framesInUse();
    long commit = mm().commitTotal();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x100000, RESERVE_COMMIT, RW);
      for (int i = 0; i < 256; i += 3) {
        ctx.writeByte(va + i * 0x1000L, (byte) i);
      }
      k.EmptyWorkingSet(k.GetCurrentProcess());
      ctx.readByte(va);
      k.VirtualAlloc(0, 0x10000, Kernel32.MEM_RESERVE, RW);
      return 0;
    });
    sys.runFor(MS);
    assertThat(mm().commitTotal()).isEqualTo(commit);
    int poolGrowth = mm().systemPoolPages().framesInUse() - poolBefore;
    assertThat(mm().pfn.availablePages()).as("a page directory and its hyperspace page table are"
        + " held while the process object lives, and the pool pages of its objects")
        .isEqualTo(available - 2 - poolGrowth);
  }

  @Test
  void aProtectionChangeOnAPageTheTlbCachesTakesEffectAtOnce() {
    List<Integer> statuses = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      ctx.writeInt(va, 1); // cached writable in this CPU's TLB
      k.VirtualProtect(va, 0x1000, Kernel32.PAGE_READONLY, new int[1]);
      try {
        ctx.writeInt(va, 2);
        statuses.add(0);
      } catch (GuestException e) {
        statuses.add(e.status());
      }
      statuses.add(ctx.readInt(va));
      return 0;
    });
    assertThat(statuses).containsExactly(NtStatus.STATUS_ACCESS_VIOLATION, 1);
  }

  @Test
  void changingAPageAnotherProcessorCachesShootsItDown() {
    sys = TestOs.boot(2);
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 0x1000, RESERVE_COMMIT, RW);
      boolean[] stop = new boolean[1];
      long spinner = k.CreateThread(null, 0, x -> {
        k.SetThreadAffinityMask(k.GetCurrentThread(), 2);
        while (!stop[0]) {
          ctx.readInt(va);
          ctx.compute(1000);
        }
        return 0;
      }, 0, 0, null);
      k.SetThreadAffinityMask(k.GetCurrentThread(), 1);
      ctx.writeInt(va, 1);
      k.Sleep(1);
      k.VirtualFree(va, 0x1000, Kernel32.MEM_DECOMMIT);
      stop[0] = true;
      k.WaitForSingleObject(spinner, Kernel32.INFINITE);
      return 0;
    });
    List<Event> shootdowns = sys.events(TraceKind.TLB_SHOOTDOWN);
    assertThat(shootdowns).isNotEmpty();
    assertThat(shootdowns.get(0).b()).as("processor 1").isEqualTo(2);
    assertThat(mm().tlbShootdowns()).isPositive();
  }

  /** Maps a global page at system address {@code va} in the boot directory; returns its frame. */
  private int mapSystemPage(long va, int contents) {
    int table = mm().lists.removeZeroPage(PfnDatabase.ACTIVE);
    long master = (long) mm().systemDirectoryFrame() << 12;
    mm().memory.writeInt(master + (va >>> 22) * 4,
        X86Pte.make(table, X86Pte.WRITE | X86Pte.ACCESSED | X86Pte.DIRTY));
    mm().lists.initializePfn(table, MmLayout.pdeAddress(va), mm().systemDirectoryFrame(), 0,
        false);
    int page = mm().lists.removeZeroPage(PfnDatabase.ACTIVE);
    mm().memory.writeInt(((long) table << 12) + ((va >>> 12) & 0x3FF) * 4,
        X86Pte.make(page, X86Pte.WRITE | X86Pte.GLOBAL));
    mm().lists.initializePfn(page, MmLayout.pteAddress(va), table, 0, false);
    mm().lists.incrementShareCount(table);
    mm().memory.writeInt((long) page << 12, contents);
    return page;
  }

  @Test
  void aCr3LoadFlushesNonGlobalEntriesAndKeepsGlobalOnes() {
    sys = TestOs.boot(1);
    long va = 0xE8001000L; // a TLB slot of its own
    mapSystemPage(va, 1);
    var mmu = sys.os.machine.cpu(0).mmu;
    long master = (long) mm().systemDirectoryFrame() << 12;
    EProcess p = sys.process("other.exe");
    int old = mm().lock();
    try {
      mmu.loadDirectoryBase(master);
      assertThat(mmu.translate(va, false, false)).isNotEqualTo(-1);
      assertThat(mmu.translate(MmLayout.PDE_BASE, false, false)).isNotEqualTo(-1);
      mmu.loadDirectoryBase(p.addressSpace().directoryTableBase());
      assertThat(mmu.cached(MmLayout.PDE_BASE)).as("non-global entries go").isFalse();
      assertThat(mmu.cached(va)).as("global entries stay").isTrue();
      mmu.loadDirectoryBase(master);
    } finally {
      mm().unlock(old);
    }
  }

  @Test
  void kernelPdesMadeLaterReachAProcessByAFaultThatCopiesThem() {
    sys = TestOs.boot(1);
    EProcess p = sys.process("late.exe");
    long va = 0xE8000000L;
    mapSystemPage(va, 0x5A5A5A5A); // after the process was created: its directory lacks the PDE
    int[] seen = new int[1];
    sys.thread(p, "reader", 8, () -> {
      seen[0] = mm().kernelAccess().readInt(va);
      return 0;
    });
    sys.runFor(5 * MS);
    assertThat(sys.os.kernel.bugCheck()).isNull();
    assertThat(seen[0]).isEqualTo(0x5A5A5A5A);
    assertThat(faults(PageFaults.KIND_SYSTEM_PDE)).hasSize(1);
  }

  @Test
  void pteAndPdeAddressesOfSeed004Slides28To30() {
    assertThat(MmLayout.pteAddress(0xE4321000L)).isEqualTo(0xC0390C84L);
    assertThat(MmLayout.pdeAddress(0xE4321000L)).isEqualTo(0xC0300E40L);
    assertThat(MmLayout.pdeAddress(0xC0300000L)).isEqualTo(0xC0300C00L);
    assertThat(MmLayout.pteAddress(0xC0300000L)).isEqualTo(0xC0300C00L);
    assertThat(MmLayout.virtualAddressOfPte(0xC0390C84L)).isEqualTo(0xE4321000L);
  }

  @Test
  void trimmingManyPagesShootsThemDownWithOneIpiPerProcessor() {
    sys = TestOs.boot(2);
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long va = k.VirtualAlloc(0, 100 * 4096L, RESERVE_COMMIT, RW);
      for (int i = 0; i < 100; i++) {
        ctx.writeInt(va + i * 4096L, i);
      }
      boolean[] stop = new boolean[1];
      long spinner = k.CreateThread(null, 0, x -> {
        k.SetThreadAffinityMask(k.GetCurrentThread(), 2);
        while (!stop[0]) {
          ctx.compute(1000);
        }
        return 0;
      }, 0, 0, null);
      k.SetThreadAffinityMask(k.GetCurrentThread(), 1);
      k.Sleep(1);
      k.EmptyWorkingSet(k.GetCurrentProcess());
      stop[0] = true;
      k.WaitForSingleObject(spinner, Kernel32.INFINITE);
      return 0;
    });
    List<Event> trims = sys.events(TraceKind.WS_TRIM);
    assertThat(trims).isNotEmpty();
    long trimAt = trims.get(trims.size() - 1).timeNs();
    long shootdownsAtTrim = sys.events(TraceKind.TLB_SHOOTDOWN).stream()
        .filter(e -> Math.abs(e.timeNs() - trimAt) < 100_000 && MmLayout.isUserAddress(e.a()))
        .count();
    // the 100 pages written, the PEB and the two threads' TEBs
    assertThat(trims.get(trims.size() - 1).b()).isEqualTo(103);
    assertThat(shootdownsAtTrim).isEqualTo(1);
  }
}
