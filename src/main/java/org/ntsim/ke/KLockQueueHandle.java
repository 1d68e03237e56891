package org.ntsim.ke;

/**
 * KLOCK_QUEUE_HANDLE: the caller's record of an in-stack queued spin lock acquisition, the lock
 * and the IRQL to return to. Invariant: {@code lock} is null unless the acquisition is current.
 * Left out: the queue entry's link to the next waiter (no processor ever spins here).
 */
public final class KLockQueueHandle {
  KSpinLock lock;
  int oldIrql;

  /** The lock this handle holds, or null. */
  public KSpinLock lock() {
    return lock;
  }

  /** The IRQL KeReleaseInStackQueuedSpinLock returns to. */
  public int oldIrql() {
    return oldIrql;
  }
}
