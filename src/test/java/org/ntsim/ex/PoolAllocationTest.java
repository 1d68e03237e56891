package org.ntsim.ex;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * ExAllocatePoolWithTag and ExFreePoolWithTag are hot paths (STYLE.md, "hot paths that do not
 * allocate"): once the pools have grown to a workload's size, allocating and freeing allocate no
 * Java objects. Counts the bytes this thread allocates over many pairs; the bound allows what the
 * JVM itself may allocate when the JIT recompiles the loop.
 */
class PoolAllocationTest {
  private static final long JVM_NOISE_BYTES = 1024;
  private static final int LIVE = 512;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Pool pool = new PoolTestSupport().pool;
  private final long[] live = new long[LIVE];
  private final int tag = PoolTag.of("Hot ");
  private long step;

  private void cycle(int pairs) {
    for (int i = 0; i < pairs; i++) {
      int slot = (int) (step % LIVE);
      if (live[slot] != 0) {
        pool.freePoolWithTag(live[slot], tag);
      }
      long bytes = step % 8 == 7 ? 2 * Pool.PAGE_SIZE : 8 + (step * 61) % 600;
      PoolType type = (step & 1) == 0 ? PoolType.NonPagedPool : PoolType.PagedPool;
      live[slot] = pool.allocatePoolWithTag(type, bytes, tag);
      step++;
    }
  }

  @Test
  void allocateAndFreeDoNotAllocateOnceThePoolsHaveGrown() {
    cycle(200_000);
    long tid = Thread.currentThread().threadId();
    long before = THREADS.getThreadAllocatedBytes(tid);
    cycle(40_000);
    long allocated = THREADS.getThreadAllocatedBytes(tid) - before;

    assertThat(allocated).isLessThan(JVM_NOISE_BYTES);
  }
}
