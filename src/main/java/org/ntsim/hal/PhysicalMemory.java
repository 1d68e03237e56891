package org.ntsim.hal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The machine's RAM: {@code frameCount} page frames of 4 KiB, addressed physically.
 *
 * <p>Models: byte, little-endian int and long reads and writes at a physical address, and whole
 * frames cleared at once (what the zero page thread and the fault handler do to a frame). The
 * memory manager's page tables live here too, in the x86 format the MMU walks.
 *
 * <p>Invariants: a frame that was never written, or was zeroed since, holds no host memory and
 * reads as zeros; an int or long access never crosses a frame boundary (callers split it, as the
 * CPU splits an access that crosses a page).
 *
 * <p>Left out: parity errors, memory above 4 GiB (PAE), device memory holes.
 */
public final class PhysicalMemory {
  public static final int PAGE_SHIFT = 12;
  public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  public static final int PAGE_MASK = PAGE_SIZE - 1;
  /** Host arrays kept for reuse after zeroing: a bound on host memory, not a simulated quantity. */
  private static final int SPARE_LIMIT = 64;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] frames;
  private final byte[][] spare = new byte[SPARE_LIMIT][];
  private int spareCount;
  private int materialised;

  public PhysicalMemory(long sizeBytes) {
    this.frames = new byte[(int) (sizeBytes >>> PAGE_SHIFT)][];
  }

  public int frameCount() {
    return frames.length;
  }

  /** Frames that hold host memory now (written since they were last zeroed). */
  public int materialisedFrames() {
    return materialised;
  }

  public boolean isMaterialised(int pfn) {
    return frames[pfn] != null;
  }

  private byte[] frameForWrite(int pfn) {
    byte[] f = frames[pfn];
    if (f == null) {
      f = spareCount > 0 ? spare[--spareCount] : new byte[PAGE_SIZE];
      spare[spareCount] = null;
      frames[pfn] = f;
      materialised++;
    }
    return f;
  }

  public byte readByte(long pa) {
    byte[] f = frames[(int) (pa >>> PAGE_SHIFT)];
    return f == null ? 0 : f[(int) pa & PAGE_MASK];
  }

  public void writeByte(long pa, byte value) {
    frameForWrite((int) (pa >>> PAGE_SHIFT))[(int) pa & PAGE_MASK] = value;
  }

  public int readInt(long pa) {
    byte[] f = frames[(int) (pa >>> PAGE_SHIFT)];
    return f == null ? 0 : (int) INT.get(f, (int) pa & PAGE_MASK);
  }

  public void writeInt(long pa, int value) {
    INT.set(frameForWrite((int) (pa >>> PAGE_SHIFT)), (int) pa & PAGE_MASK, value);
  }

  public long readLong(long pa) {
    byte[] f = frames[(int) (pa >>> PAGE_SHIFT)];
    return f == null ? 0 : (long) LONG.get(f, (int) pa & PAGE_MASK);
  }

  public void writeLong(long pa, long value) {
    LONG.set(frameForWrite((int) (pa >>> PAGE_SHIFT)), (int) pa & PAGE_MASK, value);
  }

  /** Copies {@code length} bytes at {@code pa} (within one frame) into {@code dst}. */
  public void read(long pa, byte[] dst, int offset, int length) {
    byte[] f = frames[(int) (pa >>> PAGE_SHIFT)];
    if (f == null) {
      Arrays.fill(dst, offset, offset + length, (byte) 0);
    } else {
      System.arraycopy(f, (int) pa & PAGE_MASK, dst, offset, length);
    }
  }

  /** Copies {@code length} bytes from {@code src} to {@code pa} (within one frame). */
  public void write(long pa, byte[] src, int offset, int length) {
    System.arraycopy(src, offset, frameForWrite((int) (pa >>> PAGE_SHIFT)), (int) pa & PAGE_MASK,
        length);
  }

  /** Fills frame {@code pfn} with zeros; afterwards it holds no host memory. */
  public void zeroFrame(int pfn) {
    byte[] f = frames[pfn];
    if (f == null) {
      return;
    }
    frames[pfn] = null;
    materialised--;
    if (spareCount < SPARE_LIMIT) {
      Arrays.fill(f, (byte) 0);
      spare[spareCount++] = f;
    }
  }

  /** Copies frame {@code from} over frame {@code to}. */
  public void copyFrame(int from, int to) {
    byte[] f = frames[from];
    if (f == null) {
      zeroFrame(to);
    } else {
      System.arraycopy(f, 0, frameForWrite(to), 0, PAGE_SIZE);
    }
  }
}
