package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Irql;
import org.ntsim.win32.TestOs;

/**
 * KeAcquireSpinLock and its relatives on a kernel-mode thread: the IRQL they raise to and
 * return, and the bug checks the checked build (and Driver Verifier) give for the rules
 * Microsoft's reference pages state.
 */
class KeSpinLockTest {
  private TestOs sys;
  private final int[] seen = new int[4];

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private KSpinLock lock() {
    return new KSpinLock(sys.os.kernel.staticAddress(4));
  }

  private int irql() {
    return sys.os.machine.activeCpu().irql();
  }

  private void run(Runnable body) {
    sys.systemThread("driver", 8, () -> {
      body.run();
      return 0;
    });
    sys.runFor(5 * MS);
  }

  @Test
  void acquireRaisesToDispatchLevelAndReturnsTheOldIrql() {
    // learn.microsoft.com, KeAcquireSpinLock: "raises IRQL to DISPATCH_LEVEL" and "the caller
    // supplies ... OldIrql ... the current IRQL"; KeReleaseSpinLock restores it.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> {
      seen[0] = lock.acquire(sys.os.kernel);
      seen[1] = irql();
      seen[2] = lock.owner();
      lock.release(sys.os.kernel, seen[0]);
      seen[3] = irql();
    });
    assertThat(seen).containsExactly(Irql.PASSIVE_LEVEL, Irql.DISPATCH_LEVEL, 0,
        Irql.PASSIVE_LEVEL);
    assertThat(lock.isHeld()).isFalse();
  }

  @Test
  void inStackQueuedLockKeepsTheOldIrqlInItsHandle() {
    // learn.microsoft.com, KeAcquireInStackQueuedSpinLock: raises to DISPATCH_LEVEL and stores
    // the previous IRQL in the KLOCK_QUEUE_HANDLE that KeReleaseInStackQueuedSpinLock uses.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    KLockQueueHandle handle = new KLockQueueHandle();
    run(() -> {
      lock.acquireInStackQueued(sys.os.kernel, handle);
      seen[0] = irql();
      seen[1] = handle.oldIrql();
      KSpinLock.releaseInStackQueued(sys.os.kernel, handle);
      seen[2] = irql();
    });
    assertThat(seen).startsWith(Irql.DISPATCH_LEVEL, Irql.PASSIVE_LEVEL, Irql.PASSIVE_LEVEL);
    assertThat(handle.lock()).isNull();
    assertThat(lock.isHeld()).isFalse();
  }

  @Test
  void atDpcLevelFormsLeaveTheIrqlAlone() {
    // learn.microsoft.com, KeAcquireSpinLockAtDpcLevel: "Callers ... must be running at IRQL >=
    // DISPATCH_LEVEL"; it and KeReleaseSpinLockFromDpcLevel do not change the IRQL.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> {
      int old = sys.os.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
      lock.acquireAtDpcLevel(sys.os.kernel);
      seen[0] = lock.owner();
      lock.releaseFromDpcLevel(sys.os.kernel);
      seen[1] = irql();
      sys.os.kernel.lowerIrql(old);
    });
    assertThat(seen[0]).isEqualTo(0);
    assertThat(seen[1]).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(sys.os.kernel.bugCheck()).isNull();
  }

  @Test
  void atDpcLevelBelowDispatchLevelIsIrqlNotGreaterOrEqual() {
    // Bug check 0x9 IRQL_NOT_GREATER_OR_EQUAL: the checked build's check that the caller of
    // KeAcquireSpinLockAtDpcLevel is at DISPATCH_LEVEL or above (the DDI's IRQL requirement).
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> lock.acquireAtDpcLevel(sys.os.kernel));
    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(0x9);
    assertThat(sys.os.kernel.bugCheck().name()).isEqualTo("IRQL_NOT_GREATER_OR_EQUAL");
  }

  @Test
  void acquireAboveDispatchLevelIsIrqlNotGreaterOrEqual() {
    // KeAcquireSpinLock's requirement is IRQL <= DISPATCH_LEVEL; raising to DISPATCH_LEVEL from
    // a device IRQL is a raise to a lower level, which the checked HAL stops with 0x9.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> {
      sys.os.kernel.raiseIrql(Irql.DEVICE_LEVEL_LOW + 2);
      lock.acquire(sys.os.kernel);
    });
    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(0x9);
    assertThat(sys.os.kernel.bugCheck().p1()).isEqualTo(Irql.DEVICE_LEVEL_LOW + 2);
  }

  @Test
  void takingAHeldLockOnTheSameProcessorIsSpinLockAlreadyOwned() {
    // learn.microsoft.com, Bug Check 0xF SPIN_LOCK_ALREADY_OWNED: "a request for a spin lock has
    // been initiated when the spin lock was already owned"; parameter 1 is the lock.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> {
      lock.acquire(sys.os.kernel);
      lock.acquire(sys.os.kernel);
    });
    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(0xF);
    assertThat(sys.os.kernel.bugCheck().p1()).isEqualTo(lock.address);
  }

  @Test
  void releasingToAHigherIrqlIsIrqlNotLessOrEqual() {
    // KeReleaseSpinLock lowers to NewIrql; lowering to a level above the current one is what
    // the checked HAL's KfLowerIrql stops with 0xA IRQL_NOT_LESS_OR_EQUAL.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> {
      lock.acquire(sys.os.kernel);
      lock.release(sys.os.kernel, Irql.HIGH_LEVEL);
    });
    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(0xA);
  }

  @Test
  void releasingALockNotHeldIsSpinLockNotOwned() {
    // Bug check 0x10 SPIN_LOCK_NOT_OWNED: a release of a spin lock the processor does not hold.
    sys = TestOs.boot(1);
    KSpinLock lock = lock();
    run(() -> lock.release(sys.os.kernel, Irql.PASSIVE_LEVEL));
    assertThat(sys.os.kernel.bugCheck().code()).isEqualTo(0x10);
  }
}
