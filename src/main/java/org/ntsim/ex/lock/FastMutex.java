package org.ntsim.ex.lock;

import org.ntsim.hal.Irql;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;

/**
 * FAST_MUTEX: a mutex a thread takes at APC_LEVEL (ExAcquireFastMutex raises to it and keeps the
 * old IRQL in the mutex for the release) or, with the Unsafe forms, inside a critical region or
 * at APC_LEVEL already. Not recursive. A waiter waits with reason WrFastMutex.
 *
 * <p>Invariants: those of {@link GateMutex}; {@code oldIrql} is the owner's IRQL before
 * ExAcquireFastMutex or ExTryToAcquireFastMutex raised it.
 *
 * <p>IRQL: callers above APC_LEVEL stop the machine with IRQL_NOT_LESS_OR_EQUAL (0xA), the
 * mutex's address and the IRQL, which is what the wait such a caller would make gives.
 */
public final class FastMutex extends GateMutex {
  int oldIrql;

  /** ExInitializeFastMutex: a free fast mutex at {@code address}. */
  public FastMutex(Kernel kernel, long address) {
    super(kernel, address);
  }

  /** ExAcquireFastMutex: raises to APC_LEVEL and takes the mutex, waiting if it is held. */
  public void acquire() {
    checkIrql("ExAcquireFastMutex");
    int old = kernel.raiseIrql(Irql.APC_LEVEL);
    take(WaitReason.WR_FAST_MUTEX);
    oldIrql = old;
  }

  /**
   * ExTryToAcquireFastMutex: takes the mutex at APC_LEVEL if it is free and returns true;
   * otherwise returns false at the caller's IRQL.
   */
  public boolean tryToAcquire() {
    checkIrql("ExTryToAcquireFastMutex");
    int old = kernel.raiseIrql(Irql.APC_LEVEL);
    if (!tryTake()) {
      kernel.lowerIrql(old);
      return false;
    }
    oldIrql = old;
    return true;
  }

  /** ExReleaseFastMutex: gives the mutex up and returns to the IRQL before the acquisition. */
  public void release() {
    int old = oldIrql;
    give("ExReleaseFastMutex");
    kernel.lowerIrql(old);
  }

  /** ExAcquireFastMutexUnsafe: takes the mutex without raising IRQL. */
  public void acquireUnsafe() {
    checkIrql("ExAcquireFastMutexUnsafe");
    take(WaitReason.WR_FAST_MUTEX);
  }

  /** ExReleaseFastMutexUnsafe: gives the mutex up without touching IRQL. */
  public void releaseUnsafe() {
    give("ExReleaseFastMutexUnsafe");
  }
}
