package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ex.Pool;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.Kernel;

/**
 * PfnLists, the one writer of the PFN database: each move a frame makes between the lists, and
 * the share and reference counts that decide them (MiInsertPageInList, MiUnlinkPageFromList,
 * MiDecrementShareCount, MiDecrementReferenceCount). White box, on a memory manager with no
 * process: frames are taken and moved by hand, the lists swept after each test.
 */
class PfnListsTest {
  private static final long PTE_VA = 0xC0000040L; // the PTE of 00010000
  private MemoryManager mm;
  private PfnLists lists;
  private PfnDatabase pfn;
  private int table; // a page table frame for the frames under test to name

  @BeforeEach
  void boot() {
    MachineConfig c = new MachineConfig();
    c.memoryBytes = 1 << 20;
    Kernel kernel = new Kernel(new Machine(c));
    mm = new MemoryManager(kernel, new Pool(kernel));
    lists = mm.lists;
    pfn = mm.pfn;
    table = lists.removeAnyPage(PfnDatabase.ACTIVE);
    lists.initializePfn(table, MmLayout.pdeAddress(PTE_VA), mm.systemDirectoryFrame(), 0, false);
  }

  /** A frame mapped by one valid PTE, as a demand-zero fault leaves it: one share, one reference. */
  private int activeFrame() {
    int frame = lists.removeAnyPage(PfnDatabase.ACTIVE);
    lists.initializePfn(frame, PTE_VA, table, MmPte.demandZero(MmPte.MM_READWRITE), false);
    lists.incrementShareCount(table);
    return frame;
  }

  private void sweep() {
    pfn.verifyLists();
  }

  @Test
  void aFreedFrameIsZeroedThenTakenActiveFromTheZeroedList() {
    int frame = activeFrame();
    while (lists.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE) != PfnDatabase.NONE) {
      // every other zeroed frame out of the way
    }
    lists.insertFreePage(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.FREE);
    assertThat(pfn.shareCount(frame) + pfn.referenceCount(frame)).isZero();

    assertThat(lists.removeHead(PfnDatabase.FREE, PfnDatabase.TRANSITION)).isEqualTo(frame);
    lists.insertPage(PfnDatabase.ZEROED, frame); // what the zero page thread does
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.ZEROED);

    assertThat(lists.removeAnyPage(PfnDatabase.ACTIVE)).isEqualTo(frame);
    assertThat(lists.lastPageZeroed()).isTrue();
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.ACTIVE);
    sweep();
  }

  @Test
  void aWrittenFrameWhoseLastShareGoesJoinsTheModifiedList() {
    int frame = activeFrame();
    lists.setModified(frame);
    lists.decrementShareCount(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.MODIFIED);
    assertThat(pfn.shareCount(frame)).isZero();
    assertThat(pfn.referenceCount(frame)).isZero();
    sweep();
  }

  @Test
  void aCleanFrameWhoseLastShareGoesJoinsTheStandbyList() {
    int frame = activeFrame();
    int standby = pfn.count(PfnDatabase.STANDBY);
    lists.decrementShareCount(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.STANDBY);
    assertThat(pfn.count(PfnDatabase.STANDBY)).isEqualTo(standby + 1);
    sweep();
  }

  @Test
  void aSoftFaultTakesAStandbyFrameBackActiveWithOneShareAndOneReference() {
    int frame = activeFrame();
    lists.decrementShareCount(frame);
    lists.resolveTransition(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.ACTIVE);
    assertThat(pfn.shareCount(frame)).isEqualTo(1);
    assertThat(pfn.referenceCount(frame)).isEqualTo(1);
    assertThat(pfn.count(PfnDatabase.STANDBY)).isZero();
    sweep();
  }

  @Test
  void aModifiedFrameOnceWrittenMovesToTheStandbyList() {
    int frame = activeFrame();
    lists.setModified(frame);
    lists.decrementShareCount(frame);
    lists.clearModified(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.STANDBY);
    assertThat(pfn.isModified(frame)).isFalse();
    assertThat(pfn.count(PfnDatabase.MODIFIED)).isZero();
    sweep();
  }

  @Test
  void aReferenceForInPageWorkKeepsADeletedFrameOffTheListsUntilTheWorkEnds() {
    int frame = lists.removeAnyPage(PfnDatabase.TRANSITION);
    lists.initializeReadInProgressPfn(frame, PTE_VA, table, MmPte.demandZero(MmPte.MM_READWRITE));
    int free = pfn.count(PfnDatabase.FREE);
    lists.deletePte(frame); // the page is freed while its frame is being zeroed
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.TRANSITION);
    assertThat(pfn.referenceCount(frame)).isEqualTo(1);
    assertThat(pfn.pteDeleted(frame)).isTrue();
    assertThat(pfn.count(PfnDatabase.FREE)).isEqualTo(free);

    lists.endInPage(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.FREE);
    assertThat(pfn.count(PfnDatabase.FREE)).isEqualTo(free + 1);
    sweep();
  }

  @Test
  void finishedInPageWorkLeavesItsReferenceForTheFaultThatMapsThePage() {
    int frame = lists.removeAnyPage(PfnDatabase.TRANSITION);
    lists.initializeReadInProgressPfn(frame, PTE_VA, table, MmPte.demandZero(MmPte.MM_READWRITE));
    lists.endInPage(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.TRANSITION);
    assertThat(pfn.referenceCount(frame)).isEqualTo(1);
    assertThat(pfn.flags(frame) & PfnDatabase.FLAG_READ_IN_PROGRESS).isZero();

    lists.resolveTransition(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.ACTIVE);
    assertThat(pfn.shareCount(frame)).isEqualTo(1);
    assertThat(pfn.referenceCount(frame)).isEqualTo(1);
    sweep();
  }

  @Test
  void aSharedFrameStaysActiveWhenOneWorkingSetDropsIt() {
    int frame = activeFrame();
    lists.incrementShareCount(frame); // a second PTE maps it
    int listed = pfn.count(PfnDatabase.STANDBY) + pfn.count(PfnDatabase.MODIFIED);
    lists.decrementShareCount(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.ACTIVE);
    assertThat(pfn.shareCount(frame)).isEqualTo(1);
    assertThat(pfn.referenceCount(frame)).isEqualTo(1);
    assertThat(pfn.count(PfnDatabase.STANDBY) + pfn.count(PfnDatabase.MODIFIED))
        .isEqualTo(listed);

    lists.decrementShareCount(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.STANDBY);
    sweep();
  }

  @Test
  void deletingTheOnlyPteOfAnActiveFrameFreesIt() {
    int frame = activeFrame();
    lists.setModified(frame);
    lists.deletePte(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.FREE);
    assertThat(pfn.flags(frame)).isZero();
    sweep();
  }

  @Test
  void deletingTheTransitionPteOfAListedFrameFreesIt() {
    int frame = activeFrame();
    lists.setModified(frame);
    lists.decrementShareCount(frame);
    lists.deletePte(frame);
    assertThat(pfn.state(frame)).isEqualTo(PfnDatabase.FREE);
    assertThat(pfn.count(PfnDatabase.MODIFIED)).isZero();
    sweep();
  }

  @Test
  void aStandbyFrameTakenForAnotherPageRestoresItsOldPte() {
    int frame = activeFrame();
    lists.decrementShareCount(frame);
    while (pfn.count(PfnDatabase.ZEROED) > 0) {
      lists.removeHead(PfnDatabase.ZEROED, PfnDatabase.ACTIVE);
    }
    int tableShares = pfn.shareCount(table);
    assertThat(lists.removeAnyPage(PfnDatabase.ACTIVE)).isEqualTo(frame);
    int pte = mm.memory.readInt(((long) table << 12) | (PTE_VA & 0xFFF));
    assertThat(pte).isEqualTo(MmPte.demandZero(MmPte.MM_READWRITE));
    assertThat(pfn.shareCount(table)).isEqualTo(tableShares - 1);
    assertThat(mm.pagesRepurposed()).isEqualTo(1);
    sweep();
  }

  @Test
  void aShareCountCannotGoBelowZero() {
    int frame = activeFrame();
    lists.decrementShareCount(frame);
    assertThatThrownBy(() -> lists.decrementShareCount(frame))
        .hasMessageContaining("share count is already 0");
  }

  @Test
  void trimmingAndSoftFaultingDoNotAllocate() {
    int frame = activeFrame();
    Runnable churn = () -> {
      for (int i = 0; i < 20_000; i++) {
        lists.setModified(frame);
        lists.decrementShareCount(frame);
        lists.clearModified(frame);
        lists.resolveTransition(frame);
      }
    };
    churn.run();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    threads.getThreadAllocatedBytes(tid);
    long before = threads.getThreadAllocatedBytes(tid);
    churn.run();
    assertThat(threads.getThreadAllocatedBytes(tid) - before).isLessThan(1024);
    sweep();
  }
}
