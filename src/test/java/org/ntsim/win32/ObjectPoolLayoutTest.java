package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolHeader;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.ke.BugCheck;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ps.EThread;

/**
 * Kernel objects in the pool: each object's POOL_HEADER, optional headers, OBJECT_HEADER and body
 * share one block of its type's pool, tagged with the type's key and PROTECTED_POOL; no header
 * overlaps another allocation; deleting the object frees the block.
 */
class ObjectPoolLayoutTest extends SyncTestSupport {

  /** A block as the pool describes it: [start, end) covers its POOL_HEADER. */
  private record Extent(long start, long end, int tag, PoolType type) {}

  private Extent blockHolding(long address) {
    Pool.PoolPage page = sys.os.pool.page(address);
    if (page.kind() == Pool.PageKind.LARGE) {
      return new Extent(page.largeAddress(), page.largeAddress() + page.largeBytes(),
          page.largeTag(), page.type());
    }
    for (Pool.PoolBlock b : page.blocks()) {
      if (b.contains(address)) {
        assertThat(b.allocated()).as("block at %x is allocated", b.address()).isTrue();
        return new Extent(b.address(), b.address() + b.sizeBytes(), b.tag(), page.type());
      }
    }
    throw new AssertionError("no block holds " + Long.toHexString(address));
  }

  /** Non-paged bytes of objects, leaving out the types' own blocks (made at first use). */
  private long objectBytes() {
    long bytes = 0;
    for (Pool.TagUsage u : sys.os.pool.usage()) {
      bytes += u.text().equals("ObjT") ? 0 : u.nonPagedBytes();
    }
    return bytes;
  }

  private ObjectHeader objectOf(long handle) {
    return sys.os.ps.currentProcess().handleTable().entry(handle);
  }

  @Test
  void anEventBodyFollowsItsObjectHeaderWhichFollowsThePoolHeader() {
    run(ctx -> {
      ObjectHeader h = objectOf(ctx.kernel32().CreateEventW(null, true, false, null));
      Extent block = blockHolding(h.bodyAddress);
      assertThat(h.headerAddress()).isEqualTo(block.start() + PoolHeader.BYTES);
      assertThat(h.bodyAddress).isEqualTo(block.start() + PoolHeader.BYTES + ObjectHeader.BYTES);
      assertThat(block.end() - h.bodyAddress).isGreaterThanOrEqualTo(0x10); // KEVENT
      assertThat(h.poolBlock()).isEqualTo(block.start() + PoolHeader.BYTES);
      return 0;
    });
  }

  @Test
  void objectBlocksCarryTheTypesKeyAsAProtectedTagInTheTypesPool() {
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long[] handles = {k32.CreateEventW(null, false, false, null),
          k32.CreateMutexW(null, false, null), k32.CreateSemaphoreW(null, 0, 1, null),
          k32.CreateWaitableTimerW(null, false, null)};
      List<String> tags = new ArrayList<>();
      for (long handle : handles) {
        Extent block = blockHolding(objectOf(handle).bodyAddress);
        assertThat(PoolTag.isProtected(block.tag())).isTrue();
        assertThat(block.type()).isEqualTo(PoolType.NonPagedPool);
        tags.add(PoolTag.text(block.tag()));
      }
      assertThat(tags).containsExactly("Even", "Muta", "Sema", "Time");
      return 0;
    });
  }

  @Test
  void processAndThreadObjectsAreNonPagedProcAndThreBlocks() {
    run(ctx -> {
      EThread self = sys.os.ps.currentThread();
      Extent thread = blockHolding(self.address);
      Extent process = blockHolding(self.process().address);
      assertThat(PoolTag.text(thread.tag())).isEqualTo("Thre");
      assertThat(PoolTag.text(process.tag())).isEqualTo("Proc");
      assertThat(self.header().headerAddress()).isEqualTo(thread.start() + PoolHeader.BYTES);
      return 0;
    });
  }

  @Test
  void namespaceDirectoriesAreInPagedPoolWithRoomForTheirNameInformation() {
    sys = TestOs.boot(1);
    ObjectHeader bno = sys.os.ob.baseNamedObjects().header();
    Extent block = blockHolding(bno.bodyAddress);
    assertThat(block.type()).isEqualTo(PoolType.PagedPool);
    assertThat(PoolTag.text(block.tag())).isEqualTo("Dire");
    assertThat(bno.headerAddress() - ObjectHeader.NAME_INFO_BYTES)
        .isEqualTo(block.start() + PoolHeader.BYTES);
    assertThat(bno.bodyAddress).isBetween(Pool.PAGED_POOL_START, Pool.PAGED_POOL_END);
  }

  @Test
  void noObjectHeaderOverlapsAnotherAllocation() {
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      List<Long> bodies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        bodies.add(objectOf(k32.CreateEventW(null, false, false, null)).bodyAddress);
        bodies.add(objectOf(k32.CreateMutexW(null, false, null)).bodyAddress);
        bodies.add(objectOf(k32.CreateThread(null, 0, p -> 0, 0, 0, null)).bodyAddress);
      }
      bodies.add(sys.os.ps.currentThread().address);
      List<Extent> blocks = new ArrayList<>();
      for (long body : bodies) {
        Extent b = blockHolding(body);
        assertThat(body - ObjectHeader.BYTES).isGreaterThanOrEqualTo(b.start() + 8);
        blocks.add(b);
      }
      blocks.sort(Comparator.comparingLong(Extent::start));
      for (int i = 1; i < blocks.size(); i++) {
        assertThat(blocks.get(i).start()).isGreaterThanOrEqualTo(blocks.get(i - 1).end());
      }
      return 0;
    });
  }

  @Test
  void closingAnObjectsLastHandleFreesItsBlock() {
    run(ctx -> {
      Kernel32 k32 = ctx.kernel32();
      long before = objectBytes();
      long h = k32.CreateSemaphoreW(null, 0, 1, null);
      long block = objectOf(h).poolBlock();
      assertThat(sys.os.pool.allocationTag(block)).isNotZero();
      k32.CloseHandle(h);
      assertThat(sys.os.pool.allocationTag(block)).isZero();
      assertThat(objectBytes()).isEqualTo(before);
      return 0;
    });
  }

  @Test
  void everyObjectOfAnEndedProgramIsFreed() {
    sys = TestOs.boot(2);
    long before = objectBytes();
    sys.os.ob.dereference(sys.runProgram("t.exe", ctx -> {
      Kernel32 k32 = ctx.kernel32();
      k32.CreateEventW(null, false, false, null);
      k32.CloseHandle(k32.CreateThread(null, 0, p -> 0, 0, 0, null));
      return 0;
    }, 2000 * TestOs.MS).header());
    sys.runFor(10 * TestOs.MS);
    assertThat(objectBytes()).isEqualTo(before);
    sys.os.pool.verify();
  }

  @Test
  void exFreePoolOfAnObjectBodysBlockIsBadPoolCallerA() {
    sys = TestOs.boot(1);
    ObjectHeader system = sys.os.ps.systemProcess().header();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(
        () -> sys.os.pool.freePool(system.poolBlock()));
    assertThat(t).isInstanceOf(org.ntsim.ke.BugCheckException.class);
    BugCheck bc = sys.os.kernel.bugCheck();
    assertThat(bc.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(bc.p1()).isEqualTo(0xA);
    assertThat(bc.p3()).isEqualTo((PoolTag.of("Proc") | PoolTag.PROTECTED_POOL) & 0xFFFFFFFFL);
  }
}
