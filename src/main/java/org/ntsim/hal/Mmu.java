package org.ntsim.hal;

/**
 * A processor's memory-management unit: translation of virtual to physical addresses through
 * page tables in {@link PhysicalMemory}, with a TLB. One per CPU. The x86 two-level non-PAE unit
 * ({@link X86Mmu}) is the one there is; a four-level x64 unit can implement the same interface.
 *
 * <p>A translation either succeeds (a physical address, zero or more) or faults: it returns
 * {@link #FAULT} and leaves the faulting address and the error code in {@link #faultAddress()}
 * and {@link #faultErrorCode()}, as x86 leaves them in CR2 and on the trap frame.
 */
public interface Mmu {
  long FAULT = -1;

  /** Translates {@code va} for a read or write from user or kernel mode; FAULT if it faults. */
  long translate(long va, boolean write, boolean user);

  long faultAddress();

  int faultErrorCode();

  /** The page directory's physical address (CR3). */
  long directoryBase();

  /**
   * Loads CR3; when it changes, TLB entries that are not global are flushed. Returns whether it
   * changed.
   */
  boolean loadDirectoryBase(long physicalAddress);

  /** INVLPG: drops the TLB entry of the page holding {@code va}, global or not. */
  void invalidatePage(long va);

  /**
   * Drops the entry of {@code va}'s page at another processor's request (the receiving end of a
   * TLB shootdown); the time it costs here is the IPI's interrupt, charged by the interrupt.
   */
  void dropPage(long va);

  /**
   * Drops every entry that is not global at another processor's request (a shootdown of a whole
   * address space); its cost is the IPI's interrupt.
   */
  void dropNonGlobal();

  /** Drops every TLB entry, global ones included (as a CR4.PGE toggle does). */
  void flushAll();

  /** Whether the TLB holds a translation for the page of {@code va}. */
  boolean cached(long va);

  long tlbHits();

  long tlbFlushes();

  int tlbEntries();

  long tlbMisses();
}
