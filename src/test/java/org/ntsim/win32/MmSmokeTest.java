package org.ntsim.win32;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MmSmokeTest extends SyncTestSupport {
  @Test
  void allocateTouchFree() {
    long[] r = new long[4];
    run(ctx -> {
      Kernel32 k = ctx.kernel32();
      long a = k.VirtualAlloc(0, 0x20000, Kernel32.MEM_RESERVE | Kernel32.MEM_COMMIT,
          Kernel32.PAGE_READWRITE);
      r[0] = a;
      ctx.writeInt(a + 0x1234, 0xCAFEBABE);
      r[1] = ctx.readInt(a + 0x1234) & 0xFFFFFFFFL;
      r[2] = ctx.readInt(a + 0x5000);
      k.EmptyWorkingSet(k.GetCurrentProcess());
      r[3] = ctx.readInt(a + 0x1234) & 0xFFFFFFFFL;
      k.VirtualFree(a, 0, Kernel32.MEM_RELEASE);
      return 0;
    });
    System.out.println(java.util.Arrays.toString(r));
    assertThat(r[1]).isEqualTo(0xCAFEBABEL);
    assertThat(r[3]).isEqualTo(0xCAFEBABEL);
  }
}
