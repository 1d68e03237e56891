package org.ntsim.trace;

/**
 * The last {@value #CAPACITY} events, kept whether or not the trace is recorded, so that a bug
 * report (DESIGN.md section 5: "the seed and the last trace events") can say what the machine
 * was doing when it failed.
 *
 * <p>Layout: one {@code long} array, {@value #WORDS} words (one 64-byte cache line) per slot, so
 * that adding an event writes one line and no object reference:
 *
 * <pre>
 *   +0  timeNs
 *   +1  cpu (high 32 bits) | kind ordinal (low 32 bits)
 *   +2  a
 *   +3  b
 *   +4  c
 *   +5 .. +7  unused
 * </pre>
 *
 * <p>Invariants: slot {@code s & MASK} holds event {@code s} for every
 * {@code s} in {@code [max(0, count - CAPACITY), count)}; the array is allocated once and
 * {@link #add} never allocates.
 */
final class RecentEvents {
  static final int CAPACITY = 256;
  private static final int MASK = CAPACITY - 1;
  private static final int WORDS = 8;

  private final long[] words = new long[CAPACITY * WORDS];
  private long count; // events ever added (the tracer's event count)

  void add(long timeNs, int cpu, int kindOrdinal, long a, long b, long c) {
    int at = (int) (count & MASK) * WORDS;
    long[] w = words;
    w[at] = timeNs;
    w[at + 1] = ((long) cpu << 32) | (kindOrdinal & 0xFFFF_FFFFL);
    w[at + 2] = a;
    w[at + 3] = b;
    w[at + 4] = c;
    count++;
  }

  long count() {
    return count;
  }

  /**
   * The last {@code n} events (fewer if fewer are kept), one line each, in simulated-time order
   * (emission order among equal times): processors take their steps in global time order, but a
   * processor's atomic step may end after another's next event, so emission order alone can step
   * back by that much across processors. Each line keeps the event's sequence number.
   */
  String describe(int n) {
    long kept = Math.min(count, CAPACITY);
    long first = count - Math.min(kept, Math.max(n, 0));
    Long[] order = new Long[(int) (count - first)];
    for (int i = 0; i < order.length; i++) {
      order[i] = first + i;
    }
    java.util.Arrays.sort(order, java.util.Comparator
        .comparingLong((Long s) -> words[(int) (s & MASK) * WORDS])
        .thenComparingLong(s -> s));
    StringBuilder out = new StringBuilder();
    for (long s : order) {
      int at = (int) (s & MASK) * WORDS;
      long cpuKind = words[at + 1];
      EventText.appendLine(out, s, words[at], (int) (cpuKind >> 32),
          TraceKind.ofOrdinal((int) cpuKind), words[at + 2], words[at + 3], words[at + 4]);
      out.append('\n');
    }
    return out.toString();
  }
}
