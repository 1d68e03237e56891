package org.ntsim.ex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of ExAllocatePoolWithTag and ExFreePoolWithTag over both pools: after every
 * call the pool's own invariants hold, the live allocations (headers included) are disjoint, each
 * still carries its tag, and the usage table matches what the sequence allocated and freed.
 */
class PoolPropertyTest {
  private static final int[] TAGS = {PoolTag.of("Aaaa"), PoolTag.of("Bbbb"), PoolTag.of("Cccc")};

  /** One live allocation as the test made it. */
  private record Live(long address, long bytes, int tag, PoolType type) {
    long start() {
      return bytes > Pool.MAX_SMALL_BYTES ? address : address - PoolHeader.BYTES;
    }

    long occupied() {
      return bytes > Pool.MAX_SMALL_BYTES ? (bytes + Pool.PAGE_SIZE - 1) / Pool.PAGE_SIZE
          * Pool.PAGE_SIZE : (bytes + 2 * PoolHeader.BYTES - 1) / PoolHeader.BYTES
          * PoolHeader.BYTES;
    }
  }

  @Property(tries = 200)
  void randomAllocationsAndFreesKeepBlocksDisjointAndCountsConsistent(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 39_999) Integer> ops) {
    Pool pool = new PoolTestSupport().pool;
    List<Live> live = new ArrayList<>();
    for (int op : ops) {
      if (op % 4 == 0 && !live.isEmpty()) {
        Live victim = live.remove((op / 4) % live.size());
        pool.freePoolWithTag(victim.address(), op % 8 == 0 ? 0 : victim.tag());
      } else {
        PoolType type = op % 2 == 0 ? PoolType.PagedPool : PoolType.NonPagedPool;
        long bytes = 1 + (op % 10_000) * (op % 5 == 0 ? 3 : 1) % 12_000;
        int tag = TAGS[op % 3];
        long address = pool.allocatePoolWithTag(type, bytes, tag);
        assertThat(address).isNotZero();
        live.add(new Live(address, bytes, tag, type));
      }
      pool.verify();
      assertDisjoint(live);
      assertTagsAndUsage(pool, live);
    }
    for (Live l : live) {
      pool.freePoolWithTag(l.address(), l.tag());
    }
    pool.verify();
    assertThat(pool.pagesInUse(PoolType.NonPagedPool) + pool.pagesInUse(PoolType.PagedPool))
        .isZero();
  }

  private static void assertDisjoint(List<Live> live) {
    List<Live> sorted = new ArrayList<>(live);
    sorted.sort(Comparator.comparingLong(Live::start));
    for (int i = 1; i < sorted.size(); i++) {
      Live before = sorted.get(i - 1);
      assertThat(sorted.get(i).start()).as("%s overlaps %s", sorted.get(i), before)
          .isGreaterThanOrEqualTo(before.start() + before.occupied());
    }
  }

  private static void assertTagsAndUsage(Pool pool, List<Live> live) {
    long[][] bytes = new long[TAGS.length][PoolType.values().length];
    for (Live l : live) {
      assertThat(pool.allocationTag(l.address())).isEqualTo(l.tag());
      assertThat(Pool.rangeStart(l.type()) <= l.start() && l.start() < Pool.rangeEnd(l.type()))
          .isTrue();
      bytes[indexOf(l.tag())][l.type().value] += l.occupied();
    }
    for (Pool.TagUsage u : pool.usage()) {
      int i = indexOf(u.tag());
      assertThat(u.nonPagedBytes()).isEqualTo(bytes[i][PoolType.NonPagedPool.value]);
      assertThat(u.pagedBytes()).isEqualTo(bytes[i][PoolType.PagedPool.value]);
    }
  }

  private static int indexOf(int tag) {
    for (int i = 0; i < TAGS.length; i++) {
      if (TAGS[i] == tag) {
        return i;
      }
    }
    throw new AssertionError("unknown tag " + PoolTag.text(tag));
  }
}
