package org.ntsim.ex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ntsim.hal.Irql;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.Kernel;

/**
 * The executive's pools (seed 004, "Allocating kernel memory (pool)"; Windows Internals, "Kernel
 * Memory Pools"): ExAllocatePoolWithTag and ExFreePoolWithTag over a non-paged and a paged pool,
 * with usage per tag. Kernel objects get their simulated addresses here.
 *
 * <p>Models:
 * <ul>
 *   <li>Two ranges of the x86 system space as a debugger on Vista shows them: non-paged pool at
 *       {@link #NONPAGED_POOL_START} (96 MiB), paged pool at {@link #PAGED_POOL_START} (256 MiB),
 *       each a {@link PoolDescriptor}: requests of up to 4080 bytes get 8-byte-granular blocks
 *       behind an 8-byte {@link PoolHeader}; larger ones get whole pages.
 *   <li>The caller errors NT stops on, as BAD_POOL_CALLER (0xC2) with the parameters the bug
 *       check reference gives: a zero-byte request (0x0), allocating or freeing at too high an
 *       IRQL (0x8, 0x9: paged pool above APC_LEVEL, non-paged above DISPATCH_LEVEL), a second
 *       free of a block (0x7), a free with the wrong tag (0xA), a kernel free of a user address
 *       (0x40) or of an address in no pool (0x42), a page-aligned address that starts no
 *       allocation (0x44 non-paged, 0x50 paged, 0x41286 inside a paged allocation), any other
 *       address that starts no block (0x99), a tag of 0 (0x9B) or with no letter or digit (0x9D).
 *   <li>Tags: a nonzero tag given to a free must match the allocation's; an allocation made with
 *       {@link PoolTag#PROTECTED_POOL} (object bodies) is freed only with that same tag, so
 *       ExFreePool (tag 0) of an object body stops with 0xA.
 *   <li>Usage per tag and pool type (allocations, frees, bytes) for {@code !poolused}.
 * </ul>
 *
 * <p>Invariants: the two ranges never overlap, an address belongs to at most one live allocation,
 * and the same sequence of calls always yields the same addresses; checked by {@link #verify}.
 *
 * <p>Pages: once {@link #setPageBacking} has wired in the memory manager, every page in use has
 * a physical frame behind it, mapped by a system PTE; a page taken gets one, a page given back
 * loses it, and a request whose frames are not available returns 0. Paged pool pages are in the
 * system working set and can be trimmed; non-paged pool pages never are.
 *
 * <p>Left out: headers and tags live in the descriptor's arrays, not in the frames (the
 * debugger's image of kernel structures copies them there for a reader; header corruption,
 * special pool and pool contents are not modelled), the pools do not grow or
 * shrink with memory size, requests the range cannot satisfy return 0 rather than raising
 * (POOL_RAISE_IF_ALLOCATION_FAILURE), and quota charging is not done.
 */
public final class Pool {
  /** MmSystemRangeStart on x86 without /3GB. */
  public static final long SYSTEM_RANGE_START = 0x80000000L;
  public static final long NONPAGED_POOL_START = 0x84000000L;
  public static final long NONPAGED_POOL_END = 0x8A000000L;
  public static final long PAGED_POOL_START = 0x8A000000L;
  public static final long PAGED_POOL_END = 0x9A000000L;
  public static final int PAGE_SIZE = PoolDescriptor.PAGE_SIZE;
  /** The largest request served from a block inside a page; larger ones get whole pages. */
  public static final int MAX_SMALL_BYTES = PoolDescriptor.MAX_SMALL_BYTES;

  // BAD_POOL_CALLER's first parameter for each caller error ntsim detects.
  public static final int ZERO_BYTE_REQUEST = 0x00;
  public static final int DOUBLE_FREE = 0x07;
  public static final int ALLOCATE_AT_BAD_IRQL = 0x08;
  public static final int FREE_AT_BAD_IRQL = 0x09;
  public static final int WRONG_TAG = 0x0A;
  public static final int FREE_USER_ADDRESS = 0x40;
  public static final int FREE_NOT_POOL = 0x42;
  public static final int FREE_UNALLOCATED_NONPAGED = 0x44;
  public static final int FREE_UNALLOCATED_PAGED = 0x50;
  public static final int FREE_BAD_ADDRESS = 0x99;
  public static final int TAG_ZERO = 0x9B;
  public static final int TAG_WITHOUT_LETTERS = 0x9D;
  public static final int FREE_INSIDE_PAGED_ALLOCATION = 0x41286;

  /** A block of a small-block page as its header describes it. */
  public record PoolBlock(long address, int header, int tag) {
    public int sizeBytes() {
      return PoolHeader.blockSize(header) * PoolHeader.BYTES;
    }

    public int previousSizeBytes() {
      return PoolHeader.previousSize(header) * PoolHeader.BYTES;
    }

    public int poolIndex() {
      return PoolHeader.poolIndex(header);
    }

    public boolean allocated() {
      return PoolHeader.isAllocated(header);
    }

    /** Whether {@code a} lies in this block, header included. */
    public boolean contains(long a) {
      return a >= address && a < address + sizeBytes();
    }
  }

  /** What a pool page holds. */
  public enum PageKind { SMALL_BLOCKS, LARGE, FREE }

  /**
   * A pool page as {@code !pool} shows it: its blocks (SMALL_BLOCKS), or the large allocation it
   * belongs to (LARGE: its address, bytes and tag), or nothing (FREE).
   */
  public record PoolPage(PoolType type, long pageAddress, PageKind kind, List<PoolBlock> blocks,
      long largeAddress, long largeBytes, int largeTag) {}

  /** One tag's usage per pool type, as PoolTrackTable counts it. */
  public record TagUsage(int tag, long nonPagedAllocs, long nonPagedFrees, long nonPagedBytes,
      long pagedAllocs, long pagedFrees, long pagedBytes) {
    public String text() {
      return PoolTag.text(tag);
    }
  }

  private final Kernel kernel;
  private final PoolTracker tracker = new PoolTracker();
  private final PoolDescriptor nonPaged;
  private final PoolDescriptor paged;
  private final long[] violation = new long[3]; // P2..P4 of a caller error, reused
  private PoolPageBacking backing;

  public Pool(Kernel kernel) {
    this.kernel = kernel;
    this.nonPaged = new PoolDescriptor(PoolType.NonPagedPool, 0, NONPAGED_POOL_START,
        NONPAGED_POOL_END, tracker);
    this.paged = new PoolDescriptor(PoolType.PagedPool, 1, PAGED_POOL_START, PAGED_POOL_END,
        tracker);
  }

  /**
   * Wires in the memory manager (at boot, once it exists): the pages already in use get frames
   * now, later ones as they are taken.
   */
  public void setPageBacking(PoolPageBacking backing) {
    this.backing = backing;
    nonPaged.setBacking(backing);
    paged.setBacking(backing);
  }

  /** What backs the pages with frames; null before the memory manager is wired in. */
  public PoolPageBacking pageBacking() {
    return backing;
  }

  // ------------------------------------------------------------------ Ex routines

  /**
   * ExAllocatePoolWithTag: {@code numberOfBytes} of {@code poolType} tagged {@code tag} (see
   * {@link PoolTag#of}); the address of the allocation, or 0 when the pool has no room. Requests
   * of up to {@link #MAX_SMALL_BYTES} are 8-byte aligned and follow their POOL_HEADER; larger
   * ones are page-aligned.
   */
  public long allocatePoolWithTag(PoolType poolType, long numberOfBytes, int tag) {
    int irql = currentIrql();
    if (irql > highestIrql(poolType)) {
      badPoolCaller(ALLOCATE_AT_BAD_IRQL, irql, poolType.value, numberOfBytes,
          "ExAllocatePoolWithTag of " + poolType + " at IRQL " + irql);
    }
    if (numberOfBytes == 0) {
      badPoolCaller(ZERO_BYTE_REQUEST, 0, poolType.value, tag & 0xFFFFFFFFL,
          "ExAllocatePoolWithTag of zero bytes");
    }
    if ((tag & ~PoolTag.PROTECTED_POOL) == 0) {
      badPoolCaller(TAG_ZERO, poolType.value, numberOfBytes, 0,
          "ExAllocatePoolWithTag with tag 0");
    }
    if (!PoolTag.hasLetterOrDigit(tag)) {
      badPoolCaller(TAG_WITHOUT_LETTERS, tag & 0xFFFFFFFFL, poolType.value, 0,
          String.format(Locale.ROOT, "ExAllocatePoolWithTag with tag %08x, which has no letter"
              + " or digit", tag));
    }
    if (numberOfBytes < 0) {
      return 0; // a SIZE_T beyond any pool
    }
    return descriptor(poolType).allocate(numberOfBytes, tag);
  }

  /** ExAllocatePoolWithTag with the tag's characters: {@code "Even"}. */
  public long allocatePoolWithTag(PoolType poolType, long numberOfBytes, String tag) {
    return allocatePoolWithTag(poolType, numberOfBytes, PoolTag.of(tag));
  }

  /** ExAllocatePool: ExAllocatePoolWithTag with the tag "None". */
  public long allocatePool(PoolType poolType, long numberOfBytes) {
    return allocatePoolWithTag(poolType, numberOfBytes, PoolTag.NONE);
  }

  /** ExAllocatePoolWithTag(NonPagedPool, ...), for a kernel structure's address. */
  public long allocateNonPaged(int sizeBytes, String tag) {
    return allocatePoolWithTag(PoolType.NonPagedPool, sizeBytes, PoolTag.of(tag));
  }

  /**
   * ExFreePoolWithTag: frees the allocation at {@code address}, which the allocator returned.
   * {@code tag} 0 frees any allocation but a protected one; another tag must be the
   * allocation's. A caller error is bug check BAD_POOL_CALLER (see the class comment).
   */
  public void freePoolWithTag(long address, int tag) {
    PoolDescriptor d = descriptorOf(address);
    if (d == null) {
      if (address < SYSTEM_RANGE_START) {
        badPoolCaller(FREE_USER_ADDRESS, address, SYSTEM_RANGE_START, 0,
            "ExFreePoolWithTag of user address " + hex(address));
      }
      badPoolCaller(FREE_NOT_POOL, address, 0, 0,
          "ExFreePoolWithTag of " + hex(address) + ", which is in no pool");
    }
    int irql = currentIrql();
    if (irql > highestIrql(d.type)) {
      badPoolCaller(FREE_AT_BAD_IRQL, irql, d.type.value, address,
          "ExFreePoolWithTag of " + d.type + " " + hex(address) + " at IRQL " + irql);
    }
    int code = d.free(address, tag, violation);
    if (code != 0) {
      badPoolCaller(code, violation[0], violation[1], violation[2], freeError(code, address,
          tag));
    }
  }

  /** ExFreePool: ExFreePoolWithTag with tag 0. */
  public void freePool(long address) {
    freePoolWithTag(address, 0);
  }

  // ------------------------------------------------------------------ inspection

  /**
   * The tag of the live allocation whose address (as the allocator returned it) is
   * {@code address}, protected bit included; 0 when no allocation starts there.
   */
  public int allocationTag(long address) {
    PoolDescriptor d = descriptorOf(address);
    return d == null ? 0 : d.allocationTag(address);
  }

  /** The pool page holding {@code address}, or null when it is in neither pool. */
  public PoolPage page(long address) {
    PoolDescriptor d = descriptorOf(address);
    return d == null ? null : d.describe(address);
  }

  /** Usage per tag, in the order tags were first used. */
  public List<TagUsage> usage() {
    List<TagUsage> out = new ArrayList<>(tracker.size());
    for (int i = 0; i < tracker.size(); i++) {
      out.add(new TagUsage(tracker.tag(i),
          tracker.allocs(i, PoolType.NonPagedPool), tracker.frees(i, PoolType.NonPagedPool),
          tracker.bytes(i, PoolType.NonPagedPool), tracker.allocs(i, PoolType.PagedPool),
          tracker.frees(i, PoolType.PagedPool), tracker.bytes(i, PoolType.PagedPool)));
    }
    return out;
  }

  /** Whether the page holding {@code address} holds blocks or a large allocation; no allocation. */
  public boolean pageInUse(long address) {
    PoolDescriptor d = descriptorOf(address);
    return d != null && d.pageInUse(address);
  }

  /** Live allocations in {@code type}'s pool. */
  public long allocationsInUse(PoolType type) {
    return descriptor(type).allocationsInUse();
  }

  /** Bytes of {@code type}'s live allocations: blocks with their headers, large ones' pages. */
  public long bytesInUse(PoolType type) {
    return descriptor(type).bytesInUse();
  }

  /** The end of the highest page of {@code type}'s pool ever used: no block lies above it. */
  public long highWaterAddress(PoolType type) {
    return rangeStart(type) + descriptor(type).committedBytes();
  }

  /** Pages of {@code type}'s pool that hold blocks or large allocations. */
  public int pagesInUse(PoolType type) {
    return descriptor(type).pagesInUse();
  }

  /** The first and last address of {@code type}'s range. */
  public static long rangeStart(PoolType type) {
    return type == PoolType.NonPagedPool ? NONPAGED_POOL_START : PAGED_POOL_START;
  }

  public static long rangeEnd(PoolType type) {
    return type == PoolType.NonPagedPool ? NONPAGED_POOL_END : PAGED_POOL_END;
  }

  /**
   * Checks both pools' invariants ({@link PoolDescriptor}) and that the usage table agrees with
   * them; throws IllegalStateException naming the first that fails.
   */
  public void verify() {
    nonPaged.verify();
    paged.verify();
    for (PoolType type : PoolType.values()) {
      long allocs = 0;
      long bytes = 0;
      for (int i = 0; i < tracker.size(); i++) {
        long outstanding = tracker.allocs(i, type) - tracker.frees(i, type);
        if (outstanding < 0 || (outstanding == 0) != (tracker.bytes(i, type) == 0)) {
          throw new IllegalStateException("pool: usage of " + PoolTag.text(tracker.tag(i))
              + " in " + type + " is inconsistent");
        }
        allocs += outstanding;
        bytes += tracker.bytes(i, type);
      }
      if (allocs != allocationsInUse(type) || bytes != bytesInUse(type)) {
        throw new IllegalStateException("pool: usage table says " + allocs + " allocations of "
            + bytes + " bytes in " + type + "; the pool holds " + allocationsInUse(type) + " of "
            + bytesInUse(type));
      }
    }
  }

  // ------------------------------------------------------------------ internals

  private PoolDescriptor descriptor(PoolType type) {
    return type == PoolType.NonPagedPool ? nonPaged : paged;
  }

  private PoolDescriptor descriptorOf(long address) {
    if (nonPaged.contains(address)) {
      return nonPaged;
    }
    return paged.contains(address) ? paged : null;
  }

  private static int highestIrql(PoolType type) {
    return type == PoolType.PagedPool ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL;
  }

  private int currentIrql() {
    return kernel.machine().activeCpu().irql();
  }

  private void badPoolCaller(int code, long p2, long p3, long p4, String detail) {
    kernel.bugCheckEx(BugCheck.BAD_POOL_CALLER, code, p2, p3, p4, detail);
  }

  private static String freeError(int code, long address, int tag) {
    String what = "ExFreePoolWithTag(" + hex(address) + ", "
        + (tag == 0 ? "0" : "'" + PoolTag.text(tag) + "'") + ")";
    return switch (code) {
      case DOUBLE_FREE -> what + ": the block is already free";
      case WRONG_TAG -> what + ": the allocation has another tag";
      case FREE_BAD_ADDRESS -> what + ": no block starts there";
      case FREE_INSIDE_PAGED_ALLOCATION -> what + ": the middle of a paged pool allocation";
      default -> what + ": no allocation starts there";
    };
  }

  private static String hex(long address) {
    return String.format(Locale.ROOT, "%08x", address & 0xFFFFFFFFL);
  }
}
