package org.ntsim.ke;

/**
 * KWAIT_BLOCK: one thread's reference to one object it waits on (seed 003, "Wait internals 2").
 * Linked into the object's wait list and chained to the thread's other wait blocks of the same
 * wait. The key is the object's position in the wait call's array (the index a WaitAny reports);
 * the thread's timeout block has the key STATUS_TIMEOUT.
 */
public final class WaitBlock {
  public static final int WAIT_ALL = 0;
  public static final int WAIT_ANY = 1;

  KThread thread;
  DispatcherObject object;
  int waitKey;
  int waitType;
  WaitBlock next; // in the object's wait list, null at its end
  WaitBlock prev; // null at its start
  WaitBlock nextWaitBlock; // the thread's chain for this wait, null-terminated
  boolean linked;

  /** Appends this block to the wait list of {@code object}, which the block must name. */
  void linkAtTail() {
    DispatcherObject o = object;
    prev = o.waitListLast;
    next = null;
    if (prev == null) {
      o.waitListFirst = this;
    } else {
      prev.next = this;
    }
    o.waitListLast = this;
    linked = true;
  }

  /** Puts this block first on the wait list of {@code object}, which the block must name. */
  void linkAtHead() {
    DispatcherObject o = object;
    prev = null;
    next = o.waitListFirst;
    if (next == null) {
      o.waitListLast = this;
    } else {
      next.prev = this;
    }
    o.waitListFirst = this;
    linked = true;
  }

  /** Takes this block off its object's wait list, if it is on it. */
  void unlink() {
    if (linked) {
      DispatcherObject o = object;
      if (prev == null) {
        o.waitListFirst = next;
      } else {
        prev.next = next;
      }
      if (next == null) {
        o.waitListLast = prev;
      } else {
        next.prev = prev;
      }
      next = null;
      prev = null;
      linked = false;
    }
  }

  public KThread thread() {
    return thread;
  }

  public DispatcherObject object() {
    return object;
  }

  public int waitKey() {
    return waitKey;
  }

  public int waitType() {
    return waitType;
  }
}
