package org.ntsim.ex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ex.PoolType.NonPagedPool;
import static org.ntsim.ex.PoolType.PagedPool;

import org.junit.jupiter.api.Test;
import org.ntsim.hal.Irql;
import org.ntsim.ke.BugCheck;

/**
 * Bug check 0xC2, BAD_POOL_CALLER, with the parameters the bug check reference gives for each
 * caller error ntsim detects. Parameter 1 names the error; a stop records the four parameters
 * and halts the machine.
 */
class BadPoolCallerTest {
  private final PoolTestSupport sys = new PoolTestSupport();
  private final Pool pool = sys.pool;
  private final int even = PoolTag.of("Even");

  private static void assertStop(BugCheck bc, long p1, long p2, long p3, long p4) {
    assertThat(bc.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(new long[] {bc.p1(), bc.p2(), bc.p3(), bc.p4()})
        .containsExactly(p1, p2, p3, p4);
  }

  @Test
  void secondFreeOfABlockIs7WithItsHeaderAndAddress() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    int header = sys.blockOf(a).header();
    pool.freePoolWithTag(a, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a, even));
    assertStop(bc, 0x7, 0, PoolHeader.asFree(header) & 0xFFFFFFFFL, a);
    assertThat(PoolHeader.blockSize((int) bc.p3())).isEqualTo(0x28 / 8);
    assertThat(PoolHeader.poolTypeField((int) bc.p3())).isZero();
  }

  @Test
  void secondFreeAfterTheBlockWasMergedAndItsPageReleasedIsStill7() {
    long a = pool.allocatePoolWithTag(PagedPool, 0x20, even);
    pool.freePoolWithTag(a, even); // merges with the rest of the page, which goes back
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a, 0));
    assertThat(bc.p1()).isEqualTo(0x7);
    assertThat(bc.p4()).isEqualTo(a);
  }

  @Test
  void freeWithAnotherTagIsAWithBothTags() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    int muta = PoolTag.of("Muta");
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a, muta));
    assertStop(bc, 0xA, a, even, muta);
  }

  @Test
  void exFreePoolOfAProtectedAllocationIsA() {
    int protectedTag = even | PoolTag.PROTECTED_POOL;
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x20, protectedTag);
    BugCheck bc = sys.stopOf(() -> pool.freePool(a));
    assertStop(bc, 0xA, a, protectedTag & 0xFFFFFFFFL, 0);
  }

  @Test
  void freeWithTheWrongTagOfALargeAllocationIsA() {
    long a = pool.allocatePoolWithTag(PagedPool, 3 * Pool.PAGE_SIZE, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a, PoolTag.of("Sema")));
    assertThat(bc.p1()).isEqualTo(0xA);
    assertThat(bc.p2()).isEqualTo(a);
  }

  @Test
  void freeOfAnAddressInsideABlockIs99() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x40, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a + 0x10, even));
    assertStop(bc, 0x99, a + 0x10, 0, 0);
  }

  @Test
  void freeOfAnUnalignedAddressIs99() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x40, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a + 1, even));
    assertStop(bc, 0x99, a + 1, 0, 0);
  }

  @Test
  void freeOfAPoolHeaderAddressIs99() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x40, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a - 8, even));
    assertStop(bc, 0x99, a - 8, 0, 0);
  }

  @Test
  void freeOfAUserAddressIs40WithTheSystemRangeStart() {
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(0x00401000L, even));
    assertStop(bc, 0x40, 0x00401000L, 0x80000000L, 0);
  }

  @Test
  void freeOfASystemAddressInNoPoolIs42() {
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(0xC0300000L, even));
    assertStop(bc, 0x42, 0xC0300000L, 0, 0);
  }

  @Test
  void freeOfAnUnallocatedNonPagedPageIs44() {
    long page = Pool.NONPAGED_POOL_START + 5 * Pool.PAGE_SIZE;
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(page, even));
    assertStop(bc, 0x44, page, 0, 0);
  }

  @Test
  void secondFreeOfALargeNonPagedAllocationIs44() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 2 * Pool.PAGE_SIZE, even);
    pool.freePoolWithTag(a, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a, even));
    assertStop(bc, 0x44, a, 0, 0);
  }

  @Test
  void freeOfAnUnallocatedPagedPageIs50WithItsOffsetAndThePoolSize() {
    long page = Pool.PAGED_POOL_START + 7 * Pool.PAGE_SIZE;
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(page, even));
    assertStop(bc, 0x50, page, 7, Pool.PAGED_POOL_END - Pool.PAGED_POOL_START);
  }

  @Test
  void freeOfAPageInsideALargePagedAllocationIs41286() {
    long a = pool.allocatePoolWithTag(PagedPool, 3 * Pool.PAGE_SIZE, even);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a + Pool.PAGE_SIZE, even));
    assertStop(bc, 0x41286, 0, 0, 1);
  }

  @Test
  void zeroByteRequestIs0WithPoolTypeAndTag() {
    BugCheck bc = sys.stopOf(() -> pool.allocatePoolWithTag(PagedPool, 0, even));
    assertStop(bc, 0x0, 0, PagedPool.value, even);
  }

  @Test
  void tagOfZeroIs9B() {
    BugCheck bc = sys.stopOf(() -> pool.allocatePoolWithTag(NonPagedPool, 0x30, 0));
    assertStop(bc, 0x9B, NonPagedPool.value, 0x30, 0);
  }

  @Test
  void tagWithoutLettersOrDigitsIs9D() {
    int tag = PoolTag.of("-+-+");
    BugCheck bc = sys.stopOf(() -> pool.allocatePoolWithTag(PagedPool, 0x30, tag));
    assertStop(bc, 0x9D, tag, PagedPool.value, 0);
  }

  @Test
  void pagedAllocationAboveApcLevelIs8() {
    sys.machine.activeCpu().setIrql(Irql.DISPATCH_LEVEL);
    BugCheck bc = sys.stopOf(() -> pool.allocatePoolWithTag(PagedPool, 0x30, even));
    assertStop(bc, 0x8, Irql.DISPATCH_LEVEL, PagedPool.value, 0x30);
  }

  @Test
  void nonPagedAllocationAtDispatchLevelIsAllowed() {
    sys.machine.activeCpu().setIrql(Irql.DISPATCH_LEVEL);
    assertThat(pool.allocatePoolWithTag(NonPagedPool, 0x30, even)).isNotZero();
    assertThat(sys.kernel.bugCheck()).isNull();
  }

  @Test
  void nonPagedAllocationAboveDispatchLevelIs8() {
    sys.machine.activeCpu().setIrql(Irql.CLOCK_LEVEL);
    BugCheck bc = sys.stopOf(() -> pool.allocatePoolWithTag(NonPagedPool, 0x30, even));
    assertStop(bc, 0x8, Irql.CLOCK_LEVEL, NonPagedPool.value, 0x30);
  }

  @Test
  void pagedFreeAboveApcLevelIs9WithTheAddress() {
    long a = pool.allocatePoolWithTag(PagedPool, 0x30, even);
    sys.machine.activeCpu().setIrql(Irql.DISPATCH_LEVEL);
    BugCheck bc = sys.stopOf(() -> pool.freePoolWithTag(a, even));
    assertStop(bc, 0x9, Irql.DISPATCH_LEVEL, PagedPool.value, a);
  }

  @Test
  void aRefusedFreeChangesNothing() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x30, even);
    sys.stopOf(() -> pool.freePoolWithTag(a, PoolTag.of("Muta")));
    assertThat(pool.allocationTag(a)).isEqualTo(even);
    assertThat(pool.allocationsInUse(NonPagedPool)).isEqualTo(1);
    pool.verify();
  }
}
