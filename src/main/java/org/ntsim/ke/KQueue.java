package org.ntsim.ke;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * KQUEUE: a queue of entries with a concurrency limit, the kernel half of an I/O completion port
 * (Windows Internals, "I/O completion ports"; seed 001).
 *
 * <p>Models: entries are removed first-in first-out; threads that wait to remove one are woken
 * last-in first-out (the most recent waiter is likeliest to have its stack and cache warm). The
 * current count is the number of associated threads that are active: a thread that removes an
 * entry counts, and stops counting while it waits in KeRemoveQueue or blocks on anything else;
 * when an associated thread blocks elsewhere, a waiter may be released in its place, and when it
 * wakes the count goes up again, so it can exceed the limit for a while. An entry is handed
 * straight to a waiter only while the count is below the limit.
 *
 * <p>Invariants: signalState == number of queued entries; a thread is on the associated list
 * exactly while its {@code queue} field points here.
 */
public final class KQueue extends DispatcherObject {
  final ArrayDeque<Object> entries = new ArrayDeque<>();
  int currentCount;
  final int maximumCount;
  final List<KThread> threads = new ArrayList<>();

  public KQueue(int maximumCount, int processorCount, long address) {
    super(QUEUE, address);
    this.maximumCount = maximumCount > 0 ? maximumCount : processorCount;
  }

  public int currentCount() {
    return currentCount;
  }

  public int maximumCount() {
    return maximumCount;
  }

  public int entryCount() {
    return signalState;
  }

  /** Threads associated with this queue, in association order. */
  public List<KThread> associatedThreads() {
    return threads;
  }

  @Override
  void satisfyWait(KThread thread) {
    // a plain wait on a queue only tests for entries; removal goes through KeRemoveQueue
  }

  @Override
  public String typeName() {
    return "Queue";
  }
}
