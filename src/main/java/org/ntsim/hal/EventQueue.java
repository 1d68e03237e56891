package org.ntsim.hal;

import java.util.Arrays;

/**
 * The machine's event queue: a binary min-heap ordered by (time, sequence number).
 *
 * <p>Invariants: the key of a parent is never greater than its children's; sequence numbers grow
 * with every insertion, so events due at the same time fire in the order they were scheduled and
 * never in an order that depends on the host. Storage is parallel primitive arrays plus one array
 * of event references; it grows by doubling and never allocates on insert or removal otherwise.
 */
public final class EventQueue {
  private long[] timeNs = new long[64];
  private long[] seq = new long[64];
  private TimedEvent[] events = new TimedEvent[64];
  private int size;
  private long nextSeq;

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Due time of the earliest event, or {@link Long#MAX_VALUE} when empty. */
  public long peekTimeNs() {
    return size == 0 ? Long.MAX_VALUE : timeNs[0];
  }

  public void schedule(long atNs, TimedEvent event) {
    if (size == timeNs.length) {
      int n = size * 2;
      timeNs = Arrays.copyOf(timeNs, n);
      seq = Arrays.copyOf(seq, n);
      events = Arrays.copyOf(events, n);
    }
    int i = size++;
    long s = nextSeq++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(atNs, s, timeNs[parent], seq[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    timeNs[i] = atNs;
    seq[i] = s;
    events[i] = event;
  }

  /** Removes the earliest event and returns it; the caller reads its time first with peek. */
  public TimedEvent poll() {
    if (size == 0) {
      return null;
    }
    TimedEvent head = events[0];
    int last = --size;
    long t = timeNs[last];
    long s = seq[last];
    TimedEvent e = events[last];
    events[last] = null;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && less(timeNs[child + 1], seq[child + 1], timeNs[child], seq[child])) {
        child++;
      }
      if (!less(timeNs[child], seq[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    if (size > 0) {
      timeNs[i] = t;
      seq[i] = s;
      events[i] = e;
    }
    return head;
  }

  private void move(int from, int to) {
    timeNs[to] = timeNs[from];
    seq[to] = seq[from];
    events[to] = events[from];
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }
}
