package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The emit path is hot (STYLE.md, "hot paths that do not allocate"). Counts the bytes this thread
 * allocates over many emits. One object per event would cost at least 16 bytes each; the bound
 * allows a few bytes that the JVM itself may allocate on this thread when the JIT recompiles or
 * deoptimises the loop. The JMH benchmark with {@code -prof gc} is the fuller check.
 */
class TracerAllocationTest {
  private static final int EMITS = 40_000;
  private static final long JVM_NOISE_BYTES = 1024;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocatedBytesDuring(Runnable work) {
    long tid = Thread.currentThread().threadId();
    THREADS.getThreadAllocatedBytes(tid);
    long before = THREADS.getThreadAllocatedBytes(tid);
    work.run();
    return THREADS.getThreadAllocatedBytes(tid) - before;
  }

  private static void emitMany(Tracer tracer, int count) {
    for (int i = 0; i < count; i++) {
      tracer.emit(i, i & 3, TraceKind.CONTEXT_SWITCH, i, i + 1, i + 2);
    }
  }

  @Test
  void emitDoesNotAllocateWhenNotRecording() {
    Tracer tracer = new Tracer(false);
    emitMany(tracer, 20_000);

    assertThat(allocatedBytesDuring(() -> emitMany(tracer, EMITS))).isLessThan(JVM_NOISE_BYTES);
  }

  @Test
  void emitDoesNotAllocateWithinARecordingChunk() {
    Tracer tracer = new Tracer(true);
    emitMany(tracer, 20_000); // allocates the first chunk, which has room for all that follow

    assertThat(allocatedBytesDuring(() -> emitMany(tracer, EMITS))).isLessThan(JVM_NOISE_BYTES);
  }
}
