package org.ntsim.trace;

/**
 * What each CPU was doing over time, rebuilt from the events: which thread ran there, and which
 * interrupt service routines and DPCs ran on top of it. The result is a stream of slices per CPU,
 * reported to a {@link SliceListener} as they open and close; the Chrome exporter draws them.
 *
 * <h2>Model</h2>
 *
 * <p>Every CPU has a stack of open slices. Level 0 is the running thread: tid 0 (Idle) from the
 * start of the trace, then whatever each {@link TraceKind#CONTEXT_SWITCH} switches to (its b).
 * {@code ISR_BEGIN} and {@code DPC_BEGIN} push a slice; {@code ISR_END} (same IRQL) and
 * {@code DPC_END} (same DPC address) close the topmost matching slice and, if the emitter left
 * any open above it, those too. A context switch while an ISR or DPC is open (which a correct
 * kernel never does) closes them with the old thread's slice and reopens them, with new slice
 * numbers, in the new thread's; slices therefore always nest.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Slice numbers are handed out in opening order from 0; the same events always give the
 *       same numbers, which lets the exporter learn end times in one pass and write each slice,
 *       parent before child, in a second.
 *   <li>{@code 1 <= depth[cpu] <= MAX_NESTING} until {@link #finish}; level 0 is a thread slice.
 * </ul>
 *
 * <h2>Left out</h2>
 *
 * <p>Events for a CPU outside {@code [0, cpus)} are ignored. An END with no matching BEGIN is
 * ignored, and so is a BEGIN beyond {@value #MAX_NESTING} levels (more than NT's 32 IRQLs allow).
 */
final class CpuTimeline {
  static final int THREAD = 0;
  static final int ISR = 1;
  static final int DPC = 2;
  static final int MAX_NESTING = 64;

  /** Receives slices as the events open and close them. */
  interface SliceListener {
    /**
     * A slice opened. For THREAD, {@code id} is the tid; for ISR, the IRQL, with b = vector and
     * c = interrupted IRQL; for DPC, the DPC address, with b = importance and c = queue depth.
     */
    void sliceOpened(int slice, int cpu, int type, long startNs, long id, long b, long c);

    void sliceClosed(int slice, long endNs);
  }

  private final int cpus;
  private final SliceListener listener;
  private final int[] depth; // open slices per CPU, thread slice included
  // Per CPU and level, at [cpu * MAX_NESTING + level]:
  private final int[] type;
  private final long[] id;
  private final long[] argB;
  private final long[] argC;
  private final int[] slice;
  private int nextSlice;

  /** A timeline in which every one of {@code cpus} CPUs runs the idle thread from {@code startNs}. */
  CpuTimeline(int cpus, long startNs, SliceListener listener) {
    this.cpus = cpus;
    this.listener = listener;
    this.depth = new int[cpus];
    int levels = cpus * MAX_NESTING;
    this.type = new int[levels];
    this.id = new long[levels];
    this.argB = new long[levels];
    this.argC = new long[levels];
    this.slice = new int[levels];
    for (int cpu = 0; cpu < cpus; cpu++) {
      push(cpu, THREAD, startNs, 0, 0, 0);
    }
  }

  /** Advances the timeline by one event, in emission order. */
  void accept(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {
    if (cpu < 0 || cpu >= cpus) {
      return;
    }
    switch (kind) {
      case CONTEXT_SWITCH -> switchThread(cpu, timeNs, b);
      case ISR_BEGIN -> push(cpu, ISR, timeNs, a, b, c);
      case DPC_BEGIN -> push(cpu, DPC, timeNs, a, b, c);
      case ISR_END -> closeFrom(cpu, topmost(cpu, ISR, a), timeNs);
      case DPC_END -> closeFrom(cpu, topmost(cpu, DPC, a), timeNs);
      default -> { }
    }
  }

  /** Closes every slice still open, at {@code endNs}. */
  void finish(long endNs) {
    for (int cpu = 0; cpu < cpus; cpu++) {
      closeFrom(cpu, 0, endNs);
    }
  }

  private void switchThread(int cpu, long timeNs, long newTid) {
    int levels = depth[cpu];
    closeFrom(cpu, 0, timeNs);
    push(cpu, THREAD, timeNs, newTid, 0, 0);
    int base = cpu * MAX_NESTING;
    for (int level = 1; level < levels; level++) {
      int at = base + level;
      push(cpu, type[at], timeNs, id[at], argB[at], argC[at]);
    }
  }

  private void push(int cpu, int sliceType, long timeNs, long sliceId, long b, long c) {
    int level = depth[cpu];
    if (level == MAX_NESTING) {
      return;
    }
    int at = cpu * MAX_NESTING + level;
    type[at] = sliceType;
    id[at] = sliceId;
    argB[at] = b;
    argC[at] = c;
    slice[at] = nextSlice;
    depth[cpu] = level + 1;
    listener.sliceOpened(nextSlice, cpu, sliceType, timeNs, sliceId, b, c);
    nextSlice = Math.incrementExact(nextSlice);
  }

  /** The highest open level holding a slice of this type and id, or -1. Level 0 is never an ISR or DPC. */
  private int topmost(int cpu, int sliceType, long sliceId) {
    int base = cpu * MAX_NESTING;
    for (int level = depth[cpu] - 1; level > 0; level--) {
      if (type[base + level] == sliceType && id[base + level] == sliceId) {
        return level;
      }
    }
    return -1;
  }

  /** Closes the slices at {@code level} and above, innermost first; does nothing for level -1. */
  private void closeFrom(int cpu, int level, long timeNs) {
    if (level < 0) {
      return;
    }
    int base = cpu * MAX_NESTING;
    while (depth[cpu] > level) {
      depth[cpu]--;
      listener.sliceClosed(slice[base + depth[cpu]], timeNs);
    }
  }
}
