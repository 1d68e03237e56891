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
  WaitBlock next; // in the object's wait list
  WaitBlock prev;
  WaitBlock nextWaitBlock; // the thread's chain for this wait, null-terminated
  boolean linked;

  static WaitBlock sentinel() {
    WaitBlock s = new WaitBlock();
    s.next = s;
    s.prev = s;
    return s;
  }

  void linkAtTail(WaitBlock head) {
    prev = head.prev;
    next = head;
    head.prev.next = this;
    head.prev = this;
    linked = true;
  }

  void unlink() {
    if (linked) {
      prev.next = next;
      next.prev = prev;
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
