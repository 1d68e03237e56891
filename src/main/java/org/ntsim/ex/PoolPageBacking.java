package org.ntsim.ex;

/**
 * What the pool asks of the memory manager for its pages: a physical frame behind a pool page
 * when the pool takes the page, and the frame back when the pool gives the page up (the role of
 * MiAllocatePoolPages and MiFreePoolPages below ExAllocatePoolWithTag and ExFreePoolWithTag).
 * Defined here so that the pool does not depend on the memory manager's classes; the memory
 * manager implements it and the system wires the two together at boot.
 *
 * <p>Both calls are made at the caller's IRQL (up to DISPATCH_LEVEL for non-paged pool, APC_LEVEL
 * for paged pool) and may not block.
 */
public interface PoolPageBacking {
  /**
   * Maps a frame at the page-aligned {@code pageAddress} of {@code type}'s pool; false, changing
   * nothing, when no frame (or no page table for it) is available.
   */
  boolean backPage(long pageAddress, PoolType type);

  /** Unmaps the page at {@code pageAddress} and frees its frame. */
  void releasePage(long pageAddress, PoolType type);
}
