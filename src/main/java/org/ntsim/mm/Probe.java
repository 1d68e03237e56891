package org.ntsim.mm;

import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;

/**
 * ProbeForRead and ProbeForWrite: what a system service does first with a buffer address a
 * user-mode caller gave it, inside the service's exception handler. A misaligned buffer raises
 * STATUS_DATATYPE_MISALIGNMENT; a range that wraps or ends above MmUserProbeAddress
 * (0x7FFF0000) raises STATUS_ACCESS_VIOLATION; a length of zero is never looked at. The raise is
 * a {@link GuestException} that the service catches and returns as its status, as NT's
 * try/except does; nothing here can fault in kernel mode, so a bad user buffer never reaches a
 * system address and never stops the machine.
 *
 * <p>Left out: ProbeForWrite's touch of every page. The copy that follows takes those faults
 * itself and turns them into the service's status, page by page.
 */
public final class Probe {
  private Probe() {}

  /** ProbeForRead: {@code alignment} is 1, 2, 4 or 8. */
  public static void forRead(long address, long length, int alignment) {
    probe(address, length, alignment);
  }

  /** ProbeForWrite: {@code alignment} is 1, 2, 4 or 8. */
  public static void forWrite(long address, long length, int alignment) {
    probe(address, length, alignment);
  }

  private static void probe(long address, long length, int alignment) {
    if (length == 0) {
      return;
    }
    if ((address & (alignment - 1)) != 0) {
      throw new GuestException(NtStatus.STATUS_DATATYPE_MISALIGNMENT, String.format(
          "datatype misalignment: buffer 0x%x is not aligned to %d", address, alignment));
    }
    if (!UserRange.endsAtOrBelow(address, length, MmLayout.MM_USER_PROBE_ADDRESS)) {
      throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, String.format(
          "access violation: buffer 0x%x of 0x%x bytes is not in user space", address, length));
    }
  }
}
