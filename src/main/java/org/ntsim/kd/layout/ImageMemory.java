package org.ntsim.kd.layout;

import org.ntsim.hal.PhysicalMemory;
import org.ntsim.hal.X86Pte;

/**
 * Writes the image of kernel structures into simulated physical memory at their virtual
 * addresses, translating each through the page tables as the MMU would (system addresses through
 * the boot directory, the master copy of the system PDEs; user addresses through the owning
 * process's directory), without the MMU: no TLB, no accessed or dirty bit, no processor's clock.
 *
 * <p>Invariants: a write whose page is not valid (a paged pool page trimmed to the modified list,
 * a page never made resident) is dropped, as the debugger could not read it there either; a zero
 * written to a frame that was never materialised leaves it so (it reads as zero already).
 */
final class ImageMemory {
  private final PhysicalMemory memory;
  private final int systemDirectoryFrame;

  ImageMemory(PhysicalMemory memory, int systemDirectoryFrame) {
    this.memory = memory;
    this.systemDirectoryFrame = systemDirectoryFrame;
  }

  /** The physical address of {@code va} through the directory at {@code directoryFrame}, or -1. */
  long physical(long va, int directoryFrame) {
    va &= 0xFFFFFFFFL;
    int directory = va >= 0x80000000L ? systemDirectoryFrame : directoryFrame;
    int pde = memory.readInt(((long) directory << 12) + (va >>> 22) * 4);
    if ((pde & X86Pte.VALID) == 0) {
      return -1;
    }
    int pte = memory.readInt(((long) X86Pte.frame(pde) << 12) + ((va >>> 12) & 0x3FF) * 4);
    if ((pte & X86Pte.VALID) == 0) {
      return -1;
    }
    return ((long) X86Pte.frame(pte) << 12) | (va & 0xFFF);
  }

  /** Whether the page of system address {@code va} is valid. */
  boolean resident(long va) {
    return physical(va, systemDirectoryFrame) >= 0;
  }

  /** Writes the low {@code bytes} bytes of {@code value} at system address {@code va}. */
  void put(long va, int bytes, long value) {
    put(va, bytes, value, systemDirectoryFrame);
  }

  /** As {@link #put(long, int, long)}, in the address space whose directory is given. */
  void put(long va, int bytes, long value, int directoryFrame) {
    long pa = physical(va, directoryFrame);
    if (pa >= 0 && (pa & 0xFFF) + bytes <= PhysicalMemory.PAGE_SIZE) {
      if (value == 0 && !memory.isMaterialised((int) (pa >>> 12))) {
        return;
      }
      for (int k = 0; k < bytes; k++) {
        memory.writeByte(pa + k, (byte) (value >>> (8 * k)));
      }
      return;
    }
    for (int k = 0; k < bytes; k++) { // across a page boundary, or not valid: byte by byte
      long b = physical(va + k, directoryFrame);
      if (b >= 0) {
        memory.writeByte(b, (byte) (value >>> (8 * k)));
      }
    }
  }

  void put32(long va, long value) {
    put(va, 4, value);
  }

  void put16(long va, long value) {
    put(va, 2, value);
  }

  void put8(long va, long value) {
    put(va, 1, value);
  }

  void put64(long va, long value) {
    put(va, 8, value);
  }

  /** A whole page of system address space at page-aligned {@code va}: dropped if not valid. */
  void putPage(long va, byte[] page) {
    long pa = physical(va, systemDirectoryFrame);
    if (pa >= 0) {
      memory.write(pa, page, 0, PhysicalMemory.PAGE_SIZE);
    }
  }

  /** Zeroes {@code bytes} bytes from {@code va}, page by page. */
  void zero(long va, int bytes, int directoryFrame) {
    long end = va + bytes;
    for (long a = va; a < end; ) {
      long pageEnd = Math.min(end, (a | 0xFFF) + 1);
      long pa = physical(a, directoryFrame);
      if (pa >= 0 && memory.isMaterialised((int) (pa >>> 12))) {
        for (long k = 0; k < pageEnd - a; k++) {
          memory.writeByte(pa + k, (byte) 0);
        }
      }
      a = pageEnd;
    }
  }

  void zero(long va, int bytes) {
    zero(va, bytes, systemDirectoryFrame);
  }

  /** A _LIST_ENTRY at {@code va} pointing forward to {@code flink} and back to {@code blink}. */
  void listEntry(long va, long flink, long blink) {
    put32(va, flink);
    put32(va + 4, blink);
  }

  /** An empty _LIST_ENTRY: both links point at itself. */
  void emptyList(long va) {
    listEntry(va, va, va);
  }

  /**
   * A circular list whose head is at {@code head}, through the entries at {@code entries}, in
   * order: each entry's Flink is the next (the head after the last), its Blink the previous.
   */
  void circularList(long head, long[] entries, int count) {
    if (count == 0) {
      emptyList(head);
      return;
    }
    listEntry(head, entries[0], entries[count - 1]);
    for (int i = 0; i < count; i++) {
      long next = i + 1 < count ? entries[i + 1] : head;
      long prev = i > 0 ? entries[i - 1] : head;
      listEntry(entries[i], next, prev);
    }
  }

  /** Up to {@code maxBytes} ASCII characters of {@code text}, then zeros (as ImageFileName). */
  void ascii(long va, String text, int maxBytes) {
    for (int i = 0; i < maxBytes; i++) {
      put8(va + i, i < text.length() && i < maxBytes - 1 ? text.charAt(i) & 0x7F : 0);
    }
  }
}
