package org.ntsim.mm;

import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;

/**
 * Copies between address spaces (Windows Internals ch. 9; NtReadVirtualMemory and
 * NtWriteVirtualMemory): the system services' range check, and MmCopyVirtualMemory, which probes
 * both buffers and copies a page at a time through a kernel buffer, attached to each side in
 * turn, under an exception handler that turns a fault into the service's status.
 *
 * <p>Left out: the copy through a mapped MDL that NT uses for large transfers (the cost model
 * charges the same per byte either way).
 */
public final class ProcessMemoryCopy {
  private static final long PAGE = MmLayout.PAGE_SIZE;

  private final MemoryManager mm;

  ProcessMemoryCopy(MemoryManager mm) {
    this.mm = mm;
  }

  /**
   * The check NtReadVirtualMemory and NtWriteVirtualMemory make for a user-mode caller before
   * anything else, the handle included, and even for a size of zero: neither range may wrap or
   * end past MM_HIGHEST_USER_ADDRESS (STATUS_ACCESS_VIOLATION).
   */
  public static int checkCopy(long remoteVa, long localVa, long size) {
    long highest = MmLayout.MM_HIGHEST_USER_ADDRESS;
    if (!UserRange.endsAtOrBelow(remoteVa, size, highest)
        || !UserRange.endsAtOrBelow(localVa, size, highest)) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * MmCopyVirtualMemory: copies {@code size} bytes from {@code fromVa} in {@code from} to
   * {@code toVa} in {@code to}, a page at a time through a kernel buffer, attached to each side
   * in turn. {@code copied[0]} receives the bytes copied. {@code callerIsSource} says which side
   * is the caller's own buffer (WriteProcessMemory) and which the other process's
   * (ReadProcessMemory): a fault in the other process ends the copy with STATUS_PARTIAL_COPY and
   * the bytes copied so far; a fault in the caller's buffer reports no bytes copied, as
   * STATUS_ACCESS_VIOLATION when the caller's buffer is the destination and, as Vista does,
   * STATUS_PARTIAL_COPY when it is the source.
   */
  public int copy(AddressSpace from, long fromVa, AddressSpace to, long toVa, long size,
      long[] copied, boolean callerIsSource) {
    copied[0] = 0;
    if (size == 0) {
      return NtStatus.STATUS_SUCCESS;
    }
    // Both buffers are probed under the copy's exception handler before anything is copied.
    try {
      Probe.forRead(fromVa, size, 1);
      Probe.forWrite(toVa, size, 1);
    } catch (GuestException e) {
      return e.status();
    }
    byte[] buffer = new byte[(int) Math.min(size, PAGE)];
    long done = 0;
    while (done < size) {
      int chunk = (int) Math.min(size - done, PAGE - ((fromVa + done) & (PAGE - 1)));
      Attachment a = Attachment.attach(mm, from);
      try {
        mm.kernelAccess().read(fromVa + done, buffer, 0, chunk);
      } catch (GuestException e) {
        if (callerIsSource) {
          copied[0] = 0;
        }
        return NtStatus.STATUS_PARTIAL_COPY;
      } finally {
        a.detach(mm);
      }
      a = Attachment.attach(mm, to);
      try {
        mm.kernelAccess().write(toVa + done, buffer, 0, chunk);
      } catch (GuestException e) {
        if (!callerIsSource) {
          copied[0] = 0;
          return NtStatus.STATUS_ACCESS_VIOLATION;
        }
        return NtStatus.STATUS_PARTIAL_COPY;
      } finally {
        a.detach(mm);
      }
      done += chunk;
      copied[0] = done;
    }
    return NtStatus.STATUS_SUCCESS;
  }
}
