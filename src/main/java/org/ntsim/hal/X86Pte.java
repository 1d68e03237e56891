package org.ntsim.hal;

/**
 * The hardware view of an x86 non-PAE page directory or page table entry (seed 004, "Valid x86
 * Hardware PTEs"): 32 bits, the page frame in the top 20.
 *
 * <pre>
 *  31                                  12 11 10  9  8  7  6  5  4  3  2  1  0
 * +--------------------------------------+--------+--+--+--+--+--+--+--+--+--+
 * |           page frame number          | (soft) | G|PS| D| A|CD|WT| U| W| P|
 * +--------------------------------------+--------+--+--+--+--+--+--+--+--+--+
 * </pre>
 *
 * <p>When P is clear the hardware ignores the other 31 bits; the memory manager keeps its own
 * formats there (see {@code mm.MmPte}). Bits 9-11 are free for software even in a valid entry;
 * NT uses bit 9 for copy-on-write.
 */
public final class X86Pte {
  public static final int VALID = 1;
  public static final int WRITE = 1 << 1;
  public static final int OWNER = 1 << 2; // user-mode accessible
  public static final int WRITE_THROUGH = 1 << 3;
  public static final int CACHE_DISABLE = 1 << 4;
  public static final int ACCESSED = 1 << 5;
  public static final int DIRTY = 1 << 6;
  public static final int LARGE_PAGE = 1 << 7;
  public static final int GLOBAL = 1 << 8;
  public static final int COPY_ON_WRITE = 1 << 9;
  public static final int FRAME_MASK = 0xFFFFF000;

  /** Page-fault error code bits (pushed by the CPU with the fault; CR2 holds the address). */
  public static final int FAULT_PROTECTION = 1; // clear: the entry was not present
  public static final int FAULT_WRITE = 1 << 1;
  public static final int FAULT_USER = 1 << 2;

  private X86Pte() {}

  public static boolean isValid(int pte) {
    return (pte & VALID) != 0;
  }

  public static int frame(int pte) {
    return pte >>> 12;
  }

  /** A valid entry mapping {@code pfn} with the given low flag bits. */
  public static int make(int pfn, int flags) {
    return (pfn << 12) | (flags & 0xFFF) | VALID;
  }

  /**
   * The flag letters WinDbg's {@code !pte} prints for a valid entry: copy-on-write, global,
   * large, dirty, accessed, cache disabled, write-through, U or K, W or R, executable (always on
   * an x86 without no-execute), valid.
   */
  public static String flagLetters(int pte) {
    StringBuilder b = new StringBuilder(11);
    b.append((pte & COPY_ON_WRITE) != 0 ? 'C' : '-');
    b.append((pte & GLOBAL) != 0 ? 'G' : '-');
    b.append((pte & LARGE_PAGE) != 0 ? 'L' : '-');
    b.append((pte & DIRTY) != 0 ? 'D' : '-');
    b.append((pte & ACCESSED) != 0 ? 'A' : '-');
    b.append((pte & CACHE_DISABLE) != 0 ? 'N' : '-');
    b.append((pte & WRITE_THROUGH) != 0 ? 'T' : '-');
    b.append((pte & OWNER) != 0 ? 'U' : 'K');
    b.append((pte & WRITE) != 0 ? 'W' : 'R');
    b.append('E');
    b.append((pte & VALID) != 0 ? 'V' : '-');
    return b.toString();
  }
}
