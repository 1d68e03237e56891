package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.GuestException;
import org.ntsim.ke.NtStatus;

/**
 * The guest's memory API on GuestContext: bytes, ints, longs and arrays at virtual addresses,
 * little-endian, split across pages like the CPU splits an access, with the time each access
 * costs; and an access that faults in the middle of an array copy.
 */
class GuestMemoryAccessTest extends SyncTestSupport {
  private static final int RC = Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT;

  @Test
  void valuesAreLittleEndianAndAccessesMayCrossPages() {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      long a = ctx.kernel32().VirtualAlloc(0, 0x2000, RC, Kernel32.PAGE_READWRITE);
      ctx.writeInt(a, 0x11223344);
      out.add(ctx.readByte(a));
      out.add(ctx.readByte(a + 3));
      ctx.writeLong(a + 0xFFC, 0x0102030405060708L); // half on each page
      out.add(ctx.readLong(a + 0xFFC));
      out.add(ctx.readInt(a + 0x1000));
      ctx.writeInt(a + 0xFFE, 0xCAFEF00D);
      out.add(ctx.readInt(a + 0xFFE));
      byte[] src = new byte[6000];
      for (int i = 0; i < src.length; i++) {
        src[i] = (byte) i;
      }
      ctx.write(a + 100, src, 0, src.length - 100 - 2000);
      byte[] dst = new byte[3900];
      ctx.read(a + 100, dst, 0, dst.length);
      out.add(java.util.Arrays.equals(dst, 0, 3900, src, 0, 3900));
      return 0;
    });
    assertThat(out).containsExactly((byte) 0x44, (byte) 0x11, 0x0102030405060708L, 0x01020304,
        0xCAFEF00D, true);
  }

  @Test
  void anArrayCopyThatRunsIntoReservedMemoryFaultsAfterTheCommittedPart() {
    List<Object> out = new ArrayList<>();
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x10000, Kernel32.MEM_RESERVE, Kernel32.PAGE_READWRITE);
      k.VirtualAlloc(a, 0x1000, Kernel32.MEM_COMMIT, Kernel32.PAGE_READWRITE);
      byte[] src = new byte[0x1800];
      java.util.Arrays.fill(src, (byte) 7);
      try {
        ctx.write(a, src, 0, src.length);
        out.add("no fault");
      } catch (GuestException e) {
        out.add(e.status());
      }
      out.add(ctx.readByte(a + 0xFFF));
      return 0;
    });
    assertThat(out).containsExactly(NtStatus.STATUS_ACCESS_VIOLATION, (byte) 7);
  }

  @Test
  void eachAccessCostsSimulatedTime() {
    long[] ns = new long[2];
    run(ctx -> {
      long a = ctx.kernel32().VirtualAlloc(0, 0x1000, RC, Kernel32.PAGE_READWRITE);
      ctx.readInt(a);
      long t0 = ctx.nowNs();
      for (int i = 0; i < 1000; i++) {
        ctx.readInt(a + (i & 0xFFC));
      }
      ns[0] = ctx.nowNs() - t0;
      return 0;
    });
    assertThat(ns[0]).as("1,000 TLB hits at 1 ns").isBetween(1000L, 1100L);
  }
}
