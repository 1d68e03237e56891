package org.ntsim.ex;

import static org.ntsim.ex.PoolHeader.UNITS_PER_PAGE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * POOL_DESCRIPTOR: one pool's address range, carved into pages, and the pages that hold small
 * blocks carved into blocks of 8-byte units, each led by its {@link PoolHeader}.
 *
 * <p>Models:
 * <ul>
 *   <li>Pages: a page is free, holds small blocks, or belongs to a large allocation (its first
 *       page, or a later one). Pages are taken first-fit from the lowest free page, the range
 *       growing page by page from its start as needed (the pool's expansion).
 *   <li>Small blocks: a request of up to 4080 bytes takes a block of (bytes + header) rounded up
 *       to 8-byte units, from the first non-empty free list of at least that size (one list per
 *       block size, LIFO, like the ListHeads of the x86 pool); a larger free block is split and
 *       the caller gets its front. Freeing merges the block with free neighbours in its page; a
 *       page whose blocks are all free goes back to the page allocator.
 *   <li>Large allocations: more than 4080 bytes take whole pages, page-aligned, with no header;
 *       the tag and page count are kept per first page, as the big-page table does.
 *   <li>Header words as memory would hold them: a freed block's header stays (PoolType 0) after
 *       it is merged away or its page is released, which is how a second free of the same
 *       address is recognised; the interior of a new allocation is the caller's, so stale
 *       headers under it are cleared.
 * </ul>
 *
 * <p>Invariants: the blocks of a small page tile it exactly (sizes sum to 512 units, each
 * PreviousSize is its predecessor's BlockSize); no two free blocks are adjacent; every free block
 * of two units or more is on the list of its size, and only those; one-unit free blocks (a bare
 * header) are on no list until a neighbour's free absorbs them. Free lists are linked by global
 * unit numbers (page * 512 + unit) in primitive arrays; allocating and freeing allocate no Java
 * objects except when the range first grows past the arrays' capacity.
 *
 * <p>Pages in use have a frame behind them once the memory manager is wired in
 * ({@link PoolPageBacking}): a page gets its frame when it leaves the free state and loses it
 * when it returns there; a request whose pages cannot all be backed fails with no page taken.
 *
 * <p>Left out: lookaside lists, per-processor and multiple paged pool descriptors, splitting from
 * the back of a block, pool quotas, special pool, and keeping free pages backed for reuse.
 */
final class PoolDescriptor {
  static final int PAGE_SIZE = 4096;
  /** The largest request served from a block inside a page: 511 units less the header. */
  static final int MAX_SMALL_BYTES = PoolHeader.MAX_BLOCK_UNITS * PoolHeader.BYTES
      - PoolHeader.BYTES;

  static final byte PAGE_FREE = 0;
  static final byte PAGE_SMALL = 1;
  static final byte PAGE_LARGE_FIRST = 2;
  static final byte PAGE_LARGE_REST = 3;

  private static final int NIL = -1;
  private static final int TAG = UNITS_PER_PAGE; // offsets into a small page's words
  private static final int FLINK = 2 * UNITS_PER_PAGE;
  private static final int BLINK = 3 * UNITS_PER_PAGE;
  private static final int LIST_WORDS = (UNITS_PER_PAGE + 63) / 64;

  final PoolType type;
  final int poolIndex;
  final long startAddress;
  final int maxPages;
  private final PoolTracker tracker;

  private byte[] pageState = new byte[16]; // pages [0, highWaterPages); later ones are free
  private int[] largePages = new int[16]; // first page of a large allocation -> its pages
  private int[] largeTag = new int[16]; // first page of a large allocation -> its tag
  /** Per page that ever held small blocks: header words, tags, flinks, blinks (512 each). */
  private int[][] small = new int[16][];
  private int highWaterPages; // pages ever used
  private int firstFreeHint; // no free page lies below it

  private final int[] listHeads = new int[UNITS_PER_PAGE]; // block units -> first global unit
  private final long[] listNonEmpty = new long[LIST_WORDS];

  private long allocationsInUse;
  private long bytesInUse; // blocks with their headers, and large allocations' pages
  private int pagesInUse;
  /** Frames behind the pages in use; null until the memory manager is wired in (early boot). */
  private PoolPageBacking backing;

  PoolDescriptor(PoolType type, int poolIndex, long startAddress, long endAddress,
      PoolTracker tracker) {
    this.type = type;
    this.poolIndex = poolIndex;
    this.startAddress = startAddress;
    this.maxPages = (int) ((endAddress - startAddress) / PAGE_SIZE);
    this.tracker = tracker;
    Arrays.fill(listHeads, NIL);
  }

  boolean contains(long address) {
    return address >= startAddress && address - startAddress < (long) maxPages * PAGE_SIZE;
  }

  long allocationsInUse() {
    return allocationsInUse;
  }

  long bytesInUse() {
    return bytesInUse;
  }

  int pagesInUse() {
    return pagesInUse;
  }

  /** The bytes from the range's start to the end of the highest page ever used. */
  long committedBytes() {
    return (long) highWaterPages * PAGE_SIZE;
  }

  // ------------------------------------------------------------------ allocation

  /**
   * An allocation of {@code bytes} (1 and up, already checked) tagged {@code tag}: its address,
   * or 0 when the range has no room.
   */
  long allocate(long bytes, int tag) {
    return bytes > MAX_SMALL_BYTES ? allocateLarge(bytes, tag) : allocateSmall(bytes, tag);
  }

  private long allocateSmall(long bytes, int tag) {
    int units = (int) ((bytes + PoolHeader.BYTES + PoolHeader.BYTES - 1) / PoolHeader.BYTES);
    int listSize = firstListAtLeast(units);
    int page;
    int unit;
    int have;
    int previous;
    if (listSize < 0) {
      page = allocatePages(1, PAGE_SMALL);
      if (page < 0) {
        return 0;
      }
      unit = 0;
      have = UNITS_PER_PAGE;
      previous = 0;
    } else {
      int g = listHeads[listSize];
      page = g / UNITS_PER_PAGE;
      unit = g % UNITS_PER_PAGE;
      unlink(page, unit, listSize);
      have = listSize;
      previous = PoolHeader.previousSize(small[page][unit]);
    }
    int[] words = small[page];
    words[unit] = PoolHeader.encode(previous, poolIndex, units, type.value + 1);
    words[TAG + unit] = tag;
    Arrays.fill(words, unit + 1, unit + units, 0); // the caller's bytes now
    int rest = have - units;
    if (rest > 0) {
      int r = unit + units;
      words[r] = PoolHeader.encode(units, poolIndex, rest, 0);
      words[TAG + r] = 0;
      setPreviousOfNext(words, r, rest);
      link(page, r, rest);
    }
    long blockBytes = (long) units * PoolHeader.BYTES;
    allocationsInUse++;
    bytesInUse += blockBytes;
    tracker.allocated(tag, type, blockBytes);
    return pageAddress(page) + (long) unit * PoolHeader.BYTES + PoolHeader.BYTES;
  }

  private long allocateLarge(long bytes, int tag) {
    long pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    if (pages > maxPages) {
      return 0;
    }
    int first = allocatePages((int) pages, PAGE_LARGE_FIRST);
    if (first < 0) {
      return 0;
    }
    largePages[first] = (int) pages;
    largeTag[first] = tag;
    long pageBytes = pages * PAGE_SIZE;
    allocationsInUse++;
    bytesInUse += pageBytes;
    tracker.allocated(tag, type, pageBytes);
    return pageAddress(first);
  }

  // ------------------------------------------------------------------ free

  /**
   * ExFreePoolWithTag within this pool: frees the allocation at {@code address} and returns 0,
   * or, when the free is a caller's error, changes nothing and returns BAD_POOL_CALLER's first
   * parameter with the other three in {@code params}.
   */
  int free(long address, int tag, long[] params) {
    int page = (int) ((address - startAddress) / PAGE_SIZE);
    if (address % PAGE_SIZE == 0) {
      return freePages(page, address, tag, params);
    }
    return freeBlock(page, address, tag, params);
  }

  private int freePages(int page, long address, int tag, long[] params) {
    byte state = state(page);
    if (state == PAGE_LARGE_FIRST) {
      if (!tagMatches(largeTag[page], tag)) {
        return violation(params, Pool.WRONG_TAG, address, largeTag[page], tag);
      }
      int pages = largePages[page];
      long pageBytes = (long) pages * PAGE_SIZE;
      allocationsInUse--;
      bytesInUse -= pageBytes;
      tracker.freed(largeTag[page], type, pageBytes);
      releasePages(page, pages);
      return 0;
    }
    if (state == PAGE_SMALL) {
      return violation(params, Pool.FREE_BAD_ADDRESS, address, 0, 0); // a header, not a body
    }
    if (type == PoolType.PagedPool) {
      return state == PAGE_LARGE_REST
          ? violation(params, Pool.FREE_INSIDE_PAGED_ALLOCATION, 0, 0, page)
          : violation(params, Pool.FREE_UNALLOCATED_PAGED, address, page,
              (long) maxPages * PAGE_SIZE);
    }
    return violation(params, Pool.FREE_UNALLOCATED_NONPAGED, address, 0, 0);
  }

  private int freeBlock(int page, long address, int tag, long[] params) {
    byte state = state(page);
    int[] words = page < highWaterPages ? small[page] : null;
    if (address % PoolHeader.BYTES != 0 || words == null
        || (state != PAGE_SMALL && state != PAGE_FREE)) {
      return violation(params, Pool.FREE_BAD_ADDRESS, address, 0, 0);
    }
    int unit = (int) ((address - pageAddress(page)) / PoolHeader.BYTES) - 1;
    int header = words[unit];
    if (header == 0) {
      return violation(params, Pool.FREE_BAD_ADDRESS, address, 0, 0);
    }
    if (!PoolHeader.isAllocated(header)) {
      return violation(params, Pool.DOUBLE_FREE, 0, header & 0xFFFFFFFFL, address);
    }
    if (!tagMatches(words[TAG + unit], tag)) {
      return violation(params, Pool.WRONG_TAG, address, words[TAG + unit], tag);
    }
    releaseBlock(page, unit);
    return 0;
  }

  /** Frees an allocated small block and merges it with its free neighbours. */
  private void releaseBlock(int page, int unit) {
    int[] words = small[page];
    int header = words[unit];
    int units = PoolHeader.blockSize(header);
    long blockBytes = (long) units * PoolHeader.BYTES;
    allocationsInUse--;
    bytesInUse -= blockBytes;
    tracker.freed(words[TAG + unit], type, blockBytes);
    words[unit] = PoolHeader.asFree(header);
    int start = unit;
    int size = units;
    int next = unit + units;
    if (next < UNITS_PER_PAGE && !PoolHeader.isAllocated(words[next])) {
      int nextSize = PoolHeader.blockSize(words[next]);
      unlink(page, next, nextSize);
      size += nextSize;
    }
    int previousSize = PoolHeader.previousSize(header);
    if (previousSize > 0 && !PoolHeader.isAllocated(words[unit - previousSize])) {
      start = unit - previousSize;
      unlink(page, start, previousSize);
      size += previousSize;
    }
    if (size == UNITS_PER_PAGE) {
      releasePages(page, 1);
      return;
    }
    words[start] = PoolHeader.encode(PoolHeader.previousSize(words[start]), poolIndex, size, 0);
    setPreviousOfNext(words, start, size);
    link(page, start, size);
  }

  /**
   * Whether a free with {@code tag} may release a block allocated with {@code blockTag}: a
   * protected block needs its own tag exactly; another accepts 0 (ExFreePool) or its tag.
   */
  private static boolean tagMatches(int blockTag, int tag) {
    if (PoolTag.isProtected(blockTag)) {
      return tag == blockTag;
    }
    return tag == 0 || (tag & ~PoolTag.PROTECTED_POOL) == blockTag;
  }

  private static int violation(long[] params, int code, long p2, long p3, long p4) {
    params[0] = p2 & 0xFFFFFFFFL;
    params[1] = p3 & 0xFFFFFFFFL;
    params[2] = p4 & 0xFFFFFFFFL;
    return code;
  }

  // ------------------------------------------------------------------ free lists

  private int firstListAtLeast(int units) {
    int word = units >>> 6;
    long bits = listNonEmpty[word] & (-1L << (units & 63));
    while (bits == 0) {
      if (++word == LIST_WORDS) {
        return -1;
      }
      bits = listNonEmpty[word];
    }
    return word * 64 + Long.numberOfTrailingZeros(bits);
  }

  /** Puts a free block at the head of its size's list; a one-unit block is on no list. */
  private void link(int page, int unit, int size) {
    if (size < 2) {
      return;
    }
    int g = page * UNITS_PER_PAGE + unit;
    int head = listHeads[size];
    int[] words = small[page];
    words[FLINK + unit] = head;
    words[BLINK + unit] = NIL;
    if (head != NIL) {
      small[head / UNITS_PER_PAGE][BLINK + head % UNITS_PER_PAGE] = g;
    }
    listHeads[size] = g;
    listNonEmpty[size >>> 6] |= 1L << (size & 63);
  }

  private void unlink(int page, int unit, int size) {
    if (size < 2) {
      return;
    }
    int[] words = small[page];
    int flink = words[FLINK + unit];
    int blink = words[BLINK + unit];
    if (blink == NIL) {
      listHeads[size] = flink;
      if (flink == NIL) {
        listNonEmpty[size >>> 6] &= ~(1L << (size & 63));
      }
    } else {
      small[blink / UNITS_PER_PAGE][FLINK + blink % UNITS_PER_PAGE] = flink;
    }
    if (flink != NIL) {
      small[flink / UNITS_PER_PAGE][BLINK + flink % UNITS_PER_PAGE] = blink;
    }
  }

  private static void setPreviousOfNext(int[] words, int unit, int size) {
    int next = unit + size;
    if (next < UNITS_PER_PAGE) {
      words[next] = PoolHeader.withPreviousSize(words[next], size);
    }
  }

  // ------------------------------------------------------------------ pages

  /**
   * The first run of {@code count} free pages from the lowest, marked {@code firstState} (the
   * rest of a run PAGE_LARGE_REST); -1 when the range has none.
   */
  private int allocatePages(int count, byte firstState) {
    int runStart = -1;
    int firstFree = -1;
    for (int p = firstFreeHint; ; p++) {
      if (p >= highWaterPages) { // never used from here on
        runStart = runStart < 0 ? p : runStart;
        firstFree = firstFree < 0 ? p : firstFree;
        if ((long) runStart + count > maxPages) {
          return -1;
        }
        break;
      }
      if (pageState[p] == PAGE_FREE) {
        firstFree = firstFree < 0 ? p : firstFree;
        runStart = runStart < 0 ? p : runStart;
        if (p - runStart + 1 == count) {
          break;
        }
      } else {
        runStart = -1;
      }
    }
    int end = runStart + count;
    if (!backPages(runStart, end)) {
      return -1;
    }
    ensureCapacity(end);
    highWaterPages = Math.max(highWaterPages, end);
    firstFreeHint = runStart == firstFree ? end : firstFree;
    pageState[runStart] = firstState;
    for (int p = runStart + 1; p < end; p++) {
      pageState[p] = PAGE_LARGE_REST;
    }
    for (int p = runStart; p < end; p++) {
      startPage(p, firstState == PAGE_SMALL);
    }
    pagesInUse += count;
    return runStart;
  }

  /** A page's new life: its old headers are gone; a small page gets its words. */
  private void startPage(int page, boolean holdsBlocks) {
    if (small[page] != null) {
      Arrays.fill(small[page], 0, UNITS_PER_PAGE, 0);
    } else if (holdsBlocks) {
      small[page] = new int[4 * UNITS_PER_PAGE];
    }
  }

  /** Frames for pages [first, end); none are kept when one is missing. */
  private boolean backPages(int first, int end) {
    if (backing == null) {
      return true;
    }
    for (int p = first; p < end; p++) {
      if (!backing.backPage(pageAddress(p), type)) {
        for (int q = first; q < p; q++) {
          backing.releasePage(pageAddress(q), type);
        }
        return false;
      }
    }
    return true;
  }

  /**
   * Wires in the memory manager: from now on pages are backed as they are taken, and the pages
   * already in use are backed now. Throws IllegalStateException when memory runs out doing so.
   */
  void setBacking(PoolPageBacking b) {
    backing = b;
    for (int p = 0; p < highWaterPages; p++) {
      if (pageState[p] != PAGE_FREE && !b.backPage(pageAddress(p), type)) {
        throw new IllegalStateException("no frame for " + type + " page " + p + " at boot");
      }
    }
  }

  private void releasePages(int first, int count) {
    for (int p = first; p < first + count; p++) {
      pageState[p] = PAGE_FREE;
      if (backing != null) {
        backing.releasePage(pageAddress(p), type);
      }
    }
    firstFreeHint = Math.min(firstFreeHint, first);
    pagesInUse -= count;
  }

  private void ensureCapacity(int pages) {
    if (pages <= pageState.length) {
      return;
    }
    int capacity = Math.min(maxPages, Math.max(pages, pageState.length * 2));
    pageState = Arrays.copyOf(pageState, capacity);
    largePages = Arrays.copyOf(largePages, capacity);
    largeTag = Arrays.copyOf(largeTag, capacity);
    small = Arrays.copyOf(small, capacity);
  }

  boolean pageInUse(long address) {
    return state((int) ((address - startAddress) / PAGE_SIZE)) != PAGE_FREE;
  }

  private byte state(int page) {
    return page < highWaterPages ? pageState[page] : PAGE_FREE;
  }

  private long pageAddress(int page) {
    return startAddress + (long) page * PAGE_SIZE;
  }

  // ------------------------------------------------------------------ inspection

  /** The tag of the allocation whose caller's address is {@code address}, or 0 if none is. */
  int allocationTag(long address) {
    int page = (int) ((address - startAddress) / PAGE_SIZE);
    byte state = state(page);
    if (address % PAGE_SIZE == 0) {
      return state == PAGE_LARGE_FIRST ? largeTag[page] : 0;
    }
    if (state != PAGE_SMALL || address % PoolHeader.BYTES != 0) {
      return 0;
    }
    int unit = (int) ((address - pageAddress(page)) / PoolHeader.BYTES) - 1;
    return PoolHeader.isAllocated(small[page][unit]) ? small[page][TAG + unit] : 0;
  }

  /** What {@code !pool} shows of the page holding {@code address} (inside this range). */
  Pool.PoolPage describe(long address) {
    int page = (int) ((address - startAddress) / PAGE_SIZE);
    byte state = state(page);
    if (state == PAGE_SMALL) {
      List<Pool.PoolBlock> blocks = new ArrayList<>();
      int[] words = small[page];
      for (int unit = 0; unit < UNITS_PER_PAGE; ) {
        int header = words[unit];
        int size = PoolHeader.blockSize(header);
        blocks.add(new Pool.PoolBlock(pageAddress(page) + (long) unit * PoolHeader.BYTES,
            header, words[TAG + unit]));
        unit += size;
      }
      return new Pool.PoolPage(type, pageAddress(page), Pool.PageKind.SMALL_BLOCKS, blocks, 0,
          0, 0);
    }
    if (state == PAGE_LARGE_FIRST || state == PAGE_LARGE_REST) {
      int first = page;
      while (pageState[first] != PAGE_LARGE_FIRST) {
        first--;
      }
      return new Pool.PoolPage(type, pageAddress(page), Pool.PageKind.LARGE, List.of(),
          pageAddress(first), (long) largePages[first] * PAGE_SIZE, largeTag[first]);
    }
    return new Pool.PoolPage(type, pageAddress(page), Pool.PageKind.FREE, List.of(), 0, 0, 0);
  }

  // ------------------------------------------------------------------ checks

  /**
   * Checks the invariants above over every page and list, and the counters against the pages;
   * throws IllegalStateException naming the first that fails.
   */
  void verify() {
    long allocations = 0;
    long bytes = 0;
    int pages = 0;
    int listable = 0;
    for (int page = 0; page < highWaterPages; page++) {
      switch (pageState[page]) {
        case PAGE_SMALL -> {
          pages++;
          long[] counts = verifySmallPage(page);
          allocations += counts[0];
          bytes += counts[1];
          listable += (int) counts[2];
        }
        case PAGE_LARGE_FIRST -> {
          int n = largePages[page];
          for (int p = page + 1; p < page + n; p++) {
            check(p < highWaterPages && pageState[p] == PAGE_LARGE_REST,
                "large allocation at page %d is not followed by its %d pages", page, n);
          }
          pages += n;
          allocations++;
          bytes += (long) n * PAGE_SIZE;
          page += n - 1;
        }
        case PAGE_LARGE_REST -> check(false, "page %d continues no large allocation", page);
        default -> check(page >= firstFreeHint, "free page %d below the hint %d", page,
            firstFreeHint);
      }
    }
    check(listable == listedBlocks(), "%d free blocks should be listed, %d are", listable,
        listedBlocks());
    check(allocations == allocationsInUse && bytes == bytesInUse && pages == pagesInUse,
        "counters say %d allocations, %d bytes, %d pages; the pages hold %d, %d, %d",
        allocationsInUse, bytesInUse, pagesInUse, allocations, bytes, pages);
  }

  /** Allocated blocks, their bytes, and free blocks that belong on a list. */
  private long[] verifySmallPage(int page) {
    int[] words = small[page];
    long allocated = 0;
    long bytes = 0;
    long listable = 0;
    int previousSize = 0;
    boolean previousFree = false;
    int unit = 0;
    while (unit < UNITS_PER_PAGE) {
      int header = words[unit];
      int size = PoolHeader.blockSize(header);
      check(size > 0 && unit + size <= UNITS_PER_PAGE, "page %d unit %d: block size %d", page,
          unit, size);
      check(PoolHeader.previousSize(header) == previousSize,
          "page %d unit %d: previous size %d, expected %d", page, unit,
          PoolHeader.previousSize(header), previousSize);
      check(PoolHeader.poolIndex(header) == poolIndex, "page %d unit %d: pool index", page, unit);
      boolean free = !PoolHeader.isAllocated(header);
      if (free) {
        check(!previousFree, "page %d unit %d: two free blocks side by side", page, unit);
        listable += size >= 2 ? 1 : 0;
      } else {
        check(PoolHeader.poolTypeField(header) == type.value + 1, "page %d unit %d: pool type",
            page, unit);
        allocated++;
        bytes += (long) size * PoolHeader.BYTES;
      }
      previousFree = free;
      previousSize = size;
      unit += size;
    }
    check(allocated > 0, "page %d holds only free blocks", page);
    return new long[] {allocated, bytes, listable};
  }

  private int listedBlocks() {
    int listed = 0;
    for (int size = 0; size < UNITS_PER_PAGE; size++) {
      boolean bit = (listNonEmpty[size >>> 6] & (1L << (size & 63))) != 0;
      check(bit == (listHeads[size] != NIL), "list %d: summary bit disagrees", size);
      int previous = NIL;
      for (int g = listHeads[size]; g != NIL; ) {
        int page = g / UNITS_PER_PAGE;
        int unit = g % UNITS_PER_PAGE;
        check(page < highWaterPages && pageState[page] == PAGE_SMALL,
            "list %d: entry %d is not in a small page", size, g);
        int[] words = small[page];
        check(!PoolHeader.isAllocated(words[unit]) && PoolHeader.blockSize(words[unit]) == size,
            "list %d: entry %d is not a free block of that size", size, g);
        check(words[BLINK + unit] == previous, "list %d: entry %d has a bad back link", size, g);
        previous = g;
        g = words[FLINK + unit];
        check(++listed <= highWaterPages * UNITS_PER_PAGE, "list %d loops", size);
      }
    }
    return listed;
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalStateException("pool: " + String.format(format, args));
    }
  }
}
