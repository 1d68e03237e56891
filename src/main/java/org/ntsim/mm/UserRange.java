package org.ntsim.mm;

/**
 * Address ranges a user-mode caller passes to a system service, checked as NT checks them on
 * x86, where an address and a size are 32-bit values (PVOID, SIZE_T) and the user range ends at
 * MM_HIGHEST_USER_ADDRESS (0x7FFEFFFF). A guest passes Java {@code long}s, so a "size" may be
 * negative or far above 32 bits: no such value fits, and no check here forms a sum that could
 * wrap. Every service that takes an address and a size goes through these checks before it
 * computes an end.
 *
 * <p>NT's own tests, which these follow (the Windows Research Kernel's; the statuses and their
 * Win32 errors match Wine's conformance tests):
 * <ul>
 *   <li>NtFreeVirtualMemory, NtProtectVirtualMemory, NtLockVirtualMemory,
 *       NtUnlockVirtualMemory: {@code (MM_HIGHEST_USER_ADDRESS - base) < size} fails, so
 *       {@code base + size <= 0x7FFEFFFF};
 *   <li>NtGetWriteWatch, NtResetWriteWatch: {@code (MM_HIGHEST_VAD_ADDRESS + 1 - base) < size}
 *       fails, so {@code base + size <= 0x7FFE0000};
 *   <li>NtReadVirtualMemory, NtWriteVirtualMemory (and ProbeForRead, ProbeForWrite against
 *       MmUserProbeAddress): the end {@code address + size} may not wrap or pass the limit.
 * </ul>
 */
public final class UserRange {
  /** MM_HIGHEST_VAD_ADDRESS: the highest address a VAD may cover (64 KiB below the user end). */
  public static final long MM_HIGHEST_VAD_ADDRESS = MmLayout.MM_HIGHEST_USER_ADDRESS - 0x10000;

  private UserRange() {}

  /** Whether {@code va} is a user address: 0 to MM_HIGHEST_USER_ADDRESS. */
  public static boolean isUserAddress(long va) {
    return va >= 0 && va <= MmLayout.MM_HIGHEST_USER_ADDRESS;
  }

  /**
   * Whether {@code size} bytes from {@code base} end at or below {@code limit}: {@code base + size
   * <= limit}, computed as {@code size <= limit - base}, so that it cannot overflow. False for a
   * negative base or size (a value no 32-bit pointer or SIZE_T holds).
   */
  public static boolean endsAtOrBelow(long base, long size, long limit) {
    return base >= 0 && size >= 0 && base <= limit && size <= limit - base;
  }

  /**
   * The test of NtFreeVirtualMemory and its kin, for a base already known to be a user address:
   * whether the range {@code base, size} runs past MM_HIGHEST_USER_ADDRESS.
   */
  public static boolean passesUserSpace(long base, long size) {
    return !endsAtOrBelow(base, size, MmLayout.MM_HIGHEST_USER_ADDRESS);
  }

  /** The test of the write-watch services: whether the range passes MM_HIGHEST_VAD_ADDRESS + 1. */
  public static boolean passesVadSpace(long base, long size) {
    return !endsAtOrBelow(base, size, MM_HIGHEST_VAD_ADDRESS + 1);
  }

  /**
   * The exclusive end of a range that has passed one of the tests above, rounded up to a page.
   * Both values are below 2^31 by then, so the sum is exact.
   */
  public static long pageEnd(long base, long size) {
    return (base + size + MmLayout.PAGE_SIZE - 1) & ~(MmLayout.PAGE_SIZE - 1);
  }
}
