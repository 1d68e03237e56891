package org.ntsim.trace;

import java.util.Arrays;

/**
 * The recorded trace: every event, in emission order, in chunks of primitive {@code long}s.
 *
 * <p>Layout: chunk {@code i >> CHUNK_SHIFT} holds event {@code i} at word offset
 * {@code (i & CHUNK_MASK) * WORDS}, as five words:
 *
 * <pre>
 *   +0  timeNs
 *   +1  cpu (high 32 bits) | kind ordinal (low 32 bits)
 *   +2  a
 *   +3  b
 *   +4  c
 * </pre>
 *
 * <p>Invariants: {@code size} events are stored; every chunk below the last is full; chunks are
 * never moved or freed, so an index stays valid for the life of the store.
 *
 * <p>Allocation: {@link #append} allocates only when the last chunk is full, once per
 * {@value #CHUNK_EVENTS} events (a 2.5 MiB array), and when the chunk directory doubles.
 *
 * <p>Left out: a bound. A recording run costs 40 bytes per event and keeps them all; runs that
 * only need the digest leave recording off.
 */
final class EventStore {
  static final int CHUNK_SHIFT = 16;
  static final int CHUNK_EVENTS = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_EVENTS - 1;
  private static final int WORDS = 5;

  private long[][] chunks = new long[8][]; // chunks[0 .. lastChunk] are allocated
  private long size;

  /** Appends one event after all earlier ones. */
  void append(long timeNs, int cpu, int kindOrdinal, long a, long b, long c) {
    int slot = (int) (size & CHUNK_MASK);
    long[] chunk = slot == 0 ? newChunk() : chunks[(int) (size >>> CHUNK_SHIFT)];
    int at = slot * WORDS;
    chunk[at] = timeNs;
    chunk[at + 1] = ((long) cpu << 32) | (kindOrdinal & 0xFFFF_FFFFL);
    chunk[at + 2] = a;
    chunk[at + 3] = b;
    chunk[at + 4] = c;
    size++;
  }

  private long[] newChunk() {
    int index = Math.toIntExact(size >>> CHUNK_SHIFT);
    if (index == chunks.length) {
      chunks = Arrays.copyOf(chunks, chunks.length * 2);
    }
    long[] chunk = new long[CHUNK_EVENTS * WORDS];
    chunks[index] = chunk;
    return chunk;
  }

  long size() {
    return size;
  }

  long timeNs(long index) {
    return word(index, 0);
  }

  int cpu(long index) {
    return (int) (word(index, 1) >> 32);
  }

  TraceKind kind(long index) {
    return TraceKind.ofOrdinal((int) word(index, 1));
  }

  long a(long index) {
    return word(index, 2);
  }

  long b(long index) {
    return word(index, 3);
  }

  long c(long index) {
    return word(index, 4);
  }

  /** Feeds every stored event, in order, to {@code sink}. */
  void replay(TraceSink sink) {
    for (long i = 0; i < size; i++) {
      long[] chunk = chunks[(int) (i >>> CHUNK_SHIFT)];
      int at = (int) (i & CHUNK_MASK) * WORDS;
      long cpuKind = chunk[at + 1];
      sink.emit(chunk[at], (int) (cpuKind >> 32), TraceKind.ofOrdinal((int) cpuKind),
          chunk[at + 2], chunk[at + 3], chunk[at + 4]);
    }
  }

  private long word(long index, int field) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("event " + index + " of " + size);
    }
    return chunks[(int) (index >>> CHUNK_SHIFT)][(int) (index & CHUNK_MASK) * WORDS + field];
  }
}
