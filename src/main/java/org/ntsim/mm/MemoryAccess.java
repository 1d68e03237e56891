package org.ntsim.mm;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.hal.Mmu;
import org.ntsim.hal.PhysicalMemory;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;

/**
 * Loads and stores at virtual addresses made by code running on a simulated processor: user
 * code of a guest, ntsim's kernel code, or a driver. Every access goes through the MMU of the
 * processor it runs on, in that processor's current address space.
 *
 * <p>Models: the instruction's access as the CPU does it: a TLB hit, or a walk, or a page fault
 * taken to {@link PageFaults#accessFault} and the access retried; an access that crosses a page
 * boundary is split. Each access is a simulation point costing {@code memoryAccessNs} (arrays:
 * that per 8 bytes). A fault that cannot be resolved raises STATUS_ACCESS_VIOLATION (or
 * STATUS_GUARD_PAGE_VIOLATION) in the thread as a {@link GuestException}: unhandled in a guest,
 * its process ends with that status; a system service that copies user memory catches it and
 * returns the status, as its try/except does in NT.
 *
 * <p>Invariants: the TLB-hit path does not allocate; nothing outside 32 bits is translated
 * (such an address faults).
 *
 * <p>Left out: instruction fetches (guest code is Java), locked and atomic operations.
 */
public final class MemoryAccess {
  public static final int USER = 0;
  public static final int KERNEL = 1;
  public static final int DRIVER = 2;

  private final MemoryManager mm;
  private final Machine machine;
  private final Kernel kernel;
  private final PhysicalMemory memory;
  private final long accessNs;
  private final int caller;
  private final boolean user;

  MemoryAccess(MemoryManager mm, int caller) {
    this.mm = mm;
    this.machine = mm.machine;
    this.kernel = mm.kernel;
    this.memory = mm.memory;
    this.accessNs = mm.cost.memoryAccessNs;
    this.caller = caller;
    this.user = caller == USER;
  }

  /** The physical address of {@code va}, taking page faults until it translates. */
  private long translate(long va, boolean write) {
    Cpu cpu = machine.activeCpu();
    long pa = (va >>> 32) == 0 ? cpu.mmu.translate(va, write, user) : Mmu.FAULT;
    while (pa == Mmu.FAULT) {
      int status = (va >>> 32) == 0 ? mm.faults.accessFault(va, write, caller)
          : NtStatus.STATUS_ACCESS_VIOLATION;
      if (status != NtStatus.STATUS_SUCCESS) {
        throw raise(status, va, write);
      }
      pa = machine.activeCpu().mmu.translate(va, write, user);
    }
    return pa;
  }

  private static GuestException raise(int status, long va, boolean write) {
    String what = status == NtStatus.STATUS_GUARD_PAGE_VIOLATION ? "guard page violation"
        : "access violation";
    return new GuestException(status, String.format("%s %s 0x%08x", what,
        write ? "writing" : "reading", va));
  }

  public byte readByte(long va) {
    long pa = translate(va, false);
    byte v = memory.readByte(pa);
    kernel.spend(accessNs);
    return v;
  }

  public void writeByte(long va, byte value) {
    long pa = translate(va, true);
    memory.writeByte(pa, value);
    kernel.spend(accessNs);
  }

  public int readInt(long va) {
    if ((va & PhysicalMemory.PAGE_MASK) > PhysicalMemory.PAGE_SIZE - 4) {
      return (int) readSplit(va, 4);
    }
    long pa = translate(va, false);
    int v = memory.readInt(pa);
    kernel.spend(accessNs);
    return v;
  }

  public void writeInt(long va, int value) {
    if ((va & PhysicalMemory.PAGE_MASK) > PhysicalMemory.PAGE_SIZE - 4) {
      writeSplit(va, value, 4);
      return;
    }
    long pa = translate(va, true);
    memory.writeInt(pa, value);
    kernel.spend(accessNs);
  }

  public long readLong(long va) {
    if ((va & PhysicalMemory.PAGE_MASK) > PhysicalMemory.PAGE_SIZE - 8) {
      return readSplit(va, 8);
    }
    long pa = translate(va, false);
    long v = memory.readLong(pa);
    kernel.spend(accessNs);
    return v;
  }

  public void writeLong(long va, long value) {
    if ((va & PhysicalMemory.PAGE_MASK) > PhysicalMemory.PAGE_SIZE - 8) {
      writeSplit(va, value, 8);
      return;
    }
    long pa = translate(va, true);
    memory.writeLong(pa, value);
    kernel.spend(accessNs);
  }

  /** A little-endian value that crosses a page: both pages translated before either is read. */
  private long readSplit(long va, int size) {
    long first = translate(va, false);
    long second = translate((va | PhysicalMemory.PAGE_MASK) + 1, false);
    long v = 0;
    for (int i = 0; i < size; i++) {
      long a = va + i;
      long pa = (a & ~(long) PhysicalMemory.PAGE_MASK) == (va & ~(long) PhysicalMemory.PAGE_MASK)
          ? first + i : second + (a & PhysicalMemory.PAGE_MASK);
      v |= (memory.readByte(pa) & 0xFFL) << (8 * i);
    }
    kernel.spend(2 * accessNs);
    return v;
  }

  private void writeSplit(long va, long value, int size) {
    long first = translate(va, true);
    long second = translate((va | PhysicalMemory.PAGE_MASK) + 1, true);
    for (int i = 0; i < size; i++) {
      long a = va + i;
      long pa = (a & ~(long) PhysicalMemory.PAGE_MASK) == (va & ~(long) PhysicalMemory.PAGE_MASK)
          ? first + i : second + (a & PhysicalMemory.PAGE_MASK);
      memory.writeByte(pa, (byte) (value >>> (8 * i)));
    }
    kernel.spend(2 * accessNs);
  }

  /** Copies {@code length} bytes at {@code va} into {@code dst}, page by page. */
  public void read(long va, byte[] dst, int offset, int length) {
    checkRange(dst, dst == null ? 0 : dst.length, offset, length);
    while (length > 0) {
      int chunk = (int) Math.min(length, PhysicalMemory.PAGE_SIZE - (va & PhysicalMemory.PAGE_MASK));
      long pa = translate(va, false);
      memory.read(pa, dst, offset, chunk);
      kernel.spend(accessNs * ((chunk + 7) / 8));
      va += chunk;
      offset += chunk;
      length -= chunk;
    }
  }

  /** Copies {@code length} bytes of {@code src} to {@code va}, page by page. */
  public void write(long va, byte[] src, int offset, int length) {
    checkRange(src, src == null ? 0 : src.length, offset, length);
    while (length > 0) {
      int chunk = (int) Math.min(length, PhysicalMemory.PAGE_SIZE - (va & PhysicalMemory.PAGE_MASK));
      long pa = translate(va, true);
      memory.write(pa, src, offset, chunk);
      kernel.spend(accessNs * ((chunk + 7) / 8));
      va += chunk;
      offset += chunk;
      length -= chunk;
    }
  }

  public void readInts(long va, int[] dst, int offset, int count) {
    checkRange(dst, dst == null ? 0 : dst.length, offset, count);
    for (int i = 0; i < count; i++) {
      dst[offset + i] = readInt(va + 4L * i);
    }
  }

  public void writeInts(long va, int[] src, int offset, int count) {
    checkRange(src, src == null ? 0 : src.length, offset, count);
    for (int i = 0; i < count; i++) {
      writeInt(va + 4L * i, src[offset + i]);
    }
  }

  /** A buffer the caller does not have is a bad pointer: an access violation in its thread. */
  private static void checkRange(Object array, int arrayLength, int offset, int length) {
    if (array == null || offset < 0 || length < 0 || offset > arrayLength - length) {
      throw new GuestException(NtStatus.STATUS_ACCESS_VIOLATION, "access violation: offset "
          + offset + ", length " + length + " outside the caller's buffer of "
          + (array == null ? "none" : arrayLength + " elements"));
    }
  }
}
