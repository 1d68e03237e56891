package org.ntsim.ex;

/**
 * Where kernel objects get their simulated addresses: the non-paged pool's virtual range as seen
 * by the debugger. Allocations are 8-byte aligned, preceded by an 8-byte POOL_HEADER as in x86
 * NT, and handed out in order from the pool's start so that runs with the same seed print the
 * same addresses.
 *
 * <p>Left out for now: freeing and reuse, tags, paged pool, and backing the range with simulated
 * physical pages; the memory manager's pool replaces this bump allocator and keeps its interface.
 */
public final class Pool {
  /** Start of the non-paged pool range on an x86 system of the period. */
  public static final long NONPAGED_POOL_START = 0x84000000L;
  static final int POOL_HEADER_BYTES = 8;

  private long next = NONPAGED_POOL_START;
  private long allocations;
  private long bytesInUse;

  /** ExAllocatePoolWithTag(NonPagedPool, ...) for the address of an object body. */
  public long allocateNonPaged(int sizeBytes, String tag) {
    long header = next;
    long body = header + POOL_HEADER_BYTES;
    next = body + ((sizeBytes + 7L) & ~7L);
    allocations++;
    bytesInUse += sizeBytes + POOL_HEADER_BYTES;
    return body;
  }

  public long allocations() {
    return allocations;
  }

  public long bytesInUse() {
    return bytesInUse;
  }
}
