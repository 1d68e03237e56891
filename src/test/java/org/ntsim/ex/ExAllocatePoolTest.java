package org.ntsim.ex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ex.PoolType.NonPagedPool;
import static org.ntsim.ex.PoolType.PagedPool;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ExAllocatePoolWithTag and ExFreePoolWithTag as the seed describes the x86 pool: blocks of
 * 8-byte granularity behind an 8-byte POOL_HEADER under a page, whole pages from a page up,
 * usage counted per tag.
 */
class ExAllocatePoolTest {
  private final PoolTestSupport sys = new PoolTestSupport();
  private final Pool pool = sys.pool;
  private final int even = PoolTag.of("Even");

  @Test
  void firstAllocationFollowsItsHeaderAtTheStartOfNonPagedPool() {
    assertThat(pool.allocatePoolWithTag(NonPagedPool, 0x10, even))
        .isEqualTo(Pool.NONPAGED_POOL_START + 8);
  }

  @Test
  void pagedAllocationsComeFromThePagedRange() {
    long a = pool.allocatePoolWithTag(PagedPool, 0x10, even);
    assertThat(a).isEqualTo(Pool.PAGED_POOL_START + 8);
    assertThat(pool.page(a).type()).isEqualTo(PagedPool);
  }

  @Test
  void blockSizeIsTheRequestPlusHeaderRoundedUpTo8Bytes() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 1, even);
    long b = pool.allocatePoolWithTag(NonPagedPool, 9, even);
    long c = pool.allocatePoolWithTag(NonPagedPool, 16, even);
    assertThat(sys.blockOf(a).sizeBytes()).isEqualTo(0x10);
    assertThat(sys.blockOf(b).sizeBytes()).isEqualTo(0x18);
    assertThat(sys.blockOf(c).sizeBytes()).isEqualTo(0x18);
    assertThat(b - a).isEqualTo(0x10);
    assertThat(c - b).isEqualTo(0x18);
  }

  @Test
  void headerHoldsPreviousSizeIndexBlockSizeTypeAndTag() {
    long first = pool.allocatePoolWithTag(PagedPool, 0x20, even);
    long second = pool.allocatePoolWithTag(PagedPool, 0x30, PoolTag.of("Muta"));
    Pool.PoolBlock b = sys.blockOf(second);
    int header = b.header();
    assertThat(b.address()).isEqualTo(second - 8);
    assertThat(PoolHeader.previousSize(header)).isEqualTo(0x28 / 8);
    assertThat(PoolHeader.poolIndex(header)).isEqualTo(1);
    assertThat(PoolHeader.blockSize(header)).isEqualTo(0x38 / 8);
    assertThat(PoolHeader.poolTypeField(header)).isEqualTo(PagedPool.value + 1);
    assertThat(b.tag()).isEqualTo(0x6174754D); // 'atuM'
    assertThat(PoolHeader.previousSize(sys.blockOf(first).header())).isZero();
  }

  @Test
  void nonPagedBlocksCarryPoolIndex0AndType1() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    int header = sys.blockOf(a).header();
    assertThat(PoolHeader.poolIndex(header)).isZero();
    assertThat(PoolHeader.poolTypeField(header)).isEqualTo(1);
  }

  @Test
  void largestSmallRequestFillsAPageButForOneUnit() {
    long a = pool.allocatePoolWithTag(NonPagedPool, Pool.MAX_SMALL_BYTES, even);
    assertThat(a % Pool.PAGE_SIZE).isEqualTo(8);
    assertThat(sys.blockOf(a).sizeBytes()).isEqualTo(511 * 8);
    assertThat(pool.page(a).blocks()).hasSize(2); // and a one-unit free remainder
  }

  @Test
  void requestsAboveTheLargestSmallOneTakeWholePages() {
    long a = pool.allocatePoolWithTag(NonPagedPool, Pool.MAX_SMALL_BYTES + 1, even);
    assertThat(a % Pool.PAGE_SIZE).isZero();
    Pool.PoolPage page = pool.page(a);
    assertThat(page.kind()).isEqualTo(Pool.PageKind.LARGE);
    assertThat(page.largeBytes()).isEqualTo(Pool.PAGE_SIZE);
    assertThat(page.largeTag()).isEqualTo(even);
  }

  @Test
  void largeAllocationsRoundUpToPagesAndCountThem() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 2 * Pool.PAGE_SIZE + 1, even);
    long b = pool.allocatePoolWithTag(NonPagedPool, Pool.PAGE_SIZE, even);
    assertThat(b - a).isEqualTo(3L * Pool.PAGE_SIZE);
    assertThat(pool.page(a + 2 * Pool.PAGE_SIZE).largeAddress()).isEqualTo(a);
    assertThat(pool.bytesInUse(NonPagedPool)).isEqualTo(4L * Pool.PAGE_SIZE);
    assertThat(pool.pagesInUse(NonPagedPool)).isEqualTo(4);
  }

  @Test
  void smallBlocksShareAPageWithOthersOfAnySize() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x100, even);
    long b = pool.allocatePoolWithTag(NonPagedPool, 0x800, even);
    assertThat(b / Pool.PAGE_SIZE).isEqualTo(a / Pool.PAGE_SIZE);
    assertThat(pool.pagesInUse(NonPagedPool)).isEqualTo(1);
  }

  @Test
  void aBlockThatDoesNotFitStartsANewPage() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x800, even);
    long b = pool.allocatePoolWithTag(NonPagedPool, 0x800, even);
    assertThat(b / Pool.PAGE_SIZE).isEqualTo(a / Pool.PAGE_SIZE + 1);
    assertThat(b % Pool.PAGE_SIZE).isEqualTo(8);
  }

  @Test
  void freedBlockIsReusedByTheNextRequestOfItsSize() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x40, even);
    long keep = pool.allocatePoolWithTag(NonPagedPool, 0x40, even);
    pool.freePoolWithTag(a, even);
    assertThat(pool.allocatePoolWithTag(NonPagedPool, 0x40, even)).isEqualTo(a);
    assertThat(keep).isNotEqualTo(a);
  }

  @Test
  void aSmallerRequestSplitsAFreeBlockAndTakesItsFront() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x100, even);
    pool.allocatePoolWithTag(NonPagedPool, 0x10, even);
    pool.freePoolWithTag(a, even);
    long small = pool.allocatePoolWithTag(NonPagedPool, 0x10, even);
    assertThat(small).isEqualTo(a);
    Pool.PoolBlock rest = sys.blockOf(a + 0x18);
    assertThat(rest.allocated()).isFalse();
    assertThat(rest.sizeBytes()).isEqualTo(0x108 - 0x18);
    assertThat(rest.previousSizeBytes()).isEqualTo(0x18);
  }

  @Test
  void freeingMergesAFreeBlockWithFreeNeighbours() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    long b = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    long c = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    pool.allocatePoolWithTag(NonPagedPool, 0x20, even); // keeps the page's tail allocated
    pool.freePoolWithTag(a, even);
    pool.freePoolWithTag(c, even);
    pool.freePoolWithTag(b, even);
    Pool.PoolBlock merged = sys.blockOf(a);
    assertThat(merged.allocated()).isFalse();
    assertThat(merged.sizeBytes()).isEqualTo(3 * 0x28);
    pool.verify();
  }

  @Test
  void aPageWhoseBlocksAreAllFreeGoesBackAndIsReused() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x20, even);
    pool.freePoolWithTag(a, even);
    assertThat(pool.pagesInUse(NonPagedPool)).isZero();
    assertThat(pool.page(a).kind()).isEqualTo(Pool.PageKind.FREE);
    long big = pool.allocatePoolWithTag(NonPagedPool, Pool.PAGE_SIZE, even);
    assertThat(big).isEqualTo(a - 8);
  }

  @Test
  void freedPagesAreTakenLowestFirst() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 2 * Pool.PAGE_SIZE, even);
    long b = pool.allocatePoolWithTag(NonPagedPool, Pool.PAGE_SIZE, even);
    pool.freePoolWithTag(a, even);
    assertThat(pool.allocatePoolWithTag(NonPagedPool, Pool.PAGE_SIZE, even)).isEqualTo(a);
    assertThat(pool.allocatePoolWithTag(NonPagedPool, 2 * Pool.PAGE_SIZE, even))
        .isEqualTo(b + Pool.PAGE_SIZE);
  }

  @Test
  void usageCountsAllocationsFreesAndBytesPerTagAndPoolType() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x10, even);
    pool.allocatePoolWithTag(NonPagedPool, 0x30, even);
    pool.allocatePoolWithTag(PagedPool, 0x2000, even);
    pool.allocatePoolWithTag(PagedPool, 0x10, PoolTag.of("Sema"));
    pool.freePoolWithTag(a, even);
    Pool.TagUsage u = pool.usage().get(0);
    assertThat(u.text()).isEqualTo("Even");
    assertThat(u.nonPagedAllocs()).isEqualTo(2);
    assertThat(u.nonPagedFrees()).isEqualTo(1);
    assertThat(u.nonPagedBytes()).isEqualTo(0x38);
    assertThat(u.pagedAllocs()).isEqualTo(1);
    assertThat(u.pagedBytes()).isEqualTo(0x2000);
    assertThat(pool.usage()).extracting(Pool.TagUsage::text).containsExactly("Even", "Sema");
  }

  @Test
  void usageCountsAProtectedTagUnderItsCharacters() {
    pool.allocatePoolWithTag(NonPagedPool, 0x10, even | PoolTag.PROTECTED_POOL);
    pool.allocatePoolWithTag(NonPagedPool, 0x10, even);
    assertThat(pool.usage()).hasSize(1);
    assertThat(pool.usage().get(0).nonPagedAllocs()).isEqualTo(2);
  }

  @Test
  void exAllocatePoolTagsWithNoneAndExFreePoolFreesIt() {
    long a = pool.allocatePool(PagedPool, 0x40);
    assertThat(pool.allocationTag(a)).isEqualTo(PoolTag.of("None"));
    pool.freePool(a);
    assertThat(pool.allocationTag(a)).isZero();
    assertThat(pool.allocationsInUse(PagedPool)).isZero();
  }

  @Test
  void aNonzeroTagWithTheProtectedBitFreesAnUnprotectedAllocation() {
    long a = pool.allocatePoolWithTag(NonPagedPool, 0x40, even);
    pool.freePoolWithTag(a, even | PoolTag.PROTECTED_POOL);
    assertThat(pool.allocationsInUse(NonPagedPool)).isZero();
  }

  @Test
  void tagsAreLittleEndianAndPaddedWithSpaces() {
    assertThat(PoolTag.of("Even")).isEqualTo(0x6E657645);
    assertThat(PoolTag.text(PoolTag.of("Apc"))).isEqualTo("Apc ");
    assertThat(PoolTag.text(PoolTag.of("Thre") | PoolTag.PROTECTED_POOL)).isEqualTo("Thre");
  }

  @Test
  void aFullPoolReturnsNull() {
    long tooBig = Pool.PAGED_POOL_END - Pool.PAGED_POOL_START + 1;
    assertThat(pool.allocatePoolWithTag(PagedPool, tooBig, even)).isZero();
    assertThat(pool.allocationsInUse(PagedPool)).isZero();
  }

  @Test
  void theSameCallsGiveTheSameAddresses() {
    assertThat(script(new PoolTestSupport().pool)).isEqualTo(script(new PoolTestSupport().pool));
  }

  /** Allocations of many sizes in both pools with frees between them; the addresses handed out. */
  private static List<Long> script(Pool p) {
    List<Long> addresses = new ArrayList<>();
    List<Long> live = new ArrayList<>();
    int tag = PoolTag.of("Scri");
    for (int i = 0; i < 400; i++) {
      PoolType type = i % 3 == 0 ? PagedPool : NonPagedPool;
      long a = p.allocatePoolWithTag(type, 1 + (i * 37L) % 9000, tag);
      addresses.add(a);
      live.add(a);
      if (i % 4 == 3) {
        p.freePoolWithTag(live.remove((i * 7) % live.size()), tag);
      }
    }
    p.verify();
    return addresses;
  }
}
