package org.ntsim.ex.lock;

import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;

/**
 * KGUARDED_MUTEX: Windows Server 2003's mutex that, instead of raising IRQL, enters a guarded
 * region (KeEnterGuardedRegion: no kernel APC at all) for as long as it is held. Not recursive.
 * A waiter waits with reason WrGuardedMutex.
 *
 * <p>Invariants: those of {@link GateMutex}; the owner is inside a guarded region it entered in
 * the acquisition.
 *
 * <p>IRQL: callers above APC_LEVEL stop the machine with IRQL_NOT_LESS_OR_EQUAL (0xA).
 */
public final class GuardedMutex extends GateMutex {
  /** KeInitializeGuardedMutex: a free guarded mutex at {@code address}. */
  public GuardedMutex(Kernel kernel, long address) {
    super(kernel, address);
  }

  /** KeAcquireGuardedMutex: enters a guarded region and takes the mutex, waiting if held. */
  public void acquire() {
    checkIrql("KeAcquireGuardedMutex");
    kernel.objects.enterGuardedRegion();
    take(WaitReason.WR_GUARDED_MUTEX);
  }

  /** KeTryToAcquireGuardedMutex: takes the mutex if free; false (outside the region) if not. */
  public boolean tryToAcquire() {
    checkIrql("KeTryToAcquireGuardedMutex");
    kernel.objects.enterGuardedRegion();
    if (!tryTake()) {
      kernel.objects.leaveGuardedRegion();
      return false;
    }
    return true;
  }

  /** KeReleaseGuardedMutex: gives the mutex up and leaves the guarded region. */
  public void release() {
    give("KeReleaseGuardedMutex");
    kernel.objects.leaveGuardedRegion();
  }

  /** KeAcquireGuardedMutexUnsafe: takes the mutex; the caller is already in a guarded region. */
  public void acquireUnsafe() {
    checkIrql("KeAcquireGuardedMutexUnsafe");
    take(WaitReason.WR_GUARDED_MUTEX);
  }

  /** KeReleaseGuardedMutexUnsafe: gives the mutex up and stays in the guarded region. */
  public void releaseUnsafe() {
    give("KeReleaseGuardedMutexUnsafe");
  }
}
