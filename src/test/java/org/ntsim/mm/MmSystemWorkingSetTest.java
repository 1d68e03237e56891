package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolType;
import org.ntsim.hal.MachineConfig;
import org.ntsim.hal.X86Pte;
import org.ntsim.ke.NtStatus;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;

/**
 * Pool pages backed by frames and the system working set ({@link SystemPoolPages}): a pool page
 * gets a frame and a valid system PTE and gives both back, paged pool pages join the system
 * working set, the working set manager trims them under pressure to transition PTEs and a kernel
 * access takes them back with a soft fault, non-paged pool is never trimmed, and available
 * memory counts the pool's frames. White box: system PTEs and PFN entries are read directly, and
 * the full invariant sweep runs after each step.
 */
class MmSystemWorkingSetTest {
  private static final String TAG = "Tst ";
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

  private Pool pool() {
    return sys.os.pool;
  }

  /** Runs {@code work} on a System thread (PASSIVE_LEVEL, kernel mode) and waits for it. */
  private void inSystemThread(Runnable work) {
    boolean[] done = new boolean[1];
    sys.systemThread("pooltest", 8, () -> {
      work.run();
      done[0] = true;
      return 0;
    });
    assertThat(sys.runUntil(() -> done[0], 100 * MS)).as("the system thread finished").isTrue();
    assertThat(sys.os.kernel.bugCheck()).isNull();
  }

  private long allocate(PoolType type, long bytes) {
    long[] va = new long[1];
    inSystemThread(() -> va[0] = pool().allocatePoolWithTag(type, bytes, TAG));
    assertThat(va[0]).as("the pool had room").isNotZero();
    return va[0];
  }

  private void free(long va) {
    inSystemThread(() -> pool().freePoolWithTag(va, org.ntsim.ex.PoolTag.of(TAG)));
  }

  /** The system PTE of {@code va}, read physically through the master directory. */
  private int systemPte(long va) {
    int pde = mm().physicalMemory().readInt(mm().masterPdeAddress(va));
    if (!MmPte.isValid(pde)) {
      return 0;
    }
    return mm().physicalMemory().readInt(((long) X86Pte.frame(pde) << 12)
        + ((va >>> 12) & 0x3FF) * 4);
  }

  @Test
  void aPoolPageIsBackedByAFrameThatItsSystemPteNamesAndFreedBack() {
    sys = TestOs.boot(2);
    long va = allocate(PoolType.NonPagedPool, 2 * Pool.PAGE_SIZE);
    int pte = systemPte(va);
    assertThat(MmPte.isValid(pte)).as("a valid system PTE").isTrue();
    assertThat(pte & X86Pte.OWNER).as("kernel only").isZero();
    assertThat(pte & X86Pte.WRITE).as("writable").isNotZero();
    int frame = X86Pte.frame(pte);
    PfnDatabase pfn = mm().pfnDatabase();
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.ACTIVE);
    assertThat(pfn.pteAddress(frame)).isEqualTo(MmLayout.pteAddress(va));
    assertThat(MmPte.isValid(systemPte(va + Pool.PAGE_SIZE))).as("the second page too").isTrue();
    mm().verify();

    free(va);
    assertThat(systemPte(va)).as("the PTE is cleared").isZero();
    assertThat(systemPte(va + Pool.PAGE_SIZE)).isZero();
    assertThat(pfn.state(frame)).as("the frame is free (or zeroed since)")
        .isIn(PfnDatabase.FREE, PfnDatabase.ZEROED);
    mm().verify();
  }

  @Test
  void pagedPoolPagesEnterTheSystemWorkingSetAndNonPagedOnesDoNot() {
    sys = TestOs.boot(1);
    WorkingSet ws = mm().systemWorkingSet();
    int before = ws.count();
    long paged = allocate(PoolType.PagedPool, 3 * Pool.PAGE_SIZE);
    assertThat(ws.count()).isEqualTo(before + 3);
    for (int i = 0; i < 3; i++) {
      long page = paged + i * (long) Pool.PAGE_SIZE;
      int frame = X86Pte.frame(systemPte(page));
      int index = mm().pfnDatabase().flink(frame);
      assertThat(ws.entry(index)).as("entry %d lists %08x", index, page)
          .isEqualTo((int) (page >>> 12));
    }
    allocate(PoolType.NonPagedPool, 3 * Pool.PAGE_SIZE);
    assertThat(ws.count()).as("non-paged pool is in no working set").isEqualTo(before + 3);
    assertThat(ws.peak()).isGreaterThanOrEqualTo(before + 3);
    free(paged);
    assertThat(ws.count()).isEqualTo(before);
    mm().verify();
  }

  @Test
  void availablePagesCountThePoolsFrames() {
    sys = TestOs.boot(1);
    allocate(PoolType.NonPagedPool, Pool.PAGE_SIZE * 2); // page tables exist from here on
    allocate(PoolType.PagedPool, Pool.PAGE_SIZE * 2);
    PfnDatabase pfn = mm().pfnDatabase();
    int[] seen = new int[5];
    inSystemThread(() -> { // one thread: making another would take pool for its objects
      seen[0] = pfn.availablePages();
      seen[1] = mm().systemPoolPages().framesInUse();
      long a = pool().allocatePoolWithTag(PoolType.NonPagedPool, 5 * Pool.PAGE_SIZE, TAG);
      long b = pool().allocatePoolWithTag(PoolType.PagedPool, 7 * Pool.PAGE_SIZE, TAG);
      seen[2] = pfn.availablePages();
      seen[3] = mm().systemPoolPages().framesInUse();
      pool().freePoolWithTag(a, org.ntsim.ex.PoolTag.of(TAG));
      pool().freePoolWithTag(b, org.ntsim.ex.PoolTag.of(TAG));
      seen[4] = pfn.availablePages();
    });
    assertThat(seen[2]).as("available after taking 12 pages").isEqualTo(seen[0] - 12);
    assertThat(seen[3]).isEqualTo(seen[1] + 12);
    assertThat(seen[4]).as("available after giving them back").isEqualTo(seen[0]);
    mm().verify();
  }

  /**
   * A machine of 8 MB whose non-paged pool holds all but about 100 available pages (below
   * plenty, so memory is tight), with {@code pagedPages} of paged pool and a system working set
   * limited to 2-4 pages; the working set manager has run three passes.
   */
  private long[] underPressure(int pagedPages) {
    MachineConfig c = TestOs.config(1);
    c.memoryBytes = 8L << 20;
    sys = TestOs.boot(c);
    assertThat(mm().setSystemWorkingSetSize(2, 4)).isEqualTo(NtStatus.STATUS_SUCCESS);
    long paged = allocate(PoolType.PagedPool, (long) pagedPages * Pool.PAGE_SIZE);
    int take = mm().pfnDatabase().availablePages() - 100;
    assertThat(take).isPositive();
    long nonPaged = allocate(PoolType.NonPagedPool, (long) take * Pool.PAGE_SIZE);
    assertThat(mm().workingSetManager().memoryTight()).isTrue();
    long passes = mm().workingSetManager().passes();
    assertThat(sys.runUntil(() -> mm().workingSetManager().passes() >= passes + 3, 5_000 * MS))
        .isTrue();
    mm().verify();
    return new long[] {paged, nonPaged, take};
  }

  @Test
  void underPressurePagedPoolPagesAreTrimmedToTransitionAndAKernelAccessSoftFaultsThemBack() {
    long[] r = underPressure(8);
    long paged = r[0];
    WorkingSet ws = mm().systemWorkingSet();
    assertThat(ws.count()).as("trimmed to the minimum").isEqualTo(2);
    long trimmed = -1;
    int inTransition = 0;
    for (int i = 0; i < 8; i++) {
      long page = paged + i * (long) Pool.PAGE_SIZE;
      if (MmPte.isTransition(systemPte(page))) {
        trimmed = trimmed < 0 ? page : trimmed;
        inTransition++;
      }
    }
    assertThat(inTransition).as("of the 8 pages, at most the 2 left are valid")
        .isGreaterThanOrEqualTo(6);
    assertThat(ws.pagesTrimmed()).isGreaterThanOrEqualTo(inTransition);
    assertThat(trimmed).as("a trimmed page").isNotNegative();
    int frame = MmPte.transitionFrame(systemPte(trimmed));
    assertThat(mm().pfnDatabase().state(frame)).as("pool data has no other copy")
        .isEqualTo(PfnDatabase.MODIFIED);

    long page = trimmed;
    int[] read = new int[1];
    inSystemThread(() -> read[0] = mm().kernelAccess().readInt(page + 0x10));
    int pte = systemPte(page);
    assertThat(MmPte.isValid(pte)).as("valid again").isTrue();
    assertThat(X86Pte.frame(pte)).as("the same frame").isEqualTo(frame);
    assertThat(mm().pfnDatabase().state(frame)).isEqualTo(PfnDatabase.ACTIVE);
    assertThat(ws.count()).isEqualTo(3);
    assertThat(mm().systemPoolPages().softFaults()).isEqualTo(1);
    assertThat(sys.events(TraceKind.PAGE_FAULT)).anyMatch(e -> e.a() == page
        && e.b() == PageFaults.KIND_TRANSITION);
    mm().verify();
  }

  @Test
  void nonPagedPoolIsNeverTrimmed() {
    long[] r = underPressure(8);
    long nonPaged = r[1];
    for (long i = 0; i < r[2]; i++) {
      long page = nonPaged + i * Pool.PAGE_SIZE;
      assertThat(MmPte.isValid(systemPte(page))).as("non-paged page %08x stays valid", page)
          .isTrue();
    }
    assertThat(mm().systemPoolPages().nonPagedPages()).isGreaterThanOrEqualTo((int) r[2]);
  }

  @Test
  void freeingATrimmedPagedPoolPageFreesItsFrameFromTheModifiedList() {
    long[] r = underPressure(8);
    int inTransition = 0;
    for (int i = 0; i < 8; i++) {
      if (MmPte.isTransition(systemPte(r[0] + i * (long) Pool.PAGE_SIZE))) {
        inTransition++;
      }
    }
    assertThat(inTransition).isPositive();
    PfnDatabase pfn = mm().pfnDatabase();
    int[] seen = new int[4];
    inSystemThread(() -> {
      seen[0] = pfn.count(PfnDatabase.MODIFIED);
      seen[1] = pfn.availablePages();
      pool().freePoolWithTag(r[0], org.ntsim.ex.PoolTag.of(TAG));
      seen[2] = pfn.count(PfnDatabase.MODIFIED);
      seen[3] = pfn.availablePages();
    });
    assertThat(seen[2]).as("trimmed frames leave the modified list")
        .isEqualTo(seen[0] - inTransition);
    assertThat(seen[3]).as("all 8 frames are available").isEqualTo(seen[1] + 8);
    for (int i = 0; i < 8; i++) {
      assertThat(systemPte(r[0] + i * (long) Pool.PAGE_SIZE)).isZero();
    }
    mm().verify();
  }
}
