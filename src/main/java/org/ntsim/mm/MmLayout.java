package org.ntsim.mm;

/**
 * The x86 (non-PAE, 2 GiB user) virtual address space of seed 004 slide 25, and the self-map
 * arithmetic of slides 28-30.
 *
 * <pre>
 *  00000000 - 7FFEFFFF  user space (00000000-0000FFFF and 7FFF0000-7FFFFFFF never mapped)
 *  80000000 - 9FFFFFFF  system code, initial non-paged pool
 *  A0000000 - A3FFFFFF  session space (win32k.sys)
 *  A4000000 - BFFFFFFF  system PTE and system cache overflow
 *  C0000000 - C03FFFFF  page tables, self-mapped; the page directory at C0300000
 *  C0400000 - C07FFFFF  hyperspace (working set list, temporary mappings)
 *  C0800000 - C0BFFFFF  unused, no access
 *  C0C00000 - C0FFFFFF  system working set list
 *  C1000000 - E0FFFFFF  system cache
 *  E1000000 - E7FFFFFF  paged pool
 *  E8000000 - FFBDFFFF  system PTEs (reusable system VA), then non-paged pool expansion
 *  FFBE0000 - FFBFFFFF  crash dump information
 *  FFC00000 - FFFFFFFF  HAL
 * </pre>
 *
 * <p>The self-map: page directory entry 0x300 holds the directory's own frame, so the directory
 * doubles as the page table for C0000000-C03FFFFF. The PTE of {@code va} is then at
 * {@code C0000000 + (va >> 12) * 4} and its PDE at {@code C0300000 + (va >> 22) * 4}.
 */
public final class MmLayout {
  public static final long PAGE_SIZE = 4096;
  /** The allocation granularity of user regions. */
  public static final long ALLOCATION_GRANULARITY = 64 * 1024;
  public static final long MM_LOWEST_USER_ADDRESS = 0x00010000L;
  public static final long MM_HIGHEST_USER_ADDRESS = 0x7FFEFFFFL;
  public static final long MM_USER_PROBE_ADDRESS = 0x7FFF0000L;
  public static final long MM_SYSTEM_RANGE_START = 0x80000000L;
  public static final long SESSION_SPACE_START = 0xA0000000L;
  public static final long SYSTEM_PTE_OVERFLOW_START = 0xA4000000L;
  public static final long PTE_BASE = 0xC0000000L;
  public static final long PDE_BASE = 0xC0300000L;
  public static final long PTE_TOP = 0xC03FFFFFL;
  public static final long HYPER_SPACE = 0xC0400000L;
  public static final long HYPER_SPACE_END = 0xC07FFFFFL;
  public static final long SYSTEM_WORKING_SET_LIST = 0xC0C00000L;
  public static final long SYSTEM_CACHE_START = 0xC1000000L;
  /** The fixed paged pool of the classic layout (seed 004); ntsim's pools sit below, see next. */
  public static final long PAGED_POOL_START = 0xE1000000L;
  /**
   * Where ex.Pool places its pools, as Vista's dynamic kernel address space does: inside the
   * system region above the kernel image (the same values as ex.Pool's ranges).
   */
  public static final long DYNAMIC_NONPAGED_POOL_START = 0x84000000L;
  public static final long DYNAMIC_PAGED_POOL_START = 0x8A000000L;
  public static final long DYNAMIC_POOL_END = 0x9A000000L;
  public static final long SYSTEM_PTE_START = 0xE8000000L;
  public static final long CRASH_DUMP_START = 0xFFBE0000L;
  public static final long HAL_START = 0xFFC00000L;
  /** The page directory index of the self-map entry. */
  public static final int SELF_MAP_INDEX = 0x300;
  /** The page directory index of hyperspace: a page table of each process's own. */
  public static final int HYPER_SPACE_INDEX = 0x301;
  /** MiMapPageInHyperSpace's slot: another process's page directory is edited through it. */
  public static final long HYPER_MAP_VA = HYPER_SPACE;
  /** The zero page thread's slot (MiMapPagesToZeroInHyperSpace). */
  public static final long HYPER_ZERO_VA = HYPER_SPACE + 0x1000;
  /** The first page directory index of system space; 512 system PDEs are shared. */
  public static final int FIRST_SYSTEM_PDE = 0x200;
  /** The PFN database's virtual address in this model (x86 NT places it in system space). */
  public static final long PFN_DATABASE = 0x82000000L;
  /** Bytes of one PFN database entry: sizeof(_MMPFN) on x86 Vista is 0x18. */
  public static final int PFN_ENTRY_SIZE = 0x18;

  private MmLayout() {}

  /** MiGetPteAddress. */
  public static long pteAddress(long va) {
    return PTE_BASE + ((va & 0xFFFFFFFFL) >>> 12 << 2);
  }

  /** MiGetPdeAddress. */
  public static long pdeAddress(long va) {
    return PDE_BASE + ((va & 0xFFFFFFFFL) >>> 22 << 2);
  }

  /** MiGetVirtualAddressMappedByPte: the page that the PTE at {@code pteAddress} maps. */
  public static long virtualAddressOfPte(long pteAddress) {
    return ((pteAddress - PTE_BASE) << 10) & 0xFFFFFFFFL;
  }

  public static boolean isPteAddress(long va) {
    return va >= PTE_BASE && va <= PTE_TOP;
  }

  public static boolean isUserAddress(long va) {
    return va >= 0 && va < MM_SYSTEM_RANGE_START;
  }

  /** The name of the region of slide 25 that holds {@code va}. */
  public static String regionName(long va) {
    if (va < MM_SYSTEM_RANGE_START) {
      return "user space";
    }
    if (va >= DYNAMIC_NONPAGED_POOL_START && va < DYNAMIC_PAGED_POOL_START) {
      return "non-paged pool";
    }
    if (va >= DYNAMIC_PAGED_POOL_START && va < DYNAMIC_POOL_END) {
      return "paged pool";
    }
    if (va < SESSION_SPACE_START) {
      return "system code and initial non-paged pool";
    }
    if (va < SYSTEM_PTE_OVERFLOW_START) {
      return "session space";
    }
    if (va < PTE_BASE) {
      return "system PTE and cache overflow";
    }
    if (va <= PTE_TOP) {
      return va >= PDE_BASE && va < PDE_BASE + PAGE_SIZE ? "page directory (self-map)"
          : "page tables (self-map)";
    }
    if (va <= HYPER_SPACE_END) {
      return "hyperspace";
    }
    if (va < SYSTEM_WORKING_SET_LIST) {
      return "unused (no access)";
    }
    if (va < SYSTEM_CACHE_START) {
      return "system working set list";
    }
    if (va < PAGED_POOL_START) {
      return "system cache";
    }
    if (va < SYSTEM_PTE_START) {
      return "paged pool (classic range, unused)";
    }
    if (va < CRASH_DUMP_START) {
      return "system PTEs and non-paged pool expansion";
    }
    if (va < HAL_START) {
      return "crash dump information";
    }
    return "HAL";
  }
}
