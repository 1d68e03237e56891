package org.ntsim.hal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The x86 MMU: the two-level walk over entries in physical memory, accessed and dirty bits
 * written back, user/kernel and write checks on the AND of PDE and PTE, page faults with CR2
 * and the error code, the TLB (hits, INVLPG, CR3 loads keeping global entries), and a hit path
 * that does not allocate. Page tables are built by hand: directory in frame 1, a table in 2.
 */
class X86MmuTest {
  private Machine machine;
  private PhysicalMemory memory;
  private Mmu mmu;

  @BeforeEach
  void setUp() {
    MachineConfig c = new MachineConfig();
    c.memoryBytes = 1 << 20;
    machine = new Machine(c);
    memory = machine.memory;
    mmu = machine.cpu(0).mmu;
    memory.writeInt(0x1000 + 1 * 4, X86Pte.make(2, X86Pte.WRITE | X86Pte.OWNER)); // 00400000
    mmu.loadDirectoryBase(0x1000);
  }

  private void mapPage(long va, int frame, int flags) {
    memory.writeInt(0x2000 + ((va >>> 12) & 0x3FF) * 4, X86Pte.make(frame, flags));
  }

  @Test
  void aWalkTranslatesAndSetsAccessedAndDirtyInMemory() {
    mapPage(0x00401000L, 5, X86Pte.WRITE | X86Pte.OWNER);
    assertThat(mmu.translate(0x00401234L, false, true)).isEqualTo(0x5234L);
    int pte = memory.readInt(0x2000 + 4);
    assertThat(pte & X86Pte.ACCESSED).isNotZero();
    assertThat(pte & X86Pte.DIRTY).isZero();
    assertThat(memory.readInt(0x1004) & X86Pte.ACCESSED).as("the PDE too").isNotZero();
    assertThat(mmu.translate(0x00401238L, true, true)).isEqualTo(0x5238L);
    assertThat(memory.readInt(0x2000 + 4) & X86Pte.DIRTY).as("first write").isNotZero();
  }

  @Test
  void aNotPresentEntryFaultsWithTheAddressAndErrorCode() {
    assertThat(mmu.translate(0x00402010L, true, true)).isEqualTo(Mmu.FAULT);
    assertThat(mmu.faultAddress()).isEqualTo(0x00402010L);
    assertThat(mmu.faultErrorCode()).isEqualTo(X86Pte.FAULT_WRITE | X86Pte.FAULT_USER);
    assertThat(mmu.translate(0x00800000L, false, false)).as("no page table").isEqualTo(Mmu.FAULT);
    assertThat(mmu.faultErrorCode()).isZero();
  }

  @Test
  void userAndWriteChecksUseBothLevelsAndKernelWritesToReadOnlyPagesFault() {
    mapPage(0x00401000L, 5, X86Pte.WRITE); // kernel page
    mapPage(0x00402000L, 6, X86Pte.OWNER); // read-only user page
    assertThat(mmu.translate(0x00401000L, false, true)).isEqualTo(Mmu.FAULT);
    assertThat(mmu.faultErrorCode()).isEqualTo(X86Pte.FAULT_PROTECTION | X86Pte.FAULT_USER);
    assertThat(mmu.translate(0x00401000L, true, false)).isEqualTo(0x5000L);
    assertThat(mmu.translate(0x00402000L, false, true)).isEqualTo(0x6000L);
    assertThat(mmu.translate(0x00402000L, true, false)).as("CR0.WP").isEqualTo(Mmu.FAULT);
    memory.writeInt(0x1004, X86Pte.make(2, X86Pte.OWNER)); // the PDE read-only
    mmu.flushAll();
    mapPage(0x00403000L, 7, X86Pte.WRITE | X86Pte.OWNER);
    assertThat(mmu.translate(0x00403000L, true, true)).isEqualTo(Mmu.FAULT);
  }

  @Test
  void theTlbServesHitsUntilInvalidated() {
    mapPage(0x00401000L, 5, X86Pte.WRITE | X86Pte.OWNER);
    mmu.translate(0x00401000L, true, true);
    long misses = mmu.tlbMisses();
    mapPage(0x00401000L, 9, X86Pte.WRITE | X86Pte.OWNER); // changed without INVLPG
    assertThat(mmu.translate(0x00401000L, true, true)).as("stale, as on x86").isEqualTo(0x5000L);
    assertThat(mmu.tlbMisses()).isEqualTo(misses);
    mmu.invalidatePage(0x00401000L);
    assertThat(mmu.translate(0x00401000L, true, true)).isEqualTo(0x9000L);
  }

  @Test
  void aCr3LoadFlushesAllButGlobalEntries() {
    mapPage(0x00401000L, 5, X86Pte.WRITE | X86Pte.OWNER);
    mapPage(0x00405000L, 6, X86Pte.WRITE | X86Pte.GLOBAL);
    mmu.translate(0x00401000L, false, true);
    mmu.translate(0x00405000L, false, false);
    assertThat(mmu.loadDirectoryBase(0x3000)).isTrue();
    assertThat(mmu.cached(0x00401000L)).isFalse();
    assertThat(mmu.cached(0x00405000L)).isTrue();
    assertThat(mmu.loadDirectoryBase(0x3000)).as("same CR3: nothing flushed").isFalse();
  }

  @Test
  void aWriteThroughACleanTlbEntryWalksToSetTheDirtyBit() {
    mapPage(0x00401000L, 5, X86Pte.WRITE | X86Pte.OWNER);
    mmu.translate(0x00401000L, false, true);
    long misses = mmu.tlbMisses();
    mmu.translate(0x00401000L, true, true);
    assertThat(mmu.tlbMisses()).isEqualTo(misses + 1);
    assertThat(memory.readInt(0x2004) & X86Pte.DIRTY).isNotZero();
  }

  @Test
  void theHitPathDoesNotAllocate() {
    mapPage(0x00401000L, 5, X86Pte.WRITE | X86Pte.OWNER);
    mmu.translate(0x00401000L, true, true);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    long sum = 0;
    for (int i = 0; i < 100_000; i++) {
      sum += mmu.translate(0x00401000L + (i & 0xFFC), true, true);
    }
    threads.getThreadAllocatedBytes(tid);
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 200_000; i++) {
      sum += mmu.translate(0x00401000L + (i & 0xFFC), i % 2 == 0, true);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertThat(sum).isPositive();
    assertThat(allocated).isLessThan(1024);
  }
}
