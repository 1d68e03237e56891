package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.win32.GuestContext;
import org.ntsim.win32.Kernel32;

/**
 * {@code !pool} and {@code !poolused} in kdexts' layout, on pool.exe: main creates an event,
 * then sleeps; a driver-style allocation of three pages tagged "Big!" sits in non-paged pool.
 */
class KdPoolTest {
  private long event;
  private long big;

  private KdSession session() {
    KdSession s = new KdSession(1, 1_000 * KdSession.MS);
    big = s.os.pool.allocatePoolWithTag(PoolType.NonPagedPool, 3 * Pool.PAGE_SIZE, "Big!");
    s.demo = s.os.launch("pool.exe", this::main);
    s.run("g 20ms");
    return s;
  }

  private int main(GuestContext ctx) {
    Kernel32 k32 = ctx.kernel32();
    event = k32.CreateEventW(null, true, false, null);
    k32.Sleep(10_000);
    return 0;
  }

  private ObjectHeader eventHeader(KdSession s) {
    return s.demo.handleTable().entry(event);
  }

  @Test
  void poolMarksTheBlockHoldingTheAddressAndNamesItsOwner() {
    try (KdSession s = session()) {
      ObjectHeader h = eventHeader(s);
      long block = h.poolBlock() - 8;
      String out = s.run("!pool " + KdSession.hex8(h.bodyAddress));
      assertThat(out).startsWith("Pool page " + KdSession.hex8(h.bodyAddress)
          + " region is Nonpaged pool\n");
      assertThat(out).contains("*" + KdSession.hex8(block) + " size:   30 previous size: ")
          .contains("  (Allocated) *Even (Protected)\n")
          .contains("\t\tPooltag Even : Event objects, Binary : nt!ex\n")
          .contains("ntsim: the object body at " + KdSession.hex8(h.bodyAddress));
    }
  }

  @Test
  void poolListsEveryBlockOfThePageInAddressOrder() {
    try (KdSession s = session()) {
      long body = eventHeader(s).bodyAddress;
      Pool.PoolPage page = s.os.pool.page(body);
      String out = s.run("!pool " + KdSession.hex8(body));
      int from = 0;
      for (Pool.PoolBlock b : page.blocks()) {
        int at = out.indexOf(KdSession.hex8(b.address()) + " size: ", from);
        assertThat(at).as("block %x listed in order", b.address()).isGreaterThan(from);
        from = at;
      }
      assertThat(out.lines().filter(l -> l.contains(" size: "))).hasSize(page.blocks().size());
    }
  }

  @Test
  void flag2ShowsOnlyTheBlockHoldingTheAddress() {
    try (KdSession s = session()) {
      long body = eventHeader(s).bodyAddress;
      String out = s.run("!pool " + KdSession.hex8(body) + " 2");
      assertThat(out.lines().filter(l -> l.contains(" size: "))).hasSize(1);
    }
  }

  @Test
  void poolOfALargeAllocationGivesItsTagAndSize() {
    try (KdSession s = session()) {
      assertThat(s.run("!pool " + KdSession.hex8(big + Pool.PAGE_SIZE + 0x10))).isEqualTo(
          "Pool page " + KdSession.hex8(big + Pool.PAGE_SIZE + 0x10) + " region is Nonpaged pool\n"
          + "*" + KdSession.hex8(big) + " : large page allocation, tag is Big!, size is 0x3000"
          + " bytes\n\t\tOwning component : Unknown (update pooltag.txt)\n");
    }
  }

  @Test
  void poolOutsideThePoolsSaysSo() {
    try (KdSession s = session()) {
      assertThat(s.run("!pool 401000")).startsWith("Pool page 00401000 region is Unknown\n");
    }
  }

  @Test
  void poolusedListsOutstandingAllocationsAndBytesPerTag() {
    try (KdSession s = session()) {
      Pool.TagUsage thre = s.os.pool.usage().stream().filter(u -> u.text().equals("Thre"))
          .findFirst().orElseThrow();
      String out = s.run("!poolused");
      assertThat(out).startsWith("   Sorting by  Tag\n\n  Pool Used:\n"
          + "            NonPaged            Paged\n"
          + " Tag    Allocs     Used    Allocs     Used\n");
      assertThat(out).contains(String.format(" Thre%9d%9d%10d%9d\tThread objects, Binary : nt!ps\n",
          thre.nonPagedAllocs() - thre.nonPagedFrees(), thre.nonPagedBytes(), 0, 0));
      assertThat(out).contains(" Big!        1    12288         0        0\tUNKNOWN pooltag"
          + " 'Big!', please update pooltag.txt\n");
      assertThat(out).contains("\n TOTAL ");
    }
  }

  @Test
  void poolusedSortsTagsByName() {
    try (KdSession s = session()) {
      String out = s.run("!poolused");
      assertThat(out.indexOf("\n Dire ")).isLessThan(out.indexOf("\n Even "));
      assertThat(out.indexOf("\n Even ")).isLessThan(out.indexOf("\n Proc "));
      assertThat(out.indexOf("\n Proc ")).isLessThan(out.indexOf("\n Thre "));
    }
  }

  @Test
  void poolusedFlag2SortsByNonPagedBytes() {
    try (KdSession s = session()) {
      String out = s.run("!poolused 2");
      assertThat(out).startsWith("   Sorting by  NonPaged Pool Consumed\n");
      assertThat(out.lines().skip(5).findFirst().orElseThrow()).startsWith(" Big! ");
    }
  }

  @Test
  void poolusedVerboseShowsAllocsFreesAndDiff() {
    try (KdSession s = session()) {
      s.os.pool.freePoolWithTag(big, PoolTag.of("Big!"));
      String out = s.run("!poolused 1 B*");
      assertThat(out).contains(
          " Tag    Allocs    Frees     Diff     Used   Allocs    Frees     Diff     Used\n"
          + " Big!        1        1        0        0        0        0        0        0\t");
    }
  }

  @Test
  void poolusedFiltersByTagWithWildcards() {
    try (KdSession s = session()) {
      String out = s.run("!poolused 0 ?ve?");
      assertThat(out).contains("\n Even ").doesNotContain("\n Thre ").doesNotContain("\n Proc ");
    }
  }

  @Test
  void poolusedRejectsATagThatIsNotFourCharacters() {
    try (KdSession s = session()) {
      assertThat(s.run("!poolused 0 Ev")).contains("four characters");
    }
  }
}
