package org.ntsim.mm;

import org.ntsim.hal.X86Pte;

/**
 * The memory manager's formats of an x86 non-PAE PTE whose valid bit is clear (seed 004, "x86
 * Invalid PTEs"), and the 5-bit page protection they carry. The hardware ignores such an entry;
 * the fault handler reads it to decide what the page is.
 *
 * <pre>
 *  Page file (demand zero when both offset fields are 0 and the protection is not):
 *  31                                  12 11 10  9       5  4        1  0
 * +--------------------------------------+--+--+----------+-----------+--+
 * |        page file offset              | 0| 0|protection| page file | 0|
 * +--------------------------------------+--+--+----------+-----------+--+
 *  Transition (the frame is on the standby or modified list, or being read or zeroed):
 * +--------------------------------------+--+--+----------+-----------+--+
 * |        page frame number             | 1| 0|protection| CD WT O W | 0|
 * +--------------------------------------+--+--+----------+-----------+--+
 *  Prototype (points at a prototype PTE of a section; bits 7-27 high, 0-6 low):
 * +--------------------------------------------+--+-----+--------------+--+
 * |    prototype PTE address bits 7-27         | 1| ..  | bits 0-6     | 0|
 * +--------------------------------------------+--+-----+--------------+--+
 *  Zero: unknown; the VADs say what the page is. A page table that does not exist reads the
 *  same way.
 * </pre>
 *
 * <p>Protection values are NT's MM_* codes: 0-7 the access kinds, 8 (MM_NOCACHE) and 0x10
 * (MM_GUARD_PAGE) modifiers; 0x18 is MM_NOACCESS and 0x10 alone MM_DECOMMIT (a page decommitted
 * inside a region committed at reservation).
 *
 * <p>Left out: the paging-file and prototype formats are decoded but nothing makes them yet (no
 * paging files or sections before the I/O manager); copy-on-write.
 */
public final class MmPte {
  public static final int MM_ZERO_ACCESS = 0;
  public static final int MM_READONLY = 1;
  public static final int MM_EXECUTE = 2;
  public static final int MM_EXECUTE_READ = 3;
  public static final int MM_READWRITE = 4;
  public static final int MM_WRITECOPY = 5;
  public static final int MM_EXECUTE_READWRITE = 6;
  public static final int MM_EXECUTE_WRITECOPY = 7;
  public static final int MM_NOCACHE = 0x08;
  public static final int MM_GUARD_PAGE = 0x10;
  public static final int MM_DECOMMIT = 0x10;
  public static final int MM_NOACCESS = 0x18;

  static final int PROTECTION_SHIFT = 5;
  static final int PROTOTYPE = 1 << 10;
  static final int TRANSITION = 1 << 11;

  /** What {@link #kind} says a PTE is: the fault handler's dispatch. */
  public static final int KIND_VALID = 0;
  /** Zero: the VAD says what the page is. */
  public static final int KIND_UNKNOWN = 1;
  public static final int KIND_DEMAND_ZERO = 2;
  public static final int KIND_TRANSITION = 3;
  public static final int KIND_PROTOTYPE = 4;
  public static final int KIND_PAGE_FILE = 5;

  // Win32 PAGE_* values
  public static final int PAGE_NOACCESS = 0x01;
  public static final int PAGE_READONLY = 0x02;
  public static final int PAGE_READWRITE = 0x04;
  public static final int PAGE_WRITECOPY = 0x08;
  public static final int PAGE_EXECUTE = 0x10;
  public static final int PAGE_EXECUTE_READ = 0x20;
  public static final int PAGE_EXECUTE_READWRITE = 0x40;
  public static final int PAGE_EXECUTE_WRITECOPY = 0x80;
  public static final int PAGE_GUARD = 0x100;
  public static final int PAGE_NOCACHE = 0x200;
  public static final int PAGE_WRITECOMBINE = 0x400;

  private static final String[] ACCESS_NAMES = {"NoAccess", "ReadOnly", "Execute",
      "ExecuteRead", "ReadWrite", "WriteCopy", "ExecuteReadWrite", "ExecuteWriteCopy"};

  private MmPte() {}

  /** Which of the formats above {@code pte} is in, or valid. */
  public static int kind(int pte) {
    if (isValid(pte)) {
      return KIND_VALID;
    }
    if (pte == 0) {
      return KIND_UNKNOWN;
    }
    if (isPrototype(pte)) {
      return KIND_PROTOTYPE;
    }
    if (isTransition(pte)) {
      return KIND_TRANSITION;
    }
    return isDemandZero(pte) ? KIND_DEMAND_ZERO : KIND_PAGE_FILE;
  }

  public static boolean isValid(int pte) {
    return (pte & X86Pte.VALID) != 0;
  }

  public static boolean isTransition(int pte) {
    return (pte & (X86Pte.VALID | PROTOTYPE | TRANSITION)) == TRANSITION;
  }

  public static boolean isPrototype(int pte) {
    return (pte & (X86Pte.VALID | PROTOTYPE)) == PROTOTYPE;
  }

  /** A page-file format entry (demand zero included). */
  public static boolean isPageFile(int pte) {
    return pte != 0 && (pte & (X86Pte.VALID | PROTOTYPE | TRANSITION)) == 0;
  }

  public static boolean isDemandZero(int pte) {
    return isPageFile(pte) && pageFileNumber(pte) == 0 && pageFileOffset(pte) == 0;
  }

  public static int protection(int pte) {
    return (pte >>> PROTECTION_SHIFT) & 0x1F;
  }

  public static int pageFileNumber(int pte) {
    return (pte >>> 1) & 0xF;
  }

  public static int pageFileOffset(int pte) {
    return pte >>> 12;
  }

  /** The frame of a transition entry. */
  public static int transitionFrame(int pte) {
    return pte >>> 12;
  }

  /** The prototype PTE address of a prototype entry. */
  public static long prototypeAddress(int pte) {
    long low = (pte >>> 1) & 0x7F;
    long high = (pte >>> 11) & 0x1FFFFF;
    return 0x80000000L | (high << 9) | (low << 2);
  }

  public static int demandZero(int protection) {
    return (protection & 0x1F) << PROTECTION_SHIFT;
  }

  public static int transition(int pfn, int protection) {
    return (pfn << 12) | TRANSITION | ((protection & 0x1F) << PROTECTION_SHIFT);
  }

  /** Whether the protection lets nothing through: MM_ZERO_ACCESS, MM_NOACCESS or MM_DECOMMIT. */
  public static boolean isNoAccess(int protection) {
    return (protection & 7) == MM_ZERO_ACCESS;
  }

  public static boolean isGuard(int protection) {
    return (protection & MM_GUARD_PAGE) != 0 && (protection & 7) != 0;
  }

  public static boolean isWritable(int protection) {
    int access = protection & 7;
    return access == MM_READWRITE || access == MM_EXECUTE_READWRITE || access == MM_WRITECOPY
        || access == MM_EXECUTE_WRITECOPY;
  }

  /** The valid entry's low bits for a page of {@code protection} mapped for {@code user}. */
  public static int hardwareBits(int protection, boolean user) {
    int bits = X86Pte.VALID | (user ? X86Pte.OWNER : 0);
    int access = protection & 7;
    if (access == MM_READWRITE || access == MM_EXECUTE_READWRITE) {
      bits |= X86Pte.WRITE;
    }
    if ((protection & MM_NOCACHE) != 0) {
      bits |= X86Pte.CACHE_DISABLE;
    }
    return bits;
  }

  /**
   * MiMakeProtectionMask: the MM protection for a Win32 PAGE_* value, or -1 when Windows rejects
   * the combination (no access kind, two kinds, or GUARD or NOCACHE with PAGE_NOACCESS).
   */
  public static int fromWin32(int pageProtection) {
    int kind = pageProtection & 0xFF;
    int modifiers = pageProtection & ~0xFF;
    if (Integer.bitCount(kind) != 1 || (modifiers & ~(PAGE_GUARD | PAGE_NOCACHE)) != 0) {
      return -1;
    }
    if (modifiers == (PAGE_GUARD | PAGE_NOCACHE)) {
      return -1;
    }
    int access = switch (kind) {
      case PAGE_NOACCESS -> MM_NOACCESS;
      case PAGE_READONLY -> MM_READONLY;
      case PAGE_READWRITE -> MM_READWRITE;
      case PAGE_WRITECOPY -> MM_WRITECOPY;
      case PAGE_EXECUTE -> MM_EXECUTE;
      case PAGE_EXECUTE_READ -> MM_EXECUTE_READ;
      case PAGE_EXECUTE_READWRITE -> MM_EXECUTE_READWRITE;
      default -> MM_EXECUTE_WRITECOPY;
    };
    if (access == MM_NOACCESS) {
      return modifiers == 0 ? MM_NOACCESS : -1;
    }
    if ((modifiers & PAGE_GUARD) != 0) {
      access |= MM_GUARD_PAGE;
    }
    if ((modifiers & PAGE_NOCACHE) != 0) {
      access |= MM_NOCACHE;
    }
    return access;
  }

  /** The Win32 PAGE_* value for an MM protection (0 for MM_DECOMMIT and MM_ZERO_ACCESS). */
  public static int toWin32(int protection) {
    if (protection == MM_NOACCESS) {
      return PAGE_NOACCESS;
    }
    if (isNoAccess(protection)) {
      return 0;
    }
    int kind = switch (protection & 7) {
      case MM_READONLY -> PAGE_READONLY;
      case MM_EXECUTE -> PAGE_EXECUTE;
      case MM_EXECUTE_READ -> PAGE_EXECUTE_READ;
      case MM_READWRITE -> PAGE_READWRITE;
      case MM_WRITECOPY -> PAGE_WRITECOPY;
      case MM_EXECUTE_READWRITE -> PAGE_EXECUTE_READWRITE;
      default -> PAGE_EXECUTE_WRITECOPY;
    };
    if ((protection & MM_GUARD_PAGE) != 0) {
      kind |= PAGE_GUARD;
    }
    if ((protection & MM_NOCACHE) != 0) {
      kind |= PAGE_NOCACHE;
    }
    return kind;
  }

  /** How {@code !pte} names a protection: "4 - ReadWrite", "14 - ReadWrite Guard"... */
  public static String protectionName(int protection) {
    String name = protection == MM_NOACCESS ? "NoAccess"
        : protection == MM_DECOMMIT ? "Decommitted" : ACCESS_NAMES[protection & 7];
    if (protection != MM_NOACCESS && protection != MM_DECOMMIT) {
      if ((protection & MM_NOCACHE) != 0) {
        name += " NoCache";
      }
      if ((protection & MM_GUARD_PAGE) != 0) {
        name += " Guard";
      }
    }
    return Integer.toHexString(protection).toUpperCase() + " - " + name;
  }
}
