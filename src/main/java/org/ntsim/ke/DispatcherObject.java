package org.ntsim.ke;

/**
 * DISPATCHER_HEADER: what every object a thread can wait on has in common (seed 003, "Wait
 * internals 1"): a type, a signal state, and the list of wait blocks of the threads waiting on it.
 *
 * <p>Invariants: the wait list is doubly linked through the wait blocks, null at both ends, with
 * its first and last block held here (NT's WaitListHead is a list head inside the header; a
 * separate sentinel object would be one more cache miss on every wake-up); a wait block is on it
 * exactly while its thread waits on this object; waiters are kept in arrival order (FIFO, as NT's
 * wait test walks them), except that KQUEUE waiters join at the head.
 *
 * <p>Subclasses say what "signalled for this thread" means and what satisfying a wait does to
 * the object (an auto-reset event resets, a semaphore decrements, a mutant is acquired).
 */
public abstract class DispatcherObject {
  /** KOBJECTS values stored in Header.Type. */
  public static final int EVENT_NOTIFICATION = 0;
  public static final int EVENT_SYNCHRONIZATION = 1;
  public static final int MUTANT = 2;
  public static final int PROCESS = 3;
  public static final int QUEUE = 4;
  public static final int SEMAPHORE = 5;
  public static final int THREAD = 6;
  public static final int TIMER_NOTIFICATION = 8;
  public static final int TIMER_SYNCHRONIZATION = 9;

  final int type;
  int signalState; // > 0 signalled; for semaphores the count
  WaitBlock waitListFirst; // null when no thread waits
  WaitBlock waitListLast;
  /** Simulated kernel address of the object body, as the debugger shows it. */
  public final long address;
  /** Slot for the object manager's header (typed there; the kernel never looks inside). */
  public Object objectHeader;

  protected DispatcherObject(int type, long address) {
    this.type = type;
    this.address = address;
  }

  public int dispatcherType() {
    return type;
  }

  public int signalState() {
    return signalState;
  }

  /** Whether a wait by {@code thread} on this object is satisfied now. */
  boolean isSignaledFor(KThread thread) {
    return signalState > 0;
  }

  /** The side effect of satisfying {@code thread}'s wait; notification objects have none. */
  void satisfyWait(KThread thread) {}

  /** The status a satisfied wait reports for this object at {@code index} (abandoned mutants differ). */
  int waitStatusFor(int index) {
    return NtStatus.STATUS_WAIT_0 + index;
  }

  public boolean hasWaiters() {
    return waitListFirst != null;
  }

  /** The threads waiting on this object, in wait-list order. */
  public java.util.List<WaitBlock> waitBlocks() {
    java.util.List<WaitBlock> out = new java.util.ArrayList<>();
    for (WaitBlock b = waitListFirst; b != null; b = b.next) {
      out.add(b);
    }
    return out;
  }

  /** The type name !object and !thread print. */
  public abstract String typeName();
}
