package org.ntsim.ex;

/**
 * The x86 POOL_HEADER: the eight bytes in front of every block of a pool page. The first ULONG
 * packs four fields, sizes in 8-byte units; the second is the pool tag.
 *
 * <pre>
 *   31       25 24       16 15      9 8          0
 *  +-----------+-----------+---------+------------+
 *  | PoolType  | BlockSize |PoolIndex|PreviousSize|   +0
 *  +-----------+-----------+---------+------------+
 *  |                    PoolTag                   |   +4
 *  +----------------------------------------------+
 * </pre>
 *
 * <p>PreviousSize is the size of the block before this one in the page (0 for the first block),
 * BlockSize this block's size, header included; PoolIndex the pool descriptor's index; PoolType
 * 0 for a free block, else the POOL_TYPE plus one. A block is at most 511 units, so no block
 * fills a whole page. The first ULONG of an allocated or free header is never 0: a block is at
 * least one unit.
 */
public final class PoolHeader {
  /** Bytes of the header, and the granularity of small blocks (POOL_SMALLEST_BLOCK on x86). */
  public static final int BYTES = 8;
  /** Units (8-byte blocks) in a 4 KiB page. */
  public static final int UNITS_PER_PAGE = 512;
  /** The largest BlockSize the 9-bit field holds. */
  public static final int MAX_BLOCK_UNITS = 511;

  private static final int SIZE_MASK = 0x1FF;
  private static final int INDEX_MASK = 0x7F;
  private static final int TYPE_MASK = 0x7F;

  private PoolHeader() {}

  /** The first ULONG of a header. {@code poolTypeField}: 0 free, POOL_TYPE + 1 allocated. */
  public static int encode(int previousUnits, int poolIndex, int blockUnits, int poolTypeField) {
    return (previousUnits & SIZE_MASK) | (poolIndex & INDEX_MASK) << 9
        | (blockUnits & SIZE_MASK) << 16 | (poolTypeField & TYPE_MASK) << 25;
  }

  public static int previousSize(int header) {
    return header & SIZE_MASK;
  }

  public static int poolIndex(int header) {
    return (header >>> 9) & INDEX_MASK;
  }

  public static int blockSize(int header) {
    return (header >>> 16) & SIZE_MASK;
  }

  /** The PoolType field: 0 for a free block, else POOL_TYPE + 1. */
  public static int poolTypeField(int header) {
    return (header >>> 25) & TYPE_MASK;
  }

  public static boolean isAllocated(int header) {
    return poolTypeField(header) != 0;
  }

  /** The same header with another PreviousSize. */
  static int withPreviousSize(int header, int previousUnits) {
    return (header & ~SIZE_MASK) | (previousUnits & SIZE_MASK);
  }

  /** The same header marked free (PoolType 0), sizes kept, as a freed block's header reads. */
  static int asFree(int header) {
    return header & ~(TYPE_MASK << 25);
  }
}
