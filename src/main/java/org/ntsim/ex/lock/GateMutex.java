package org.ntsim.ex.lock;

import org.ntsim.hal.Irql;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KThread;
import org.ntsim.ke.Kernel;

/**
 * What a FAST_MUTEX and a KGUARDED_MUTEX share: the count (1 free, 0 held, each waiter one
 * below), the owner, the contention count, and the synchronization event (the gate) a waiter
 * sleeps on. A release that finds waiters hands the mutex to the first of them: it stays
 * counted as held, with no owner, until that thread runs and records itself.
 *
 * <p>Invariants: {@code count <= 1}; {@code owner} is null when {@code count == 1}; the number
 * of threads waiting on the gate is {@code -count} while the mutex is held.
 *
 * <p>Left out: a recursive acquisition is not detected: the thread waits for itself forever, as
 * on a free build (a checked build asserts). Waits are not alertable and have no timeout.
 */
abstract class GateMutex {
  public final long address;
  final Kernel kernel;
  int count = 1;
  KThread owner;
  int contention;
  final KEvent gate;

  GateMutex(Kernel kernel, long address) {
    this.kernel = kernel;
    this.address = address;
    this.gate = new KEvent(false, false, address + 0x10);
  }

  /** The owning thread, or null (free, or handed to a waiter that has not run yet). */
  public KThread owner() {
    return owner;
  }

  /** Whether the mutex is held (or handed to a waiter). */
  public boolean isHeld() {
    return count <= 0;
  }

  /** How many times an acquisition had to wait. */
  public int contention() {
    return contention;
  }

  /** The number of threads waiting for the mutex. */
  public int waiters() {
    return count < 0 ? -count : 0;
  }

  /** The IRQL rule of both mutexes: callers run at IRQL &lt;= APC_LEVEL. */
  void checkIrql(String routine) {
    int irql = kernel.machine().activeCpu().irql();
    if (irql > Irql.APC_LEVEL) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, address, irql, 0, 0,
          routine + " at " + Irql.name(irql));
    }
  }

  /** Takes the mutex, waiting on the gate with {@code waitReason} if it is held. */
  void take(int waitReason) {
    count--;
    if (count < 0) {
      contention++;
      kernel.waitForSingleObject(gate, waitReason, Kernel.KERNEL_MODE, false, -1);
    }
    owner = kernel.currentThread();
  }

  /** Takes the mutex if it is free; false otherwise. */
  boolean tryTake() {
    if (count != 1) {
      return false;
    }
    count = 0;
    owner = kernel.currentThread();
    return true;
  }

  /** Gives the mutex up, handing it to the first waiter if there is one. */
  void give(String routine) {
    if (owner != kernel.currentThread()) {
      throw new IllegalStateException(routine + ": mutex " + Long.toHexString(address)
          + " is not owned by the current thread");
    }
    owner = null;
    count++;
    if (count <= 0) {
      kernel.setEvent(gate, 1);
    }
  }
}
