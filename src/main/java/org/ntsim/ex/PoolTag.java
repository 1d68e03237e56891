package org.ntsim.ex;

/**
 * Pool tags: the four characters an allocator names its allocations with, held as the ULONG NT
 * stores, first character in the low byte (so "Even" is 0x6e657645, the C literal 'neve').
 *
 * <p>{@link #PROTECTED_POOL}, the tag's top bit, marks an allocation that only a free with the
 * same tag may release; the object manager allocates object bodies that way. Usage is counted
 * and shown without it.
 */
public final class PoolTag {
  /** The tag bit of protected allocations. */
  public static final int PROTECTED_POOL = 0x80000000;
  /** ExAllocatePool's tag, "None". */
  public static final int NONE = of("None");

  private PoolTag() {}

  /** The tag for up to four ASCII characters, padded with spaces: {@code of("Apc")} is "Apc ". */
  public static int of(String text) {
    if (text.length() > 4) {
      throw new IllegalArgumentException("a pool tag has at most four characters: " + text);
    }
    int tag = 0;
    for (int i = 0; i < 4; i++) {
      int c = i < text.length() ? text.charAt(i) : ' ';
      if (c > 0x7F) {
        throw new IllegalArgumentException("a pool tag is ASCII: " + text);
      }
      tag |= c << (8 * i);
    }
    return tag;
  }

  /** The four characters of {@code tag} without the protected bit; non-printing ones as '.'. */
  public static String text(int tag) {
    int t = tag & ~PROTECTED_POOL;
    char[] chars = new char[4];
    for (int i = 0; i < 4; i++) {
      int c = (t >>> (8 * i)) & 0xFF;
      chars[i] = c >= 0x20 && c < 0x7F ? (char) c : '.';
    }
    return new String(chars);
  }

  /** Whether some character of {@code tag} (protected bit aside) is a letter or a digit. */
  static boolean hasLetterOrDigit(int tag) {
    int t = tag & ~PROTECTED_POOL;
    for (int i = 0; i < 4; i++) {
      int c = (t >>> (8 * i)) & 0xFF;
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        return true;
      }
    }
    return false;
  }

  public static boolean isProtected(int tag) {
    return (tag & PROTECTED_POOL) != 0;
  }
}
