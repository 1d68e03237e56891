package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.Irql;

/**
 * KSPIN_LOCK: a lock taken at raised IRQL by one processor at a time. It guards a KINTERRUPT's
 * service routine against the code that synchronises with it (KeSynchronizeExecution), and is
 * the spin lock drivers take with KeAcquireSpinLock, KeAcquireSpinLockAtDpcLevel and the
 * in-stack queued form; it records which processor holds it so that tests and the debugger can
 * see it held.
 *
 * <p>Invariants: {@code owner} is the holding processor's number, -1 when free; a processor never
 * takes a lock it already holds (that is NT's bug check 0xF, SPIN_LOCK_ALREADY_OWNED, which the
 * checked build and Driver Verifier raise; a free build spins forever). Releasing a lock the
 * processor does not hold is 0x10, SPIN_LOCK_NOT_OWNED (checked build).
 *
 * <p>IRQL rules as the checked HAL enforces them: raising to DISPATCH_LEVEL from above it is
 * IRQL_NOT_GREATER_OR_EQUAL (0x9), lowering to an old IRQL above the current one is
 * IRQL_NOT_LESS_OR_EQUAL (0xA); KeAcquireSpinLockAtDpcLevel below DISPATCH_LEVEL is 0x9.
 *
 * <p>Left out: spinning. The machine runs one processor at a time and a holder gives its
 * processor back only between simulation points, so a routine that holds the lock and spends no
 * time is never contended; one that would meet another processor's hold is refused. The queued
 * form keeps no queue of waiters for the same reason: its handle records only the old IRQL.
 */
public final class KSpinLock {
  public final long address;
  int owner = -1;

  public KSpinLock(long address) {
    this.address = address;
  }

  /** The processor that holds the lock, or -1. */
  public int owner() {
    return owner;
  }

  public boolean isHeld() {
    return owner >= 0;
  }

  /** KeAcquireSpinLock: raises to DISPATCH_LEVEL, takes the lock; returns the old IRQL. */
  public int acquire(Kernel kernel) {
    Cpu cpu = kernel.machine().activeCpu();
    int old = cpu.irql();
    if (old > Irql.DISPATCH_LEVEL) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_GREATER_OR_EQUAL, old, Irql.DISPATCH_LEVEL, 0, 0,
          "KeAcquireSpinLock at IRQL " + old);
    }
    cpu.setIrql(Irql.DISPATCH_LEVEL);
    take(kernel, cpu);
    return old;
  }

  /** KeReleaseSpinLock: frees the lock and lowers to {@code oldIrql}. */
  public void release(Kernel kernel, int oldIrql) {
    Cpu cpu = kernel.machine().activeCpu();
    give(kernel, cpu);
    if (oldIrql > cpu.irql()) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_LESS_OR_EQUAL, oldIrql, cpu.irql(), 0, 0,
          "KeReleaseSpinLock to IRQL " + oldIrql + " from IRQL " + cpu.irql());
    }
    kernel.lowerIrql(oldIrql);
  }

  /** KeAcquireSpinLockAtDpcLevel: takes the lock; the caller is already at DISPATCH_LEVEL. */
  public void acquireAtDpcLevel(Kernel kernel) {
    Cpu cpu = kernel.machine().activeCpu();
    if (cpu.irql() < Irql.DISPATCH_LEVEL) {
      kernel.bugCheckEx(BugCheck.IRQL_NOT_GREATER_OR_EQUAL, address, cpu.irql(), 0, 0,
          "KeAcquireSpinLockAtDpcLevel at IRQL " + cpu.irql());
    }
    take(kernel, cpu);
  }

  /** KeReleaseSpinLockFromDpcLevel: frees the lock and leaves the IRQL as it is. */
  public void releaseFromDpcLevel(Kernel kernel) {
    give(kernel, kernel.machine().activeCpu());
  }

  /**
   * KeAcquireInStackQueuedSpinLock: raises to DISPATCH_LEVEL and takes the lock, recording it and
   * the old IRQL in the caller's KLOCK_QUEUE_HANDLE.
   */
  public void acquireInStackQueued(Kernel kernel, KLockQueueHandle handle) {
    handle.oldIrql = acquire(kernel);
    handle.lock = this;
  }

  /** KeReleaseInStackQueuedSpinLock: frees the handle's lock and lowers to its old IRQL. */
  public static void releaseInStackQueued(Kernel kernel, KLockQueueHandle handle) {
    KSpinLock lock = handle.lock;
    handle.lock = null;
    lock.release(kernel, handle.oldIrql);
  }

  /** Takes the lock for {@code cpu}; the caller has set the IRQL. */
  void take(Kernel kernel, Cpu cpu) {
    if (owner == cpu.index) {
      kernel.bugCheckEx(BugCheck.SPIN_LOCK_ALREADY_OWNED, address, 0, 0, 0,
          "processor " + cpu.index + " took a spin lock it holds");
    }
    if (owner >= 0) {
      throw new IllegalStateException("spin lock " + Long.toHexString(address)
          + " held by processor " + owner + " across a simulation point");
    }
    owner = cpu.index;
  }

  private void give(Kernel kernel, Cpu cpu) {
    if (owner != cpu.index) {
      kernel.bugCheckEx(BugCheck.SPIN_LOCK_NOT_OWNED, address, 0, 0, 0,
          "processor " + cpu.index + " released a spin lock it does not hold");
    }
    owner = -1;
  }
}
