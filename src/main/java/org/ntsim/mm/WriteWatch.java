package org.ntsim.mm;

import org.ntsim.hal.X86Pte;
import org.ntsim.ke.NtStatus;

/**
 * Write watching (Windows Internals ch. 9, "Write watch"; GetWriteWatch, ResetWriteWatch): a
 * region reserved with MEM_WRITE_WATCH keeps a bit per page written since the last reset. A
 * watched page's PTE is valid without write access; the write fault sets the bit and gives the
 * access back ({@link PageFaults}). NtGetWriteWatch reports the written pages, and with
 * WRITE_WATCH_FLAG_RESET (or NtResetWriteWatch) takes write access away again.
 *
 * <p>Invariant: a watched page whose bit is clear has no write access in a valid PTE.
 */
public final class WriteWatch {
  private final MemoryManager mm;

  WriteWatch(MemoryManager mm) {
    this.mm = mm;
  }

  /**
   * NtGetWriteWatch: the pages of a write-watched region written since the last reset, up to
   * {@code count[0]} of them; {@code count[0]} receives how many. With VirtualMemory.WRITE_WATCH_FLAG_RESET the
   * pages reported start being watched again.
   */
  public int getWriteWatch(AddressSpace as, int flags, long base, long size, long[] addresses,
      long[] count) {
    int check = checkGetWriteWatch(flags, base, size);
    if (check != NtStatus.STATUS_SUCCESS) {
      return check;
    }
    if (size == 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_4;
    }
    Vad vad = as.vads.find(base >>> 12);
    long end = UserRange.pageEnd(base, size);
    if (vad == null || !vad.writeWatch || end > vad.endAddress()) {
      return NtStatus.STATUS_INVALID_PARAMETER_1;
    }
    long capacity = Math.min(count[0], addresses == null ? 0 : addresses.length);
    long found = 0;
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    try {
      for (long vpn = base >>> 12; vpn < end >>> 12 && found < capacity; vpn++) {
        if (vad.written(vpn)) {
          addresses[(int) found++] = vpn << 12;
          if ((flags & VirtualMemory.WRITE_WATCH_FLAG_RESET) != 0) {
            rewatch(vad, vpn);
          }
        }
      }
    } finally {
      mm.unlock(old);
      a.detach(mm);
    }
    count[0] = found;
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * The checks NtGetWriteWatch makes before it probes its pointers: the flags
   * (STATUS_INVALID_PARAMETER_2), the base (above MM_HIGHEST_VAD_ADDRESS:
   * STATUS_INVALID_PARAMETER_2) and the size (past MM_HIGHEST_VAD_ADDRESS:
   * STATUS_INVALID_PARAMETER_3), numbered as NT numbers them.
   */
  public static int checkGetWriteWatch(int flags, long base, long size) {
    if ((flags & ~VirtualMemory.WRITE_WATCH_FLAG_RESET) != 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    if (base < 0 || base > UserRange.MM_HIGHEST_VAD_ADDRESS) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    if (UserRange.passesVadSpace(base, size)) {
      return NtStatus.STATUS_INVALID_PARAMETER_3;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * NtResetWriteWatch: a base above MM_HIGHEST_VAD_ADDRESS is STATUS_INVALID_PARAMETER_2, a size
   * of zero or past it STATUS_INVALID_PARAMETER_3, a range outside one write-watched region
   * STATUS_INVALID_PARAMETER_1.
   */
  public int resetWriteWatch(AddressSpace as, long base, long size) {
    if (base < 0 || base > UserRange.MM_HIGHEST_VAD_ADDRESS) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    if (size == 0 || UserRange.passesVadSpace(base, size)) {
      return NtStatus.STATUS_INVALID_PARAMETER_3;
    }
    Vad vad = as.vads.find(base >>> 12);
    long end = UserRange.pageEnd(base, size);
    if (vad == null || !vad.writeWatch || end > vad.endAddress()) {
      return NtStatus.STATUS_INVALID_PARAMETER_1;
    }
    Attachment a = Attachment.attach(mm, as);
    int old = mm.lock();
    try {
      for (long vpn = base >>> 12; vpn < end >>> 12; vpn++) {
        if (vad.written(vpn)) {
          rewatch(vad, vpn);
        }
      }
    } finally {
      mm.unlock(old);
      a.detach(mm);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** Clears the page's written bit and takes write access away so the next write is seen. */
  private void rewatch(Vad vad, long vpn) {
    vad.clearWritten(vpn);
    int pte = mm.readPteIfMapped(vpn << 12);
    if (MmPte.isValid(pte) && (pte & X86Pte.WRITE) != 0) {
      mm.writePte(MmLayout.pteAddress(vpn << 12), pte & ~X86Pte.WRITE);
      mm.tb.flushTb(vpn << 12);
    }
  }
}
