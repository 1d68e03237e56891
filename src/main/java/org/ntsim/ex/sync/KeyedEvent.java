package org.ntsim.ex.sync;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.KSemaphore;
import org.ntsim.ke.KThread;
import org.ntsim.ob.ObjectBody;

/**
 * KEYED_EVENT_OBJECT: the rendezvous of NtWaitForKeyedEvent and NtReleaseKeyedEvent. A thread
 * that arrives first waits, on the list, for a thread of its own process that arrives with the
 * same key on the other side; the second one takes the first off the list and wakes it without
 * waiting itself. A waiter that gives up (a timeout, an alert, an APC) leaves the list.
 *
 * <p>Invariants: every entry's thread is waiting on the entry's semaphore (KTHREAD's
 * KeyedWaitSemaphore in NT), which is 0 while the entry is on the list; entries are in arrival
 * order, and a match takes the earliest.
 *
 * <p>Not a dispatcher object: a wait on its handle waits on {@code defaultObject}, which is always
 * signalled (ObpDefaultObject), so it ends at once (Wine's sync.c test_keyed_events).
 */
public final class KeyedEvent extends ObjectBody {
  /** One waiting thread: its key, its side, and the semaphore it sleeps on. */
  static final class Entry {
    final KThread thread;
    final KProcess process;
    final long key;
    final boolean release; // an NtReleaseKeyedEvent waiting for a waiter
    final KSemaphore wakeUp;

    Entry(KThread thread, long key, boolean release, long address) {
      this.thread = thread;
      this.process = thread.kprocess();
      this.key = key;
      this.release = release;
      this.wakeUp = new KSemaphore(0, 1, address);
    }
  }

  final long address;
  final KEvent defaultObject;
  /** The waiting threads, in arrival order; bounded by the threads of the system. */
  final List<Entry> entries = new ArrayList<>();

  KeyedEvent(long address) {
    this.address = address;
    this.defaultObject = new KEvent(true, true, address);
  }

  /** The earliest entry of {@code process} waiting on the other side for {@code key}, or null. */
  Entry takeMatch(KProcess process, long key, boolean release) {
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.key == key && e.process == process && e.release != release) {
        entries.remove(i);
        return e;
      }
    }
    return null;
  }

  /** The number of threads waiting on it. */
  public int waiting() {
    return entries.size();
  }
}
