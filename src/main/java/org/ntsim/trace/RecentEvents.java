package org.ntsim.trace;

/**
 * The last {@value #CAPACITY} events, kept whether or not the trace is recorded, so that a bug
 * report (DESIGN.md section 5: "the seed and the last trace events") can say what the machine
 * was doing when it failed.
 *
 * <p>Invariants: slot {@code s & MASK} holds event {@code s} for every
 * {@code s} in {@code [max(0, count - CAPACITY), count)}; the arrays are allocated once and
 * {@link #add} never allocates.
 */
final class RecentEvents {
  static final int CAPACITY = 256;
  private static final int MASK = CAPACITY - 1;

  private final long[] timeNs = new long[CAPACITY];
  private final int[] cpu = new int[CAPACITY];
  private final TraceKind[] kind = new TraceKind[CAPACITY];
  private final long[] a = new long[CAPACITY];
  private final long[] b = new long[CAPACITY];
  private final long[] c = new long[CAPACITY];
  private long count; // events ever added

  void add(long timeNs, int cpu, TraceKind kind, long a, long b, long c) {
    int slot = (int) (count & MASK);
    this.timeNs[slot] = timeNs;
    this.cpu[slot] = cpu;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.c[slot] = c;
    count++;
  }

  /** The last {@code n} events (fewer if fewer are kept), oldest first, one line each. */
  String describe(int n) {
    long kept = Math.min(count, CAPACITY);
    long first = count - Math.min(kept, Math.max(n, 0));
    StringBuilder out = new StringBuilder();
    for (long s = first; s < count; s++) {
      int slot = (int) (s & MASK);
      EventText.appendLine(out, s, timeNs[slot], cpu[slot], kind[slot], a[slot], b[slot], c[slot]);
      out.append('\n');
    }
    return out.toString();
  }
}
